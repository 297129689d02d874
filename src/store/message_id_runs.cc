#include "store/message_id_runs.h"

#include <sqlite3.h>

#include <algorithm>
#include <mutex>
#include <string>

namespace headroom {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS message_id_runs(
  run         INTEGER PRIMARY KEY,
  through_seq INTEGER NOT NULL,
  ids         INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS message_id_run_blocks(
  run          INTEGER NOT NULL,
  first_hi     INTEGER NOT NULL,
  first_lo     INTEGER NOT NULL,
  fingerprints BLOB NOT NULL,
  PRIMARY KEY(run, first_hi, first_lo));
)sql";

// Fingerprints per block: 16 bytes each, so a block row stays within one 4 KB
// page (no overflow pages to follow on a lookup).
constexpr size_t kPerBlock = 248;
constexpr size_t kBytes = 16;

int64_t Signed(uint64_t v) { return static_cast<int64_t>(v); }

void Put64(std::string& out, uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t Get64(const unsigned char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}
// Fingerprint i of a block: lo then hi, little-endian.
MessageIdFingerprint At(const unsigned char* block, size_t i) {
  return {Get64(block + i * kBytes), Get64(block + i * kBytes + 8)};
}

// A statement with blob support (store/sqlite.h binds text only); finalized on scope exit.
class Raw {
 public:
  Raw(Database& db, const char* sql) : db_(db) {
    db_.Check(sqlite3_prepare_v2(db_.handle(), sql, -1, &stmt_, nullptr), "sqlite: prepare");
  }
  ~Raw() { sqlite3_finalize(stmt_); }
  Raw(const Raw&) = delete;
  Raw& operator=(const Raw&) = delete;
  sqlite3_stmt* get() { return stmt_; }
  bool Step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.Check(rc, "sqlite: message_id_runs");
    return false;
  }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

// The lookup statement, kept prepared between calls (lookups are frequent).
struct MessageIdRuns::Lookup {
  explicit Lookup(Database& db)
      : find(db,
             "SELECT fingerprints FROM message_id_run_blocks WHERE run = ?1 AND "
             "(first_hi, first_lo) <= (?2, ?3) ORDER BY first_hi DESC, first_lo DESC LIMIT 1") {}
  Raw find;
};

MessageIdRuns::MessageIdRuns(Database& db) : db_(db) {
  std::lock_guard lock(db_.mutex());
  {  // without the write lock when both exist (a reader while `serve` writes)
    Raw tables(db_,
               "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
               "('message_id_runs', 'message_id_run_blocks')");
    if (tables.Step() && sqlite3_column_int(tables.get(), 0) == 2) return;
  }
  db_.Exec(kSchema);
}

MessageIdRuns::~MessageIdRuns() = default;

void MessageIdRuns::Append(uint64_t run, uint64_t through_seq,
                           const std::vector<MessageIdFingerprint>& sorted) {
  std::lock_guard lock(db_.mutex());
  {
    Raw info(db_, "INSERT INTO message_id_runs(run, through_seq, ids) VALUES(?1, ?2, ?3)");
    sqlite3_bind_int64(info.get(), 1, Signed(run));
    sqlite3_bind_int64(info.get(), 2, Signed(through_seq));
    sqlite3_bind_int64(info.get(), 3, static_cast<sqlite3_int64>(sorted.size()));
    info.Step();
  }
  Raw block(db_,
            "INSERT INTO message_id_run_blocks(run, first_hi, first_lo, fingerprints) "
            "VALUES(?1, ?2, ?3, ?4)");
  std::string bytes;
  for (size_t first = 0; first < sorted.size(); first += kPerBlock) {
    const size_t end = std::min(sorted.size(), first + kPerBlock);
    bytes.clear();
    for (size_t i = first; i < end; ++i) {
      Put64(bytes, sorted[i].lo);
      Put64(bytes, sorted[i].hi);
    }
    sqlite3_bind_int64(block.get(), 1, Signed(run));
    sqlite3_bind_int64(block.get(), 2, Signed(sorted[first].hi));
    sqlite3_bind_int64(block.get(), 3, Signed(sorted[first].lo));
    db_.Check(sqlite3_bind_blob64(block.get(), 4, bytes.data(), bytes.size(), SQLITE_STATIC),
              "sqlite: bind fingerprints");
    block.Step();
    block.Reset();
  }
}

std::vector<MessageIdRunInfo> MessageIdRuns::Runs() {
  std::lock_guard lock(db_.mutex());
  Raw s(db_, "SELECT run, through_seq, ids FROM message_id_runs ORDER BY run");
  std::vector<MessageIdRunInfo> out;
  while (s.Step())
    out.push_back({static_cast<uint64_t>(sqlite3_column_int64(s.get(), 0)),
                   static_cast<uint64_t>(sqlite3_column_int64(s.get(), 1)),
                   static_cast<uint64_t>(sqlite3_column_int64(s.get(), 2))});
  return out;
}

void MessageIdRuns::ForEach(const std::function<void(const MessageIdFingerprint&)>& fn) {
  std::lock_guard lock(db_.mutex());
  Raw s(db_, "SELECT fingerprints FROM message_id_run_blocks ORDER BY run, first_hi, first_lo");
  while (s.Step()) {
    const auto* block = static_cast<const unsigned char*>(sqlite3_column_blob(s.get(), 0));
    const size_t n = static_cast<size_t>(sqlite3_column_bytes(s.get(), 0)) / kBytes;
    for (size_t i = 0; i < n; ++i) fn(At(block, i));
  }
}

bool MessageIdRuns::Contains(const MessageIdFingerprint& fp, uint64_t runs) {
  std::lock_guard lock(db_.mutex());
  if (!lookup_) lookup_ = std::make_unique<Lookup>(db_);
  Raw& find = lookup_->find;
  for (uint64_t run = 1; run <= runs; ++run) {
    sqlite3_bind_int64(find.get(), 1, Signed(run));
    sqlite3_bind_int64(find.get(), 2, Signed(fp.hi));
    sqlite3_bind_int64(find.get(), 3, Signed(fp.lo));
    bool found = false;
    if (find.Step()) {  // the block whose first fingerprint is the greatest <= fp
      const auto* block = static_cast<const unsigned char*>(sqlite3_column_blob(find.get(), 0));
      size_t lo = 0, hi = static_cast<size_t>(sqlite3_column_bytes(find.get(), 0)) / kBytes;
      while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        const MessageIdFingerprint at = At(block, mid);
        if (at == fp) {
          found = true;
          break;
        }
        if (at < fp)
          lo = mid + 1;
        else
          hi = mid;
      }
    }
    find.Reset();
    if (found) return true;
  }
  return false;
}

}  // namespace headroom
