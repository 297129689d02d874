// AccountState: everything the engine remembers about one account, and the
// global directories (users, owners) evaluations read. Owned by the engine;
// plain data with small helpers. Times are UTC ms; `seq` is arrival order.
#pragma once

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/value.h"
#include "engine/condition_result.h"
#include "engine/fingerprint_map.h"
#include "engine/metric_state.h"
#include "engine/unseen_deadlines.h"
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

// Merges `traits` stamped (time, seq) into `into`, key by key. Returns
// whether the value (Value ==) of some key changed, or a key was added; with
// `watched`, only those keys count. Times alone moving is no change: readers
// of traits (score, suppression) read values only.
bool MergeTraits(TimedTraits& into, const TraitMap& traits, TimeMs time, uint64_t seq,
                 const std::vector<std::string>* watched = nullptr);

template <typename Record>
struct Versioned {
  Record rec;
  TimeMs time = 0;
  uint64_t seq = 0;
};

// A user as the whole engine knows them: traits are global to the user
// (rule 1). Most users are never identified, so the traits live in
// `identified`, allocated at the user's first identify (a directory entry is
// then a key and a pointer). What the committee criteria make of them is
// cached by the Scorer, per directory ordinal.
struct UserRecord {
  struct Identified {
    TimedTraits traits;
  };
  std::unique_ptr<Identified> identified;  // null: no traits

  TimedTraits& MutableTraits() {
    if (!identified) identified = std::make_unique<Identified>();
    return identified->traits;
  }
};

// A user who had an event in an account, as the committee criteria read it:
// 12 bytes, held in the account's user map (a 20-byte slot; issue 7: bytes
// per (account, user) pair).
struct UserInAccount {
  Day first_day = 0;  // day of the earliest event attributed to this account
  Day last_day = 0;   // latest day with an event in this account
  uint32_t user = 0;  // UserDirectory ordinal
};
static_assert(sizeof(UserInAccount) == 12);

// The verdict of a sustained run over the days before today (rule 17),
// cached: those days' values change only through late events (the account's
// past_generation), contract versions and the activation, so
// while none of these nor today moved, the K-1 past days are not read again.
// Never saved in snapshots (an empty cache is recomputed). 32 bytes (an
// account holds one per trigger with sustained_days > 1, in
// AccountState::runs): "none" is the type's minimum, which no event time or
// day in range reaches.
struct SustainedRunCache {
  static constexpr TimeMs kNoTime = std::numeric_limits<TimeMs>::min();
  static constexpr Day kNoDay = std::numeric_limits<Day>::min();
  uint64_t generation = 0;
  TimeMs activation = kNoTime;  // the account's activation; kNoTime: none
  uint32_t contracts = 0;       // contract versions
  Day today = kNoDay;           // kNoDay: empty
  int32_t past_days = 0;        // consecutive days before today that reached `at`
  Day broken_on = kNoDay;       // the first that did not; kNoDay: all K-1 did
};
static_assert(sizeof(SustainedRunCache) == 32);

struct TriggerState {
  TimeMs last_held = 0;
  uint32_t firing = 0;  // index into the engine's firings while active
  bool active = false;
  bool urgent = false;
};
static_assert(sizeof(TriggerState) == 16);

// What an account keeps of its latest `account` record: its traits are
// merged into AccountState::traits, its owners are the last of
// AccountState::owner_versions (the latest by (time, seq), as this is).
struct AccountHead {
  std::string name;
};

struct OpportunityState {
  Versioned<OpportunityRecord> current;
  std::optional<std::string> signal_id;  // linked once, when first seen (rule 29)
};

struct AccountState {
  std::string id;
  // Latest `account` record's name, replaced whole (rule 5).
  std::optional<Versioned<AccountHead>> record;
  // Every `account` record's owners, by (time, seq): the CSM at closed_at (rule 30).
  std::vector<Versioned<AccountOwners>> owner_versions;
  TimedTraits traits;                // group traits and account-record traits, merged
  uint64_t traits_version = 0;       // bumped whenever a value in `traits` changes
  std::optional<TimeMs> activation;  // earliest event, late ones included (rule 14)
  std::vector<MetricState> metrics;  // CompiledRules::metrics() order
  // Bumped whenever a past day's value of some metric may have changed (an
  // event before today that moved a metric): equal generations mean equal
  // MetricState::DayNumber answers. Not saved: 0 on creation and on load
  // (sustained-run caches, which read it, are not saved either).
  uint64_t past_generation = 0;
  // Users with an event here (anonymous ones excepted), by
  // DistinctValues::FingerprintOfUser(link key): one look-up per event.
  FingerprintMap<UserInAccount> users;
  std::vector<Versioned<ContractRecord>> contracts;  // every version, by (time, seq)
  std::vector<TriggerState> triggers;
  // One per trigger with a sustained run, CompiledTrigger::run (null: none).
  std::unique_ptr<SustainedRunCache[]> runs;
  std::unique_ptr<UnseenDeadlines[]> unseen;  // per trigger, EvaluationMode::kTriggersOnly only
  // Signals are numbered per account: the k-th is "<id>:<k>" (SignalIdOf).
  uint32_t signal_count = 0;
  Signal* latest_signal = nullptr;       // the signal_count-th (the engine's map is node-based)
  std::optional<TimeMs> last_closed_at;  // of the latest closed signal (cooldown, rule 32)
  // What few accounts ever get (ticket, opportunity and touch records),
  // allocated at the first: null costs 8 bytes instead of three empty
  // containers' 144.
  struct Rare {
    std::map<std::string, Versioned<TicketRecord>> tickets;
    std::map<std::string, OpportunityState> opportunities;
    std::set<std::string> touch_keys;  // touches already applied (rule 6)
  };
  std::unique_ptr<Rare> rare;
  Rare& MutableRare() {
    if (!rare) rare = std::make_unique<Rare>();
    return *rare;
  }
  const Rare& RareOrNone() const;  // an empty Rare when none was allocated
  // The last evaluation (full mode): when, and the score's parts. The rest of
  // the account view (route, suppressions, trigger names, owners, evidence,
  // metrics, contract) is derived from the state when read (Engine::Account):
  // exact because an account's state changes only through its own inputs,
  // each of which re-evaluates it. What that evaluation found is kept as
  // plain values:
  std::optional<TimeMs> evaluated_at;
  ScoreParts parts;
  std::vector<ConditionResult> last_conditions;
  // last_conditions were found at `conditions_at`; a later evaluation on the
  // same day reads again only the triggers whose inputs may have moved since:
  // bit m of `stale_inputs` is metric m (metrics from 63 on share bit 63,
  // which also stands for the activation, the contracts and any input other
  // than an event). All stale until the first evaluation.
  TimeMs conditions_at = SustainedRunCache::kNoTime;
  uint64_t stale_inputs = ~0ULL;
  // Bit i: firmographic criterion i held at the last evaluation (criteria
  // from 64 on are not kept: recomputed at each evaluation and read).
  uint64_t firmographic_holds = 0;
  std::vector<double> committee_values;
  std::vector<int> active_triggers;  // trigger indices, config order
  uint32_t suppression_mask = 0;
  uint32_t suppress_trait_bits = 0;  // of `traits` at suppress_trait_key (below)
  // Committee user criteria depend only on the day, this account's users and
  // user traits: recomputed when one of these versions moved, or when the
  // windows moved past the earliest day of a user they counted (the values
  // can only fall as the windows slide: users leave, none enter unless
  // users_version moves).
  uint64_t users_version = 0;  // bumped when a user joins or a first/last day moves
  uint64_t committee_key_users = ~0ULL;
  uint64_t committee_key_traits = ~0ULL;
  Day committee_stable_through = 0;  // the cached values hold through this day
  // Criteria that read only `traits` (firmographic ones other than
  // within_days, suppression by trait) are recomputed when traits_version moved.
  uint64_t firmographic_key = ~0ULL;
  uint64_t suppress_trait_key = ~0ULL;

  // The id of this account's k-th signal (k >= 1).
  std::string SignalIdOf(uint32_t k) const { return id + ":" + std::to_string(k); }
  // The contract in force at t: the version with the latest record time <= t (rule 7).
  const ContractRecord* ContractAt(TimeMs t) const;
  std::optional<std::string> Ae() const;
  std::optional<std::string> Csm() const;
  // The CSM of the latest account record with time <= t (none before the first).
  std::optional<std::string> CsmAt(TimeMs t) const;
};

}  // namespace headroom
