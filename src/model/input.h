// Input: one validated message or record, as the engine core consumes it.
// Produced by src/input (parsing) and src/input/attributor (account
// attribution); consumed by src/engine. Plain data, no behaviour.
//
// Times are UTC milliseconds (common/time.h). `seq` is the arrival order in the
// input log (1-based); the engine breaks every tie by it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "common/time.h"
#include "common/value.h"

namespace headroom {

// track / page / screen: the only inputs that count in metrics (SPEC 3.7 rule 1).
struct EventMsg {
  std::string event;  // track's `event`; "Viewed <name> Page" etc. for page/screen
  // The properties the config looks at (metric `sum`/`distinct`/`latest`
  // properties and `where` keys), aligned with PropertyInterest::names;
  // Value::Missing where absent.
  std::vector<Value> props;
};

struct IdentifyMsg {
  TraitMap traits;
};

struct GroupMsg {
  std::string group_id;  // the account linked to the user
  TraitMap traits;
};

struct AliasMsg {
  std::string previous_id;
};

struct AccountOwners {
  std::optional<std::string> ae;
  std::optional<std::string> csm;
};

struct AccountRecord {
  std::string name;
  AccountOwners owners;
  TraitMap traits;
};

struct OwnerRecord {
  std::string owner_id;
  std::string role;  // ae | csm | manager | revops
  std::string name;
  std::optional<std::string> manager;
  std::optional<std::string> group;  // pilot | control
};

struct ContractRecord {
  std::string plan;
  double arr = 0;
  TimeMs start = 0;
  std::optional<TimeMs> end;
  TraitMap limits;  // metric -> number (a non-number makes utilization undefined)
  std::string renewal_status = "none";  // none | negotiating
};

struct TicketRecord {
  std::string ticket_id;
  Value severity;  // kept as sent: only the JSON number 1 is severity 1
  TimeMs opened_at = 0;
  std::optional<TimeMs> resolved_at;
  std::string topic;
};

struct TouchRecord {
  std::optional<std::string> touch_id;
  std::optional<std::string> signal_id;
  std::string owner_id;
  TimeMs at = 0;
  std::string channel;
};

struct OpportunityRecord {
  std::string opportunity_id;
  std::optional<std::string> signal_id;
  std::string owner_id;
  TimeMs created_at = 0;
  std::string stage;  // open | won | lost
  std::optional<TimeMs> closed_at;
  double amount = 0;
  double discount = 0;
  double term_months = 0;
};

struct RevenueRecord {
  TimeMs at = 0;
  double mrr = 0;
  std::string plan;
};

struct ReleaseRecord {
  std::string feature;
  TimeMs released_at = 0;
  std::string tier;
  std::string adoption_event;
};

// The live clock of `serve` (SPEC 3): advances W, evaluates nothing else.
struct ClockTick {};

using InputBody = std::variant<EventMsg, IdentifyMsg, GroupMsg, AliasMsg, AccountRecord,
                               OwnerRecord, ContractRecord, TicketRecord, TouchRecord,
                               OpportunityRecord, RevenueRecord, ReleaseRecord, ClockTick>;

enum class MessageType : uint8_t {
  kTrack,
  kPage,
  kScreen,
  kIdentify,
  kGroup,
  kAlias,
  kRecord,
  kClock
};

struct Input {
  uint64_t seq = 0;  // position in the input log, 1-based
  TimeMs time = 0;   // event time / record time (SPEC 1.1, 1.2, 3.7 rule 2 and 6)
  MessageType type = MessageType::kTrack;
  std::string message_id;  // Segment messageId ("" when absent or a record)
  std::string user_id;     // userId, else anonymousId ("" for records)
  bool anonymous = false;  // true when only anonymousId was given
  // The account the input belongs to: attributed events/identify (rule 4), the
  // group call's groupId, a record's account_id (touch: from signal_id when only
  // that is given). "" when none (unattributed, owner, release, alias, clock).
  std::string account_id;
  // true when account_id came from the message itself (context.groupId on a
  // track/page/screen/identify, SPEC 1.1): the attributor leaves it as is.
  bool explicit_account = false;
  InputBody body;
};

// The event properties the config reads; the parser extracts exactly these.
struct PropertyInterest {
  std::vector<std::string> names;
  int IndexOf(std::string_view name) const {
    for (size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return static_cast<int>(i);
    return -1;
  }
};

// "acme:3" -> "acme": signal ids are "<account_id>:<n>" (SPEC 3.7 rule 24).
inline std::string AccountOfSignalId(std::string_view signal_id) {
  const auto colon = signal_id.rfind(':');
  return colon == std::string_view::npos ? std::string() : std::string(signal_id.substr(0, colon));
}

}  // namespace headroom
