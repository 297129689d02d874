// Engine: the pure, deterministic PQA core (SPEC 3). Inputs in, state and
// effects out: no I/O, no wall clock. The importer, the server, rebuild and
// backtest all drive this one class.
//
// Contract:
// - Feed inputs in log order (Input::seq increasing). Each Apply first advances
//   the clock W to the input's time (processing crossed midnights and live
//   deadlines, SPEC 3.1 and 3.7 rules 9-10), then applies the input and
//   evaluates its account (at W when the input is late).
// - The engine knows only the accounts it was fed; it never assumes it sees
//   every account. To run several engines each owning a share of accounts,
//   feed each one its accounts' inputs, global inputs (owner and release
//   records, identify with account_id cleared) to all, and AdvanceTo(time) for
//   the inputs it does not own: the results are those of one engine.
// - Not thread-safe; one thread drives an engine. The Config must outlive it.
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "config/config.h"
#include "engine/views.h"
#include "model/input.h"

namespace headroom {

class SnapshotWriter;

// How many of each the engine holds (Counts, and what LoadSnapshot restored).
struct EngineCounts {
  size_t accounts = 0;
  size_t users = 0;
  size_t signals = 0;
  size_t firings = 0;
};
using SnapshotStats = EngineCounts;

struct EngineChanges {
  std::vector<Effect> effects;     // in emission order
  std::set<std::string> accounts;  // accounts re-evaluated
  std::set<std::string> signals;   // signals changed
  std::vector<Firing> firings;     // firings started or changed (latest copy last)
  bool empty() const {
    return effects.empty() && accounts.empty() && signals.empty() && firings.empty();
  }
};

// How an engine evaluates accounts. kFull is SPEC 3 whole. kTriggersOnly is
// the backtest's (reports/backtest.h): at the input and midnight evaluation
// points it evaluates the triggers alone (end holds, start episodes) and
// keeps no score, suppression, route, signal or buying-committee user state,
// hence has no deadlines. A full engine with the same triggers would also
// evaluate at its signals' deadlines; TriggerFiringsProven says whether a
// trigger's firings (account and fired_at) are nonetheless provably those of
// a full engine (engine/unseen_deadlines.h). Their ended_at and urgent_at may
// differ. Snapshots are for kFull engines.
enum class EvaluationMode { kFull, kTriggersOnly };

class Engine {
 public:
  explicit Engine(const Config& config, EvaluationMode mode = EvaluationMode::kFull);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // The event properties inputs must carry (EventMsg::props is aligned with it).
  const PropertyInterest& property_interest() const;

  void Apply(const Input& input);
  // Advances W to t (if later), processing crossed midnights and deadlines.
  void AdvanceTo(TimeMs t);

  // W; nullopt before the first input.
  std::optional<TimeMs> clock() const;
  // The earliest time at which AdvanceTo would evaluate something: the next
  // UTC midnight after W or the earliest armed live deadline, whichever comes
  // first (a deadline that is no longer live may still be reported). nullopt
  // before the first input. The live server records a clock input only when
  // the wall clock reaches this point (SPEC 3).
  std::optional<TimeMs> NextEvaluationPoint() const;

  // The account as of its last evaluation, built from the state on each call
  // (evidence, metrics and contract included); nullopt: unknown account.
  std::optional<AccountView> Account(std::string_view account_id) const;
  // Every account's score and metric values (the view's `metrics` object,
  // null before its first evaluation), in id order: what Account() would give
  // for these two fields, without building the evidence. The daily series
  // (ingest/series_recorder.h) reads this at every midnight.
  using ScoreVisitor =
      std::function<void(const std::string& id, double score, const nlohmann::json& metrics)>;
  void ForEachScore(const ScoreVisitor& visit) const;
  const Signal* FindSignal(std::string_view signal_id) const;
  std::vector<std::string> AccountIds() const;  // sorted
  EngineCounts Counts() const;
  std::vector<const Signal*> Signals() const;  // every signal, any order
  std::vector<Firing> Firings() const;         // every episode, in creation order
  // kTriggersOnly: whether config trigger i's firings are proven to be a full
  // engine's (always true in kFull).
  bool TriggerFiringsProven(size_t trigger) const;

  // Snapshots (fast restart, issue 7): the whole logical state as a compact
  // binary blob (common/snapshot_codec.h), format kSnapshotFormat. Take one
  // after TakeChanges: pending changes are not part of it. Caches derived
  // from the state are either saved (metric day values and the hot-path cache
  // keys) or rebuilt (a user's interned committee trait and seniority); the
  // account views are derived from the state on read. So an
  // engine loaded from a snapshot of engine E, then fed inputs, produces
  // exactly what E fed the same inputs does (tests/engine/snapshot_test.cc).
  // LoadSnapshot requires a fresh engine (no input applied yet) built from a
  // config with the same rules (the caller compares rules fingerprints); it
  // changes nothing unless it succeeds. A malformed or truncated blob, a
  // different format version or rule shape is a FieldError ("snapshot: ...").
  // Format 4: metric states are saved per form (count buckets as integers,
  // one day-count ring per distinct metric). Format 5: accounts are written
  // in length-prefixed chunks of kSnapshotChunkAccounts (the last may be
  // shorter), which LoadSnapshot decodes on every core (common/on_all_cores.h).
  static constexpr uint64_t kSnapshotFormat = 8;
  static constexpr size_t kSnapshotChunkAccounts = 1024;
  // Tests: chunks of `accounts` (>= 1) instead of kSnapshotChunkAccounts.
  void set_snapshot_chunk_accounts(size_t accounts);
  std::string SaveSnapshot() const;
  void SaveSnapshot(SnapshotWriter& out) const;  // appends the same bytes
  Result<SnapshotStats> LoadSnapshot(std::string_view blob);

  // Changes since the previous call; `track` off (replay) skips the bookkeeping.
  EngineChanges TakeChanges();
  // Whether TakeChanges would return effects (the server writes the derived
  // rows at once then, so webhooks are not held back by its batching).
  bool HasPendingEffects() const;
  void set_track_changes(bool track);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace headroom
