#include "store/snapshots.h"

#include <limits>
#include <mutex>
#include <string>

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

}  // namespace

SnapshotStore::SnapshotStore(Database& db) : db_(db) {
  std::lock_guard lock(db_.mutex());
  {
    Statement exists(db_,
                     "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'snapshots'");
    Statement::Use use(exists);
    if (exists.Step()) return;
  }
  db_.Exec(kSchema);
}

void SnapshotStore::Put(uint64_t seq, std::string_view rules_fingerprint, uint64_t format,
                        int64_t created_at, std::string_view body) {
  std::lock_guard lock(db_.mutex());
  {
    Statement put(db_,
                  "INSERT OR REPLACE INTO snapshots(seq, rules_fingerprint, format, created_at, "
                  "body) VALUES(?1, ?2, ?3, ?4, ?5)");
    Statement::Use use(put);
    put.Bind(1, static_cast<int64_t>(seq));
    put.Bind(2, rules_fingerprint);
    put.Bind(3, static_cast<int64_t>(format));
    put.Bind(4, created_at);
    put.BindBlob(5, body);
    put.Run();
  }
  Statement prune(db_,
                  "DELETE FROM snapshots WHERE seq NOT IN "
                  "(SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?1)");
  Statement::Use use(prune);
  prune.Bind(1, int64_t{kKeep});
  prune.Run();
}

std::optional<StoredSnapshot> SnapshotStore::Latest() {
  std::lock_guard lock(db_.mutex());
  Statement get(db_,
                "SELECT seq, rules_fingerprint, format, created_at, length(body) FROM snapshots "
                "ORDER BY seq DESC LIMIT 1");
  Statement::Use use(get);  // its read transaction also covers the blob read below
  if (!get.Step()) return std::nullopt;
  StoredSnapshot s;
  s.seq = static_cast<uint64_t>(get.Int(0));
  s.rules_fingerprint = get.Text(1);
  s.format = static_cast<uint64_t>(get.Int(2));
  s.created_at = get.Int(3);
  // The body is read straight into the string (incremental blob I/O): reading
  // the column would have SQLite assemble a copy of its own first, ~150 MB at
  // 100K accounts, every page of it touched twice.
  const int64_t length = get.Int(4);
  if (length > std::numeric_limits<int>::max())
    throw StoreError("snapshot body: " + std::to_string(length) + " bytes, too large to read");
  s.body.resize(static_cast<size_t>(length));
  if (length > 0) {
    // Through a memory map for this one read: SQLite then copies the body's
    // pages straight from the file's cache instead of first read()ing each
    // into its own page buffer (-0.07 s of a 2.3 s restart at 135 MB). Off
    // again at once: everywhere else the store keeps plain reads (an I/O
    // error in a map is a SIGBUS, not an error code). SQLite caps the map at
    // its SQLITE_MAX_MMAP_SIZE and reads the rest as usual.
    db_.Exec("PRAGMA mmap_size = 4294967296");
    struct Unmap {
      Database& db;
      ~Unmap() {
        try {
          db.Exec("PRAGMA mmap_size = 0");
        } catch (const StoreError&) {  // the map stays on for reads: nothing is lost
        }
      }
    } unmap{db_};
    sqlite3_blob* blob = nullptr;
    db_.Check(sqlite3_blob_open(db_.handle(), "main", "snapshots", "body",
                                static_cast<sqlite3_int64>(s.seq), 0, &blob),
              "snapshot body");
    const int rc = sqlite3_blob_read(blob, s.body.data(), static_cast<int>(length), 0);
    sqlite3_blob_close(blob);
    db_.Check(rc, "snapshot body");
  }
  return s;
}

std::vector<uint64_t> SnapshotStore::Seqs() {
  std::lock_guard lock(db_.mutex());
  Statement get(db_, "SELECT seq FROM snapshots ORDER BY seq DESC");
  Statement::Use use(get);
  std::vector<uint64_t> out;
  while (get.Step()) out.push_back(static_cast<uint64_t>(get.Int(0)));
  return out;
}

void SnapshotStore::Clear() {
  std::lock_guard lock(db_.mutex());
  db_.Exec("DELETE FROM snapshots");
}

}  // namespace headroom
