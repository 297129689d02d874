#include "store/message_id_runs.h"

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
uint64_t Get64(const char* p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(p[i]);
  return v;
}
// Fingerprint i of a block: lo then hi, little-endian.
MessageIdFingerprint At(std::string_view block, size_t i) {
  return {Get64(block.data() + i * kBytes), Get64(block.data() + i * kBytes + 8)};
}

}  // namespace

MessageIdRuns::MessageIdRuns(Database& db) : db_(db) {
  std::lock_guard lock(db_.mutex());
  {  // without the write lock when both exist (a reader while `serve` writes)
    Statement tables(db_,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                     "('message_id_runs', 'message_id_run_blocks')");
    Statement::Use use(tables);
    if (tables.Step() && tables.Int(0) == 2) return;
  }
  db_.Exec(kSchema);
}

MessageIdRuns::~MessageIdRuns() = default;

void MessageIdRuns::Append(uint64_t run, uint64_t through_seq,
                           const std::vector<MessageIdFingerprint>& sorted) {
  std::lock_guard lock(db_.mutex());
  {
    Statement info(db_, "INSERT INTO message_id_runs(run, through_seq, ids) VALUES(?1, ?2, ?3)");
    Statement::Use use(info);
    info.Bind(1, Signed(run));
    info.Bind(2, Signed(through_seq));
    info.Bind(3, static_cast<int64_t>(sorted.size()));
    info.Run();
  }
  Statement block(db_,
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
    Statement::Use use(block);
    block.Bind(1, Signed(run));
    block.Bind(2, Signed(sorted[first].hi));
    block.Bind(3, Signed(sorted[first].lo));
    block.BindBlob(4, bytes);
    block.Run();
  }
}

std::vector<MessageIdRunInfo> MessageIdRuns::Runs() {
  std::lock_guard lock(db_.mutex());
  Statement s(db_, "SELECT run, through_seq, ids FROM message_id_runs ORDER BY run");
  Statement::Use use(s);
  std::vector<MessageIdRunInfo> out;
  while (s.Step())
    out.push_back({static_cast<uint64_t>(s.Int(0)), static_cast<uint64_t>(s.Int(1)),
                   static_cast<uint64_t>(s.Int(2))});
  return out;
}

void MessageIdRuns::ForEach(const std::function<void(const MessageIdFingerprint&)>& fn) {
  std::lock_guard lock(db_.mutex());
  Statement s(db_,
              "SELECT fingerprints FROM message_id_run_blocks ORDER BY run, first_hi, first_lo");
  Statement::Use use(s);
  while (s.Step()) {
    const std::string_view block = s.Blob(0);
    for (size_t i = 0; i < block.size() / kBytes; ++i) fn(At(block, i));
  }
}

bool MessageIdRuns::Contains(const MessageIdFingerprint& fp, uint64_t runs) {
  std::lock_guard lock(db_.mutex());
  if (!find_)
    find_ = std::make_unique<Statement>(
        db_,
        "SELECT fingerprints FROM message_id_run_blocks WHERE run = ?1 AND "
        "(first_hi, first_lo) <= (?2, ?3) ORDER BY first_hi DESC, first_lo DESC LIMIT 1");
  Statement& find = *find_;
  for (uint64_t run = 1; run <= runs; ++run) {
    Statement::Use use(find);
    find.Bind(1, Signed(run));
    find.Bind(2, Signed(fp.hi));
    find.Bind(3, Signed(fp.lo));
    if (!find.Step()) continue;  // fp sorts before the run's first fingerprint
    // The block whose first fingerprint is the greatest <= fp: binary search it.
    const std::string_view block = find.Blob(0);
    size_t lo = 0, hi = block.size() / kBytes;
    while (lo < hi) {
      const size_t mid = lo + (hi - lo) / 2;
      const MessageIdFingerprint at = At(block, mid);
      if (at == fp) return true;
      if (at < fp)
        lo = mid + 1;
      else
        hi = mid;
    }
  }
  return false;
}

}  // namespace headroom
