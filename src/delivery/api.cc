#include "delivery/api.h"

#include <charconv>

#include "delivery/outbox.h"

namespace headroom {

ApiResponse DeadLetters(Store& store, int64_t limit) {
  Outbox outbox(store.database());
  nlohmann::json list = nlohmann::json::array();
  for (const OutboxRow& r : outbox.Dead(limit)) list.push_back(OutboxRowJson(r));
  return {200, list};
}

ApiResponse RetryDead(Store& store, std::string_view id, TimeMs now) {
  int64_t n = 0;
  const auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc() || end != id.data() + id.size() || id.empty())
    return {400, {{"error", "id: not an integer"}}};
  Outbox outbox(store.database());
  if (!outbox.Requeue(n, now))
    return {404, {{"error", "id: no dead webhook delivery " + std::string(id)}}};
  return {200, OutboxRowJson(*outbox.Get(n))};
}

ApiResponse Stats(Store& store, const Config& config) {
  Outbox outbox(store.database());
  auto stats = outbox.Stats();
  auto json_of = [](const EndpointStats& s) {
    return nlohmann::json{
        {"index", s.index},
        {"url", s.url},
        {"pending", s.pending},
        {"retrying", s.retrying},
        {"delivered", s.delivered},
        {"dead", s.dead},
        {"skipped", s.skipped},
        {"last_error", s.last_error ? nlohmann::json(*s.last_error) : nlohmann::json()},
        {"last_error_at",
         s.last_error_at ? nlohmann::json(FormatIsoTime(*s.last_error_at)) : nlohmann::json()}};
  };
  nlohmann::json out = nlohmann::json::array();
  std::vector<bool> used(stats.size(), false);
  for (size_t i = 0; i < config.webhooks.size(); ++i) {
    EndpointStats s;
    s.index = static_cast<int>(i);
    s.url = config.webhooks[i].url;
    for (size_t k = 0; k < stats.size(); ++k) {
      if (stats[k].index == s.index && stats[k].url == s.url) {
        s = stats[k];
        used[k] = true;
      }
    }
    nlohmann::json j = json_of(s);
    j["format"] = config.webhooks[i].format;
    j["events"] = config.webhooks[i].events;
    out.push_back(std::move(j));
  }
  for (size_t k = 0; k < stats.size(); ++k) {
    if (used[k]) continue;
    nlohmann::json j = json_of(stats[k]);
    j["orphaned"] = true;
    out.push_back(std::move(j));
  }
  return {200, out};
}

}  // namespace headroom
