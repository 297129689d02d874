// Ingestor: the one path from raw input text to persisted engine state, used
// by `headroom import` and `rebuild` (and the server). Per input line: parse
// and validate (input/parser), deduplicate (messageId, identical records),
// attribute (input/attributor), buffer the log rows, apply to the engine;
// every flush_every() inputs, persist what the engine changed in the same
// SQLite transaction as the log rows, so the store is always consistent.
//
// Pipeline: the automatic flush every flush_every() inputs hands the batch
// (log rows, and on every documents_every()-th flush the derived documents,
// built here because they read the engine) to a writer thread, which inserts
// them and commits while this thread goes on parsing and evaluating the next
// batch; at most one batch is in flight. Between document flushes the engine's
// changes accumulate (an account changed many times is written once) and the
// `derived_seq` meta stays at the last document flush, as after CommitLog. The explicit Flush() and
// CommitLog() wait for it and commit everything before they return: only they make inputs durable,
// so callers acknowledge (or report an import) after them. A failure of the writer is thrown by a
// later call, at the latest by Flush or CommitLog (the batch's transaction was rolled back). Direct
// writes on this thread (effects and the webhook outbox, quarantine, the daily series hook) first
// wait for the batch in flight, so they land in the transaction of the inputs that caused them,
// never an earlier one.
//
// Open() rebuilds the in-memory state by replaying the stored log (no writes),
// or recomputes all derived state when the config's rules changed. Snapshots
// (SaveSnapshot, table `snapshots`, store/snapshots.h) make that fast: Open
// loads the latest one whose format and rules fingerprint match (never on a
// rebuild), then replays only the log rows after its seq; the dedupe sets are
// filled from the store's message ids and record lines instead (on a second
// connection, by a helper thread, while this one decodes the snapshot). A corrupt or
// mismatching snapshot is ignored with a one-line warning on stderr (full
// replay). Either way the state is exactly that of a full replay. Query
// commands never need an Ingestor: they read the derived tables.
//
// Not thread-safe (one caller thread). The Config and Store must outlive the
// Ingestor; while it lives, the Store is shared with its writer thread (the
// connection's mutex serialises them, store/sqlite.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "config/config.h"
#include "engine/engine.h"
#include "ingest/message_id_dedup.h"
#include "ingest/message_id_set.h"
#include "input/attributor.h"
#include "input/parser.h"
#include "store/snapshots.h"
#include "store/store.h"

namespace headroom {

class SeriesRecorder;

struct IngestCounts {
  uint64_t stored = 0;
  uint64_t duplicates = 0;
  uint64_t quarantined = 0;
};

// How the last Open() loaded the state.
struct OpenStats {
  bool rebuilt = false;        // all derived state recomputed
  uint64_t snapshot_seq = 0;   // the snapshot loaded (its seq), 0 when none was used
  uint64_t replayed = 0;       // log rows replayed after it (all of them without one)
  std::string snapshot_error;  // why a stored snapshot was ignored ("" when none was)
};

enum class IngestOutcome { kStored, kDuplicate, kQuarantined };

// Extra checks for inputs that arrive over HTTP (SPEC 1.3); files use none.
struct IngestChecks {
  // Inputs stamped later than this are quarantined ("timestamp: in the future").
  std::optional<TimeMs> not_after;
  // Which kinds the endpoint accepts: Segment messages (/v1/track ... /v1/batch)
  // or business records (/v1/records). Both true: anything (files).
  bool messages = true;
  bool records = true;
};

class Ingestor {
 public:
  // Called with (done, total) during long replays.
  using Progress = std::function<void(uint64_t done, uint64_t total)>;
  static constexpr uint64_t kFlushEvery = 50000;   // default flush_every()
  static constexpr uint64_t kDocumentsEvery = 10;  // default documents_every()

  Ingestor(const Config& config, Store& store);
  ~Ingestor();

  // Loads the engine by replaying the log. Recomputes all derived state (and
  // re-records effects, whose ids are stable) when the stored rules
  // fingerprint differs from the config's, or when `force_rebuild`. Returns
  // true when it rebuilt.
  bool Open(bool force_rebuild, const Progress& progress = {});

  // One NDJSON line / JSON object. `source` and `line` label quarantine rows.
  IngestOutcome Ingest(std::string_view text, std::string_view source, int64_t line,
                       std::string* error = nullptr, const IngestChecks& checks = {});

  // Quarantines `text` with `reason` without parsing it (the server's own
  // rejections, e.g. "message: larger than 32 KB"). Counted as quarantined.
  void Quarantine(std::string_view text, std::string_view source, int64_t line,
                  std::string_view reason);

  // The live clock of `serve` (SPEC 3): when `now` reaches the engine's next
  // evaluation point (a midnight or a live deadline), appends a clock input
  // stamped `now` to the log and advances the engine to it, so a replay
  // reproduces the advance exactly; returns true then (call Flush to commit).
  // Otherwise changes nothing (W is not moved by unrecorded wall-clock time).
  bool AdvanceClock(TimeMs now);

  // Persists pending engine changes and commits.
  void Flush();

  // Flush, then stores a snapshot of the engine and attributor state at the
  // current log seq (replacing older ones but the newest, store/snapshots.h),
  // in its own transaction. Returns that seq (0: empty log, nothing stored).
  // Writes nothing when the newest snapshot this Ingestor loaded or saved is
  // already at that seq (e.g. an import of duplicates only).
  // Body layout: magic, kSnapshotFormat, seq, rules fingerprint, the
  // attributor's links, the engine's snapshot (Engine::SaveSnapshot), and an
  // 8-byte checksum of everything before it.
  static constexpr uint64_t kSnapshotFormat = 8;
  uint64_t SaveSnapshot();
  const OpenStats& open_stats() const { return open_stats_; }
  // Commits the log rows (inputs, records, quarantine) appended so far WITHOUT
  // persisting the engine's derived changes: the inputs are durable; the
  // derived rows follow at the next Flush (the server does that when idle or
  // every few hundred ms). Should the process die in between, Open() catches
  // up by replaying and persisting what the inputs after the last Flush
  // changed, so the store ends exactly as with a Flush per commit.
  void CommitLog();

  // Called for every effect the engine emits, inside the transaction that
  // persists it (e.g. the webhook outbox adds its rows there, SPEC 5).
  using EffectListener = std::function<void(const Effect&)>;
  void set_effect_listener(EffectListener listener) { effect_listener_ = std::move(listener); }

  // Inputs per automatic (pipelined) flush; tests make it small. At least 1.
  void set_flush_every(uint64_t n) { flush_every_ = n > 0 ? n : 1; }
  uint64_t flush_every() const { return flush_every_; }
  // Every n-th automatic flush also persists the engine's changes (account
  // documents, signals, firings, effects, derived_seq); the others commit the
  // log rows only. Rebuilding ~every account document per flush was a fifth
  // of an import's time. At least 1 (every flush).
  void set_documents_every(uint64_t n) { documents_every_ = n > 0 ? n : 1; }
  uint64_t documents_every() const { return documents_every_; }

  // How many messageIds stay in memory before they move to disk, and the
  // filter in front of the disk (ingest/message_id_dedup.h). Call before Open.
  void set_message_id_limits(const MessageIdDedup::Limits& limits);
  MessageIdDedup::Stats message_id_stats() const { return message_ids_->stats(); }

  const IngestCounts& counts() const { return counts_; }
  Engine& engine() { return *engine_; }

 private:
  struct Batch;  // rows waiting to be written (ingestor.cc)
  class Writer;  // the writer thread

  void Replay(bool persist, const Progress& progress, uint64_t track_after, uint64_t after_seq);
  // Loads the latest usable snapshot (engine, attributor, dedupe sets) and
  // returns its seq; 0 (state untouched) when there is none or it is unusable.
  uint64_t LoadSnapshot(uint64_t derived_seq);
  // Builds the derived documents of `changes` into batch_ (reads the engine).
  void CollectChanges(const EngineChanges& changes);
  // Builds and writes the derived documents of `changes` one at a time, on
  // this thread (writer idle, transaction open).
  void WriteChangesNow(const EngineChanges& changes);
  // Effect rows and the listener, on this thread: writer idle, transaction open.
  void WriteEffects(const std::vector<Effect>& effects);
  // Writes and clears batch_ on this thread (writer idle, transaction open).
  void WriteBatchNow();
  // Effects, batch_, counters and meta of a complete flush; commits unless `pipelined`,
  // which hands the commit to the writer thread instead.
  void FlushBatch(bool pipelined);
  // Hands the log rows of batch_ to the writer thread (which commits them);
  // the engine's changes stay pending for the next FlushBatch.
  void FlushLogPipelined();
  // Hands batch_ to the writer thread (started on first use), which commits it.
  void SubmitBatch();
  void EnsureTransaction();
  // Waits until the batch in flight is committed; rethrows its failure.
  void SyncWriter();
  // At a flush point (writer idle): moves the recent messageIds into a run
  // written with batch_ when there are enough of them (MessageIdDedup::Seal).
  void SealMessageIds();

  const Config& config_;
  Store& store_;
  std::unique_ptr<Engine> engine_;
  InputParser parser_;
  Input input_;  // the input being ingested or replayed (reused, see InputParser::Parse)
  Attributor attributor_;
  std::unique_ptr<MessageIdRuns> id_runs_;  // on store_'s connection
  std::unique_ptr<MessageIdDedup> message_ids_;
  uint64_t sealed_seq_ = 0;  // ids of log rows up to this seq are in stored runs
  bool message_ids_loaded_ = false;
  // Identical record lines are ignored (rule 6): their 128-bit fingerprints,
  // ~32 bytes a line instead of the line and a node (~160 bytes).
  MessageIdSet record_lines_;
  std::unordered_set<std::string> quarantined_;  // raw lines already in quarantine
  uint64_t last_seq_ = 0;
  uint64_t pending_ = 0;
  uint64_t flush_every_ = kFlushEvery;
  uint64_t documents_every_ = kDocumentsEvery;
  uint64_t flushes_without_documents_ = 0;  // automatic flushes since the last FlushBatch
  uint64_t unsaved_duplicates_ = 0;
  IngestCounts counts_;
  OpenStats open_stats_;
  uint64_t snapshot_seq_ = 0;  // the newest snapshot loaded or saved (0: none)
  std::unique_ptr<SnapshotStore> snapshots_;
  EffectListener effect_listener_;
  // Daily account series (issue 6): steps the engine through each midnight.
  std::unique_ptr<SeriesRecorder> series_;
  std::unique_ptr<Batch> batch_;
  std::unique_ptr<Writer> writer_;  // started by the first pipelined flush; destroyed first
};

// "track", "identify", ..., or "record:<type>" for the log's type column.
std::string InputTypeName(const Input& in);
// The natural key of a record (SPEC 3.7 rule 6), "" for messages.
std::string RecordKey(const Input& in);

}  // namespace headroom
