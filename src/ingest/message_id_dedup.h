// MessageIdDedup: the idempotency rule (SPEC 1.1, 3.7 rule 3: a messageId
// seen before is acknowledged and ignored, also across restarts) with memory
// that stops growing with the messages ever ingested.
//
// Three tiers, every id in exactly one:
// * recent: the ids since the last sealed run, in memory (MessageIdSet);
// * the last sealed run, sorted in memory until its transaction is known
//   committed (the next Seal);
// * stored runs (store/message_id_runs.h), on disk, behind an in-memory
//   MessageIdFilter (~2-4 bytes per id) that sends only "maybe" answers
//   (true duplicates and ~0.2% of new ids) to a disk lookup.
// Seal moves the recent tier into a run once it holds limits.recent_ids; the
// caller writes the run in the transaction of the log rows up to its
// through_seq, so a run never names an id whose input is not stored.
//
// Exactness: fingerprints are 128-bit (MessageIdSet); the filter is never
// wrong about "no"; every "maybe" is settled by the runs themselves.
//
// Threading: not thread-safe (the ingest thread owns it). Disk lookups use a
// connection of their own (opened on first need by `open_lookup`), which sees
// committed runs only -- hence the in-memory copy of the last run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "ingest/message_id_filter.h"
#include "ingest/message_id_set.h"
#include "store/message_id_runs.h"
#include "store/store.h"

namespace headroom {

class MessageIdDedup {
 public:
  struct Limits {
    size_t recent_ids = size_t{1} << 18;       // a run is sealed from this many recent ids
    size_t filter_capacity = size_t{1} << 20;  // ids of the filter's first generation
    bool filter = true;  // false: every id not in memory is looked up on disk (tests)
  };
  struct Run {
    uint64_t number = 0;
    uint64_t through_seq = 0;
    std::shared_ptr<const std::vector<MessageIdFingerprint>> ids;  // sorted
  };
  struct Stats {
    size_t recent = 0;          // ids in the recent tier
    size_t stored = 0;          // ids in stored (or sealed) runs
    uint64_t runs = 0;          // runs sealed so far, stored ones included
    uint64_t disk_lookups = 0;  // "maybe" answers settled on disk since construction
    size_t memory_bytes = 0;    // recent tier + last run + filter
  };

  MessageIdDedup(Limits limits, std::function<std::unique_ptr<Store>()> open_lookup);
  ~MessageIdDedup();

  // Takes in the runs `runs` holds (filter only; nothing stays in memory) and
  // returns the highest through_seq among them (0: none). The caller adds the
  // ids of log rows after it with AddRecent.
  uint64_t Load(MessageIdRuns& runs);
  // An id of a stored log row after the runs' through_seq (known new).
  void AddRecent(std::string_view id) { recent_.Insert(MessageIdSet::Of(id)); }

  // False when `id` was seen before; otherwise remembers it and returns true.
  bool Insert(std::string_view id);

  // Call at a flush point, when every earlier flush's transaction has
  // committed. Forgets the last run's in-memory copy (it is on disk now); when
  // the recent tier holds limits.recent_ids or more, seals it into a new run
  // covering the log rows up to `through_seq`, for the caller to write with
  // them (MessageIdRuns::Append, same transaction).
  std::optional<Run> Seal(uint64_t through_seq);

  Stats stats() const;

 private:
  bool InStoredRuns(const MessageIdFingerprint& fp);

  Limits limits_;
  std::function<std::unique_ptr<Store>()> open_lookup_;
  MessageIdSet recent_;
  std::shared_ptr<const std::vector<MessageIdFingerprint>> last_run_;
  MessageIdFilter filter_;
  uint64_t runs_ = 0;
  uint64_t disk_lookups_ = 0;
  std::unique_ptr<Store> lookup_store_;  // opened on the first disk lookup
  std::unique_ptr<MessageIdRuns> lookup_runs_;
};

}  // namespace headroom
