#include "delivery/payload.h"

#include "delivery/slack.h"

namespace headroom {

std::string JsonWebhookBody(const Effect& e) {
  // Keys in the order SPEC 5 shows them (nlohmann::json would sort them).
  constexpr auto kReplace = nlohmann::json::error_handler_t::replace;
  return "{\"type\":" + nlohmann::json(e.type).dump(-1, ' ', false, kReplace) +
         ",\"timestamp\":" + nlohmann::json(FormatIsoTime(e.at)).dump() +
         ",\"data\":" + e.data.dump(-1, ' ', false, kReplace) + "}";
}

std::string SlackWebhookBody(const Effect& e, const std::optional<nlohmann::json>& account,
                             const std::string& public_url) {
  return SlackMessage(e, account, public_url)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace headroom
