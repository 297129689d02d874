// The Slack incoming-webhook message for an effect (SPEC 5 "format: slack"):
// `text` is a one-line summary (notifications, clients without blocks);
// `blocks` are what a person acts on: account (linked to the dashboard),
// score and its parts, route and owner, SLA due time, escalation targets, the
// active triggers with their evidence, and an "Open in Headroom" button.
//
// Signal effects take score, parts, route, owner and triggers from the signal
// (as of the effect); trigger effects from the account document. Trigger
// evidence comes from the account document (`evidence.triggers`) as stored
// when the outbox row is written. Times show in the reader's time zone
// (Slack <!date^...>) with a UTC fallback. Pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/views.h"

namespace headroom {

nlohmann::json SlackMessage(const Effect& e, const std::optional<nlohmann::json>& account,
                            const std::string& public_url);

// "2026-03-12 12:00 UTC" from an ISO-8601 UTC text ("" stays "").
std::string SlackUtc(const std::string& iso);

}  // namespace headroom
