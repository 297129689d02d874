// The engine's observable state, as SPEC 6.3 names it: accounts, firings and
// signals, plus the effects (webhook-worthy events) it emits. Plain data
// produced by engine/engine.h and serialised by engine/json.h; the store
// persists these, the CLI and API print them. Times are UTC ms.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "config/config.h"

namespace headroom {

const char* TriggerClassName(TriggerClass c);

// One trigger episode (SPEC 3.3).
struct Firing {
  std::string account_id;
  std::string trigger;
  TriggerClass cls = TriggerClass::kAdoption;
  TimeMs fired_at = 0;
  std::optional<TimeMs> urgent_at;
  std::optional<TimeMs> ended_at;  // null while active
};

struct ScoreParts {
  double firmographic = 0;
  double capacity = 0;
  double adoption = 0;
  double value = 0;
  double committee = 0;
  double total = 0;
};

struct SignalHistoryEntry {
  TimeMs at = 0;
  std::string change;      // created | routed | touched | escalated | opportunity | closed
  nlohmann::json details;  // change-specific keys (route, owner, reason, ...)
};

enum class SignalStatus { kOpen, kOpportunity, kWon, kLost, kExpired, kSuppressed };
const char* SignalStatusName(SignalStatus s);

// One PQA handed to a person (SPEC 3.6). State machine:
//   open --opportunity linked--> opportunity --won/lost--> won | lost
//   open --expiry--> expired;  open (never touched) --suppressed--> suppressed
// `route`, `owner`, `touch_due`, touches and escalation describe the current
// route; a csm->ae move re-arms them (rule 26).
struct Signal {
  std::string signal_id;
  std::string account_id;
  std::string route;  // ae | csm
  std::string owner;  // owner_id or "unassigned"
  SignalStatus status = SignalStatus::kOpen;
  std::optional<std::string> close_reason;
  double score = 0;
  ScoreParts parts;
  std::string motion;  // transactional | strategic
  std::vector<std::string> triggers;
  TimeMs created_at = 0;
  std::optional<TimeMs> routed_at;
  TimeMs touch_due = 0;
  std::optional<TimeMs> first_touch_at;
  std::optional<bool> touched_within_sla;
  std::optional<TimeMs> escalated_at;
  std::vector<std::string> escalated_to;
  bool ever_touched = false;  // on any route (rule 23 step 7)
  std::optional<std::string> opportunity_id;
  std::optional<TimeMs> closed_at;
  std::optional<double> amount;
  std::map<std::string, double> credit;
  // Deal-desk flags of the linked opportunity (rule 34).
  std::optional<bool> deal_desk_required;
  std::optional<bool> fast_track;
  std::vector<SignalHistoryEntry> history;

  bool live() const { return !closed_at.has_value(); }
};

// An effect the outside world may subscribe to (SPEC 5). `id` is derived from
// the effect (type, subject, time) so a rebuild reproduces it (rule 35).
struct Effect {
  std::string id;
  std::string type;  // trigger.fired | trigger.urgent | signal.created | .routed | .touched |
                     // .escalated | .opportunity | .closed
  TimeMs at = 0;
  std::string account_id;
  nlohmann::json data;  // the firing or signal as of the effect
};

// The account as of its last evaluation (SPEC 6.3 "account").
struct AccountView {
  std::string account_id;
  std::string name;
  double score = 0;
  ScoreParts parts;
  std::string route = "nurture";  // ae | csm | nurture | suppressed
  std::vector<std::string> suppressed_by;
  std::vector<std::string> active_triggers;  // sorted
  std::optional<std::string> ae;
  std::optional<std::string> csm;
  std::optional<TimeMs> evaluated_at;
  nlohmann::json
      evidence;            // {firmographic: [...], usage: [...], committee: [...], triggers: [...]}
  nlohmann::json metrics;  // name -> current value
  nlohmann::json contract;               // the contract in force, or null
  std::optional<std::string> signal_id;  // the live signal, else the latest
};

}  // namespace headroom
