// AccountState: everything the engine remembers about one account, and the
// global directories (users, owners) evaluations read. Owned by the engine;
// plain data with small helpers. Times are UTC ms; `seq` is arrival order.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/value.h"
#include "engine/metric_state.h"
#include "engine/views.h"
#include "model/input.h"

namespace headroom {

// A value with the time and arrival that set it: later time wins, ties go to
// the later arrival (SPEC 3.7 rules 5 and 6).
struct TimedValue {
  Value value;
  TimeMs time = 0;
  uint64_t seq = 0;
};

inline bool Supersedes(TimeMs time, uint64_t seq, TimeMs cur_time, uint64_t cur_seq) {
  return time != cur_time ? time > cur_time : seq >= cur_seq;
}

using TimedTraits = std::map<std::string, TimedValue, std::less<>>;

// Merges `traits` stamped (time, seq) into `into`, key by key.
void MergeTraits(TimedTraits& into, const TraitMap& traits, TimeMs time, uint64_t seq);

template <typename Record>
struct Versioned {
  Record rec;
  TimeMs time = 0;
  uint64_t seq = 0;
};

struct UserInAccount {
  TimeMs first_event = 0;  // earliest event attributed to this account
  Day last_day = 0;        // latest day with an event in this account
};

struct TriggerState {
  bool active = false;
  size_t firing = 0;  // index into the engine's firings while active
  TimeMs last_held = 0;
  bool urgent = false;
  nlohmann::json evidence;  // as of the last evaluation
};

struct OpportunityState {
  Versioned<OpportunityRecord> current;
  std::optional<std::string> signal_id;  // linked once, when first seen (rule 29)
};

struct AccountState {
  std::string id;
  // Latest `account` record: name and owners are replaced whole (rule 5).
  std::optional<Versioned<AccountRecord>> record;
  TimedTraits traits;  // group traits and account-record traits, merged
  std::optional<TimeMs> activation;  // earliest event, late ones included (rule 14)
  std::vector<MetricState> metrics;  // CompiledRules::metrics() order
  std::unordered_map<std::string, UserInAccount> users;  // identified users only
  std::vector<Versioned<ContractRecord>> contracts;  // every version, by (time, seq)
  std::map<std::string, Versioned<TicketRecord>> tickets;
  std::map<std::string, OpportunityState> opportunities;
  std::vector<TriggerState> triggers;
  std::vector<std::string> signal_ids;  // in creation order
  std::set<std::string> touch_keys;     // touches already applied (rule 6)
  std::optional<TimeMs> last_closed_at;  // of the latest closed signal (cooldown, rule 32)
  AccountView view;

  // The contract in force at t: the version with the latest record time <= t (rule 7).
  const ContractRecord* ContractAt(TimeMs t) const;
  std::optional<std::string> Ae() const;
  std::optional<std::string> Csm() const;
};

}  // namespace headroom
