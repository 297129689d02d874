#include "store/snapshots.h"

#include <mutex>

#include <sqlite3.h>

namespace headroom {

namespace {

constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS snapshots(
  seq               INTEGER PRIMARY KEY,
  rules_fingerprint TEXT NOT NULL,
  format            INTEGER NOT NULL,
  created_at        INTEGER NOT NULL,
  body              BLOB NOT NULL);
)sql";

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
    db_.Check(rc, "sqlite: snapshots");
    return false;
  }

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace

SnapshotStore::SnapshotStore(Database& db) : db_(db) {
  std::lock_guard lock(db_.mutex());
  {
    Raw exists(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'");
    if (exists.Step()) return;
  }
  db_.Exec(kSchema);
}

void SnapshotStore::Put(uint64_t seq, std::string_view rules_fingerprint, uint64_t format,
                        int64_t created_at, std::string_view body) {
  std::lock_guard lock(db_.mutex());
  {
    Raw put(db_,
            "INSERT OR REPLACE INTO snapshots(seq, rules_fingerprint, format, created_at, body) "
            "VALUES(?1, ?2, ?3, ?4, ?5)");
    sqlite3_bind_int64(put.get(), 1, static_cast<sqlite3_int64>(seq));
    sqlite3_bind_text64(put.get(), 2, rules_fingerprint.data(), rules_fingerprint.size(),
                        SQLITE_STATIC, SQLITE_UTF8);
    sqlite3_bind_int64(put.get(), 3, static_cast<sqlite3_int64>(format));
    sqlite3_bind_int64(put.get(), 4, created_at);
    db_.Check(sqlite3_bind_blob64(put.get(), 5, body.empty() ? "" : body.data(), body.size(),
                                  SQLITE_STATIC),
              "sqlite: bind snapshot");
    put.Step();
  }
  Raw prune(db_,
            "DELETE FROM snapshots WHERE seq NOT IN "
            "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?1)");
  sqlite3_bind_int64(prune.get(), 1, kKeep);
  prune.Step();
}

std::optional<StoredSnapshot> SnapshotStore::Latest() {
  std::lock_guard lock(db_.mutex());
  Raw get(db_,
          "SELECT seq, rules_fingerprint, format, created_at, body FROM snapshots "
          "ORDER BY seq DESC LIMIT 1");
  if (!get.Step()) return std::nullopt;
  StoredSnapshot s;
  s.seq = static_cast<uint64_t>(sqlite3_column_int64(get.get(), 0));
  if (const auto* t = sqlite3_column_text(get.get(), 1))
    s.rules_fingerprint.assign(reinterpret_cast<const char*>(t),
                               static_cast<size_t>(sqlite3_column_bytes(get.get(), 1)));
  s.format = static_cast<uint64_t>(sqlite3_column_int64(get.get(), 2));
  s.created_at = sqlite3_column_int64(get.get(), 3);
  if (const void* b = sqlite3_column_blob(get.get(), 4))
    s.body.assign(static_cast<const char*>(b),
                  static_cast<size_t>(sqlite3_column_bytes(get.get(), 4)));
  return s;
}

std::vector<uint64_t> SnapshotStore::Seqs() {
  std::lock_guard lock(db_.mutex());
  Raw get(db_, "SELECT seq FROM snapshots ORDER BY seq DESC");
  std::vector<uint64_t> out;
  while (get.Step()) out.push_back(static_cast<uint64_t>(sqlite3_column_int64(get.get(), 0)));
  return out;
}

void SnapshotStore::Clear() {
  std::lock_guard lock(db_.mutex());
  db_.Exec("DELETE FROM snapshots");
}

}  // namespace headroom
