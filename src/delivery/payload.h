// The request bodies of the two formats (SPEC 5), built once when the outbox
// row is written and sent unchanged on every attempt. Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/views.h"

namespace headroom {

// format json: {"type": ..., "timestamp": <effect time, ISO-8601 UTC ms>,
// "data": <the firing or signal as of the effect>}, compact.
std::string JsonWebhookBody(const Effect& e);

// format slack: a Slack incoming-webhook message {"text", "blocks"} (see
// slack.h). `account` is the account detail document (Store::Account), or
// nullopt when the store has none; `public_url` is server.public_url.
std::string SlackWebhookBody(const Effect& e, const std::optional<nlohmann::json>& account,
                             const std::string& public_url);

}  // namespace headroom
