// Snapshots at the Ingestor level (issue 7), on a real SQLite store on disk
// with the example company (examples/*.ndjson, examples/headroom.yaml):
// import part 1, snapshot, close; reopen (from the snapshot, replaying only
// the tail); import part 2 — the derived tables (accounts, signals, firings,
// effects, account_series) equal one full import's, and part 1's messageIds
// resent in part 2 are still duplicates. A corrupt or mismatching snapshot
// is ignored (full replay) with the same results.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "common/snapshot_codec.h"
#include "config/loader.h"
#include "ingest/ingestor.h"
#include "ingest/temp_dir.h"
#include "store/snapshots.h"

namespace headroom {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

Config ExampleConfig() {
  ConfigLoadResult r = LoadConfig(ReadFile(HEADROOM_SOURCE_DIR "/examples/headroom.yaml"));
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return std::move(*r.config);
}

// Records first, then events, as `headroom import records events` reads them.
std::vector<std::string> ExampleLines() {
  std::vector<std::string> lines;
  for (const char* f : {"/examples/records.ndjson", "/examples/events.ndjson"}) {
    std::istringstream in(ReadFile(std::string(HEADROOM_SOURCE_DIR) + f));
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// Every derived table, as text.
struct Tables {
  std::string accounts, signals, firings, effects, series;
  bool operator==(const Tables&) const = default;
};

std::string Rows(Database& db, const char* sql, int columns) {
  Statement s(db, sql);
  Statement::Use use(s);
  std::string out;
  while (s.Step()) {
    for (int c = 0; c < columns; ++c) {
      out += s.Text(c);
      out += c + 1 < columns ? "|" : "\n";
    }
  }
  return out;
}

Tables Read(const std::string& dir) {
  auto store = Store::Open(dir, "normal");
  Database& db = store->database();
  return {Rows(db, "SELECT account_id, score, route, summary, detail FROM accounts ORDER BY 1", 5),
          Rows(db, "SELECT signal_id, status, owner, created_at, doc FROM signals ORDER BY 1", 5),
          Rows(db, "SELECT account_id, trigger, fired_at, doc FROM firings ORDER BY 1, 2, 3", 4),
          Rows(db, "SELECT seq, id, type, at, account_id, data FROM effects ORDER BY seq", 6),
          Rows(db, "SELECT day, account_id, score, metrics FROM account_series ORDER BY 1, 2", 4)};
}

struct ImportRun {
  IngestCounts counts;
  OpenStats open;
  uint64_t snapshot_seq = 0;
};

// Opens the store, imports lines [from, to) (flush every 50), flushes, and
// snapshots when asked.
ImportRun Import(const Config& config, const std::string& dir,
                 const std::vector<std::string>& lines, size_t from, size_t to, bool snapshot) {
  auto store = Store::Open(dir, "normal");
  Ingestor ingestor(config, *store);
  ingestor.set_flush_every(50);
  ImportRun run;
  (void)ingestor.Open(false);
  run.open = ingestor.open_stats();
  for (size_t i = from; i < to; ++i)
    ingestor.Ingest(lines[i], "part.ndjson", static_cast<int64_t>(i + 1));
  ingestor.Flush();
  if (snapshot) run.snapshot_seq = ingestor.SaveSnapshot();
  run.counts = ingestor.counts();
  return run;
}

class IngestSnapshot : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = ExampleConfig();
    lines_ = ExampleLines();
    ASSERT_EQ(lines_.size(), 1117u);
    const ImportRun full = Import(config_, full_.str(), lines_, 0, lines_.size(), false);
    ASSERT_EQ(full.counts.stored, 1115u);  // events:167 quarantined, events:333 a duplicate
    expected_ = Read(full_.str());
    ASSERT_NE(expected_.signals, "");
    ASSERT_NE(expected_.firings, "");
    ASSERT_NE(expected_.series, "");
  }

  Config config_;
  std::vector<std::string> lines_;
  TempDir full_;
  Tables expected_;
};

TEST_F(IngestSnapshot, ReopenFromSnapshotEqualsOneImport) {
  TempDir dir;
  const size_t cut = 600;  // records and part of the events
  const ImportRun first = Import(config_, dir.str(), lines_, 0, cut, true);
  EXPECT_EQ(first.counts.stored, 598u);
  EXPECT_EQ(first.snapshot_seq, 598u);
  {
    auto store = Store::Open(dir.str(), "normal");
    SnapshotStore snaps(store->database());
    EXPECT_EQ(snaps.Seqs(), std::vector<uint64_t>{598});
  }
  // Part 2, with the last 40 lines of part 1 sent again (their messageIds
  // are known only from the store: the snapshot start replays nothing).
  std::vector<std::string> second(lines_.begin() + cut - 40, lines_.end());
  const ImportRun rest = Import(config_, dir.str(), second, 0, second.size(), false);
  EXPECT_FALSE(rest.open.rebuilt);
  EXPECT_EQ(rest.open.snapshot_seq, 598u);
  EXPECT_EQ(rest.open.replayed, 0u);
  EXPECT_EQ(rest.open.snapshot_error, "");
  EXPECT_EQ(rest.counts.duplicates, 40u);
  EXPECT_EQ(rest.counts.stored, 517u);
  EXPECT_EQ(Read(dir.str()), expected_);
}

TEST_F(IngestSnapshot, ReplaysOnlyTheTailAfterTheSnapshot) {
  TempDir dir;
  const ImportRun a = Import(config_, dir.str(), lines_, 0, 400, true);
  EXPECT_EQ(a.snapshot_seq, 398u);
  const ImportRun b =
      Import(config_, dir.str(), lines_, 400, 800, false);  // no snapshot at the end
  EXPECT_EQ(b.open.snapshot_seq, 398u);
  EXPECT_EQ(b.open.replayed, 0u);
  const ImportRun c = Import(config_, dir.str(), lines_, 800, 1000, true);
  EXPECT_EQ(c.open.snapshot_seq, 398u);
  EXPECT_EQ(c.open.replayed, 400u);  // seqs 399..798
  EXPECT_EQ(c.snapshot_seq, 998u);
  {
    auto store = Store::Open(dir.str(), "normal");
    SnapshotStore snaps(store->database());
    EXPECT_EQ(snaps.Seqs(), (std::vector<uint64_t>{998, 398}));  // the newest two
  }
  const ImportRun d = Import(config_, dir.str(), lines_, 0, lines_.size(), true);  // all resent
  EXPECT_EQ(d.open.snapshot_seq, 998u);
  EXPECT_EQ(d.open.replayed, 0u);
  EXPECT_EQ(d.counts.duplicates, 999u);  // all but the quarantined line
  EXPECT_EQ(d.counts.stored, 117u);
  EXPECT_EQ(Read(dir.str()), expected_);
  auto store = Store::Open(dir.str(), "normal");
  SnapshotStore snaps(store->database());
  EXPECT_EQ(snaps.Seqs(), (std::vector<uint64_t>{1115, 998}));
}

// Rewrites the latest snapshot row.
void Tamper(const std::string& dir, const std::function<void(StoredSnapshot&)>& change) {
  auto store = Store::Open(dir, "normal");
  SnapshotStore snaps(store->database());
  std::optional<StoredSnapshot> s = snaps.Latest();
  ASSERT_TRUE(s.has_value());
  change(*s);
  snaps.Put(s->seq, s->rules_fingerprint, s->format, s->created_at, s->body);
}

TEST_F(IngestSnapshot, CorruptOrMismatchingSnapshotMeansFullReplay) {
  struct Case {
    const char* name;
    std::function<void(StoredSnapshot&)> change;
    const char* error;
  };
  const std::vector<Case> cases = {
      {"flipped byte", [](StoredSnapshot& s) { s.body[s.body.size() / 2] ^= 0x40; },
       "checksum mismatch"},
      {"truncated", [](StoredSnapshot& s) { s.body.resize(s.body.size() - 100); },
       "checksum mismatch"},
      {"empty", [](StoredSnapshot& s) { s.body.clear(); }, "truncated"},
      {"other format", [](StoredSnapshot& s) { s.format = 99; }, "format 99, expected 8"},
      {"other rules", [](StoredSnapshot& s) { s.rules_fingerprint = "x"; },
       "taken with other rules"},
      // A valid checksum over a body whose engine part is cut short.
      {"bad engine part",
       [](StoredSnapshot& s) {
         std::string covered = s.body.substr(0, s.body.size() - 8 - 1000);
         const uint64_t sum = SnapshotChecksum(covered);
         for (int i = 0; i < 8; ++i) covered.push_back(static_cast<char>((sum >> (8 * i)) & 0xff));
         s.body = covered;
       },
       nullptr},
  };
  for (const Case& c : cases) {
    TempDir dir;
    Import(config_, dir.str(), lines_, 0, 600, true);
    Tamper(dir.str(), c.change);
    const ImportRun rest = Import(config_, dir.str(), lines_, 560, lines_.size(), false);
    EXPECT_EQ(rest.open.snapshot_seq, 0u) << c.name;
    EXPECT_EQ(rest.open.replayed, 598u) << c.name;
    if (c.error) {
      EXPECT_EQ(rest.open.snapshot_error, c.error) << c.name;
    } else {
      EXPECT_EQ(rest.open.snapshot_error.rfind("snapshot: ", 0), 0u)
          << c.name << ": " << rest.open.snapshot_error;
    }
    EXPECT_EQ(rest.counts.duplicates, 40u) << c.name;
    EXPECT_EQ(Read(dir.str()), expected_) << c.name;
  }
}

TEST_F(IngestSnapshot, RebuildDropsSnapshots) {
  TempDir dir;
  Import(config_, dir.str(), lines_, 0, 600, true);
  auto store = Store::Open(dir.str(), "normal");
  {
    Ingestor ingestor(config_, *store);
    EXPECT_TRUE(ingestor.Open(true));
    EXPECT_EQ(ingestor.open_stats().snapshot_seq, 0u);
    EXPECT_EQ(ingestor.open_stats().replayed, 598u);
    SnapshotStore snaps(store->database());
    EXPECT_TRUE(snaps.Seqs().empty());
    EXPECT_EQ(ingestor.SaveSnapshot(), 598u);
    EXPECT_EQ(snaps.Seqs(), std::vector<uint64_t>{598});
  }
}

}  // namespace
}  // namespace headroom
