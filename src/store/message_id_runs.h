// MessageIdRuns: the messageIds the ingest moved out of memory (ingest/
// message_id_dedup.h), as 128-bit fingerprints in sorted runs on disk, so the
// idempotency set (SPEC 1.1, 3.7 rule 3) does not grow the process forever.
//
// Contract:
// * Tables `message_id_runs(run INTEGER PRIMARY KEY, through_seq INTEGER,
//   ids INTEGER)` and `message_id_run_blocks(run, first_hi, first_lo,
//   fingerprints BLOB, PRIMARY KEY(run, first_hi, first_lo))`, created IF NOT
//   EXISTS by the constructor (docs/STORE.md). Run n holds the fingerprints
//   of messageIds of log rows with seq <= its through_seq not in runs
//   1..n-1, sorted, in blocks of up to 248 (16 bytes each, lo then hi,
//   little-endian; a block row fits one 4 KB page) keyed by their first
//   fingerprint. Runs are numbered 1, 2, ... and never rewritten.
// * Append writes a run in the caller's transaction (the one that commits
//   those log rows, so a run never names an id whose row is not stored).
//   Blocks are appended in key order: writing a run costs its own ~1/248
//   rows, never a rewrite of older ones (a random-key index would, NOTES).
// * Contains reads one block per run (an index seek and a binary search):
//   callers ask only when their in-memory filter says "maybe".
// * Same threading rules as the Store whose connection it uses: one thread at
//   a time (every call holds the connection's mutex). Errors: StoreError.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "store/sqlite.h"

namespace headroom {

// A messageId's 128-bit fingerprint (ingest/message_id_set.h computes it).
// Ordered as SQLite orders the two columns (signed 64-bit integers).
struct MessageIdFingerprint {
  uint64_t lo = 0;
  uint64_t hi = 0;
  bool operator==(const MessageIdFingerprint&) const = default;
  std::strong_ordering operator<=>(const MessageIdFingerprint& o) const {
    if (auto c = static_cast<int64_t>(hi) <=> static_cast<int64_t>(o.hi); c != 0) return c;
    return static_cast<int64_t>(lo) <=> static_cast<int64_t>(o.lo);
  }
};

struct MessageIdRunInfo {
  uint64_t run = 0;
  uint64_t through_seq = 0;
  uint64_t ids = 0;
  bool operator==(const MessageIdRunInfo&) const = default;
};

class MessageIdRuns {
 public:
  explicit MessageIdRuns(Database& db);
  ~MessageIdRuns();  // before the Database
  MessageIdRuns(const MessageIdRuns&) = delete;
  MessageIdRuns& operator=(const MessageIdRuns&) = delete;

  // Writes run `run` (sorted, distinct fingerprints).
  void Append(uint64_t run, uint64_t through_seq, const std::vector<MessageIdFingerprint>& sorted);
  // The stored runs, by run number.
  std::vector<MessageIdRunInfo> Runs();
  // Every fingerprint of every run, run by run.
  void ForEach(const std::function<void(const MessageIdFingerprint&)>& fn);
  // Whether any of runs 1..runs holds `fp`.
  bool Contains(const MessageIdFingerprint& fp, uint64_t runs);

 private:
  Database& db_;
  std::unique_ptr<Statement> find_;  // Contains' statement, prepared on first use
};

}  // namespace headroom
