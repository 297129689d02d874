// SnapshotStore: the `snapshots` table of the Store's file (SPEC 7 "snapshots
// of engine state for fast restart", docs/STORE.md). One row per snapshot:
// the input-log seq it covers, the rules fingerprint and format it was taken
// with, when (UTC ms, wall clock) and the binary body (ingest/ingestor.h
// writes and reads it; the Store does not look inside).
//
// Contract:
// * Table `snapshots(seq INTEGER PRIMARY KEY, rules_fingerprint TEXT, format
//   INTEGER, created_at INTEGER, body BLOB)`, created IF NOT EXISTS by the
//   constructor.
// * Put keeps only the two newest rows (by seq), in the same statement
//   sequence; call it inside the caller's transaction or on its own (each
//   statement then commits by itself; a crash in between leaves at most one
//   extra row).
// * Same threading rules as the Store whose connection it uses: one thread at
//   a time (every call holds the connection's mutex).
// * Errors: StoreError (SQLite failures), as everywhere in src/store.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite.h"

namespace headroom {

struct StoredSnapshot {
  uint64_t seq = 0;
  std::string rules_fingerprint;
  uint64_t format = 0;
  int64_t created_at = 0;  // UTC ms
  std::string body;
};

class SnapshotStore {
 public:
  static constexpr int kKeep = 2;

  explicit SnapshotStore(Database& db);
  SnapshotStore(const SnapshotStore&) = delete;
  SnapshotStore& operator=(const SnapshotStore&) = delete;

  // Upserts the snapshot at `seq`, then deletes all but the kKeep newest.
  void Put(uint64_t seq, std::string_view rules_fingerprint, uint64_t format, int64_t created_at,
           std::string_view body);
  // The newest snapshot (highest seq), if any.
  std::optional<StoredSnapshot> Latest();
  // The stored seqs, newest first.
  std::vector<uint64_t> Seqs();
  void Clear();

 private:
  Database& db_;
};

}  // namespace headroom
