#include "delivery/outbox_writer.h"

#include "delivery/payload.h"
#include "delivery/signing.h"

namespace headroom {

OutboxWriter::OutboxWriter(const Config& config, Store& store, Clock clock)
    : config_(config), store_(store), clock_(std::move(clock)), endpoints_(EndpointsOf(config)) {
  if (!endpoints_.empty()) outbox_ = std::make_unique<Outbox>(store_.database());
}

void OutboxWriter::Write(const Effect& e) {
  if (!outbox_) return;
  const TimeMs now = clock_();
  const bool skip = now - e.at > config_.delivery.skip_older_than;
  std::optional<std::optional<nlohmann::json>> account;  // read once, for slack only
  for (const Endpoint& ep : endpoints_) {
    if (!ep.Subscribes(e.type)) continue;
    OutboxRow row;
    row.effect_id = e.id;
    row.endpoint_index = ep.index;
    row.endpoint_url = ep.config.url;
    row.webhook_id = WebhookIdFor(e.id);
    row.type = e.type;
    row.account_id = e.account_id;
    row.effect_at = e.at;
    row.created_at = now;
    row.state = skip ? "skipped" : "pending";
    if (!skip) {
      const auto& delays = config_.delivery.retry_delays;
      row.next_attempt_at = now + (delays.empty() ? 0 : delays.front());
      if (ep.config.format == "slack") {
        if (!account) account = store_.Account(e.account_id);
        row.body = SlackWebhookBody(e, *account, config_.server.public_url);
      } else {
        row.body = JsonWebhookBody(e);
      }
    }
    if (outbox_->Insert(row)) ++(skip ? skipped_ : pending_);
  }
}

}  // namespace headroom
