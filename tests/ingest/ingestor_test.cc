// The ingest path against a real SQLite store on disk: idempotent re-import,
// restart and rebuild reproduce an uninterrupted run exactly, malformed lines
// are quarantined while the rest imports, and the pipelined flush (writer
// thread) stores exactly what one flush at the end stores.
#include "ingest/ingestor.h"

#include <gtest/gtest.h>

#include <sstream>

#include "config/loader.h"
#include "ingest/temp_dir.h"
#include "store/account_series.h"

namespace headroom {
namespace {

constexpr const char* kConfig = R"(
metrics:
  active_users: { distinct: user, window: 30d }
  workspaces:   { distinct: workspace_id, event: "Workspace Created", window: all }
triggers:
  seat_capacity: { class: capacity, metric: active_users, limit: seats, at: 0.8, sustained_days: 3, buffer: 0.15 }
  second_workspace: { class: adoption, metric: workspaces, at: 2 }
score:
  committee: { max: 20, criteria: [] }
)";

Config LoadTestConfig(const std::string& yaml = kConfig) {
  ConfigLoadResult r = LoadConfig(yaml);
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return std::move(*r.config);
}

// Two accounts over ten days: acme grows to 5 of 5 seats (fires, urgent),
// globex opens a second workspace.
std::vector<std::string> Lines() {
  std::vector<std::string> lines = {
      R"({"type":"account","account_id":"acme","name":"Acme","owners":{"ae":"alice","csm":"carol"},"traits":{"icp_fit":true},"timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"contract","account_id":"acme","plan":"team","start":"2025-01-01","limits":{"seats":5}})",
      R"({"type":"owner","owner_id":"alice","role":"ae","name":"Alice","manager":"mona","timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"group","userId":"g1","groupId":"globex","timestamp":"2026-03-01T08:00:00Z","messageId":"grp1"})",
  };
  for (int day = 1; day <= 10; ++day) {
    for (int u = 1; u <= std::min(day, 5); ++u) {
      std::ostringstream l;
      l << R"({"type":"track","event":"Feature Used","userId":"u)" << u
        << R"(","context":{"groupId":"acme"},"timestamp":"2026-03-)" << (day < 10 ? "0" : "") << day
        << R"(T1)" << u << R"(:00:00Z","messageId":"a-)" << day << "-" << u << R"("})";
      lines.push_back(l.str());
    }
  }
  lines.push_back(
      R"({"type":"track","event":"Workspace Created","userId":"g1","properties":{"workspace_id":"w1"},"timestamp":"2026-03-04T09:00:00Z","messageId":"ws1"})");
  lines.push_back(
      R"({"type":"track","event":"Workspace Created","userId":"g1","properties":{"workspace_id":"w2"},"timestamp":"2026-03-09T09:00:00Z","messageId":"ws2"})");
  lines.push_back(
      R"({"type":"touch","signal_id":"acme:1","owner_id":"alice","at":"2026-03-10T12:00:00Z","channel":"email"})");
  return lines;
}

struct Snapshot {
  std::string accounts, signals, firings;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Read(Store& store) {
  nlohmann::json accounts = nlohmann::json::array();
  for (auto& a : store.Accounts(std::nullopt, std::nullopt))
    accounts.push_back(*store.Account(a["account_id"].get<std::string>()));
  return {accounts.dump(),
          nlohmann::json(store.Signals(std::nullopt, std::nullopt, std::nullopt)).dump(),
          nlohmann::json(store.Firings(std::nullopt, std::nullopt)).dump()};
}

IngestCounts Import(const Config& config, const std::string& dir,
                    const std::vector<std::string>& lines, size_t from, size_t to) {
  auto store = Store::Open(dir, "normal");
  Ingestor ingestor(config, *store);
  (void)ingestor.Open(false);
  for (size_t i = from; i < to; ++i)
    ingestor.Ingest(lines[i], "test.ndjson", static_cast<int64_t>(i + 1));
  ingestor.Flush();
  return ingestor.counts();
}

// Ingests lines[0, n) with automatic flushes only and drops the Ingestor
// without a final Flush, as a process dying mid-import would.
void AbandonImport(const Config& config, const std::string& dir,
                   const std::vector<std::string>& lines, size_t n, uint64_t flush_every,
                   uint64_t documents_every) {
  auto store = Store::Open(dir, "normal");
  Ingestor ingestor(config, *store);
  ingestor.set_flush_every(flush_every);
  ingestor.set_documents_every(documents_every);
  (void)ingestor.Open(false);
  for (size_t i = 0; i < n; ++i)
    ingestor.Ingest(lines[i], "test.ndjson", static_cast<int64_t>(i + 1));
}

// Re-imports every line into `resumed` and expects what the uninterrupted
// import into `whole` left.
void ExpectResumedImportMatches(const Config& config, const std::string& whole,
                                const std::string& resumed, const std::vector<std::string>& lines) {
  Import(config, resumed, lines, 0, lines.size());
  auto a = Store::Open(whole, "normal");
  auto b = Store::Open(resumed, "normal");
  EXPECT_EQ(Read(*a), Read(*b));
  EXPECT_EQ(a->InputCount(), b->InputCount());
  EXPECT_EQ(a->Effects(1000).size(), b->Effects(1000).size());
}

TEST(Ingestor, ImportsAndAttributes) {
  TempDir dir;
  Config config = LoadTestConfig();
  const auto lines = Lines();
  IngestCounts c = Import(config, dir.str(), lines, 0, lines.size());
  EXPECT_EQ(c.stored, lines.size());
  EXPECT_EQ(c.duplicates, 0u);
  EXPECT_EQ(c.quarantined, 0u);
  auto store = Store::Open(dir.str(), "normal");
  // globex's workspace events carry no groupId: attributed through g1's group
  // call. They come after acme's events of 10 March, so both are late and
  // globex is evaluated at W = 2026-03-10T15:00 (the last acme event).
  auto firings = store->Firings(std::string("globex"), std::nullopt);
  ASSERT_EQ(firings.size(), 1u);
  EXPECT_EQ(firings[0]["trigger"], "second_workspace");
  EXPECT_EQ(firings[0]["fired_at"], "2026-03-10T15:00:00.000Z");
  // acme: 4 of 5 seats (0.8) on 4 March, but 2 March had 2/5, so the 3-day
  // sustain fails; u5 at 15:00 on 5 March makes 5/5 >= 0.85: urgent at once.
  auto acme = store->Firings(std::string("acme"), std::nullopt);
  ASSERT_EQ(acme.size(), 1u);
  EXPECT_EQ(acme[0]["fired_at"], "2026-03-05T15:00:00.000Z");
  EXPECT_EQ(acme[0]["urgent_at"], "2026-03-05T15:00:00.000Z");
}

TEST(Ingestor, ReimportChangesNothing) {
  TempDir dir;
  Config config = LoadTestConfig();
  const auto lines = Lines();
  Import(config, dir.str(), lines, 0, lines.size());
  Snapshot before;
  {
    auto store = Store::Open(dir.str(), "normal");
    before = Read(*store);
  }
  IngestCounts again = Import(config, dir.str(), lines, 0, lines.size());
  EXPECT_EQ(again.stored, 0u);
  EXPECT_EQ(again.duplicates, lines.size());
  auto store = Store::Open(dir.str(), "normal");
  EXPECT_EQ(store->InputCount(), lines.size());
  EXPECT_EQ(Read(*store), before);
}

TEST(Ingestor, RestartMidwayEqualsOneRun) {
  TempDir one, two;
  Config config = LoadTestConfig();
  const auto lines = Lines();
  Import(config, one.str(), lines, 0, lines.size());
  Import(config, two.str(), lines, 0, 20);
  Import(config, two.str(), lines, 20, 41);
  Import(config, two.str(), lines, 41, lines.size());
  auto a = Store::Open(one.str(), "normal");
  auto b = Store::Open(two.str(), "normal");
  EXPECT_EQ(Read(*a), Read(*b));
  EXPECT_EQ(a->Effects(1000).size(), b->Effects(1000).size());
}

TEST(Ingestor, RebuildReproducesState) {
  TempDir dir;
  Config config = LoadTestConfig();
  const auto lines = Lines();
  Import(config, dir.str(), lines, 0, lines.size());
  auto store = Store::Open(dir.str(), "normal");
  const Snapshot before = Read(*store);
  const size_t effects = store->Effects(1000).size();
  Ingestor ingestor(config, *store);
  EXPECT_TRUE(ingestor.Open(true));
  EXPECT_EQ(Read(*store), before);
  EXPECT_EQ(store->Effects(1000).size(), effects);
}

TEST(Ingestor, MalformedLineIsQuarantinedAndTheRestImports) {
  TempDir dir;
  Config config = LoadTestConfig();
  auto lines = Lines();
  lines.insert(lines.begin() + 5,
               R"({"type":"track","userId":"u1","timestamp":"2026-03-01T10:00:00Z"})");
  lines.insert(lines.begin() + 6,
               R"({"type":"track","event":"X","userId":"u1","timestamp":"yesterday"})");
  IngestCounts c = Import(config, dir.str(), lines, 0, lines.size());
  EXPECT_EQ(c.quarantined, 2u);
  EXPECT_EQ(c.stored, lines.size() - 2);
  auto store = Store::Open(dir.str(), "normal");
  auto q = store->Quarantine(10);
  ASSERT_EQ(q.size(), 2u);
  EXPECT_EQ(q[0]["error"], "event: required for track");
  EXPECT_EQ(q[0]["line"], 6);
  EXPECT_EQ(q[1]["error"], "timestamp: not an ISO-8601 time");
  // Re-importing does not quarantine the same lines twice.
  Import(config, dir.str(), lines, 0, lines.size());
  EXPECT_EQ(store->Quarantine(10).size(), 2u);
}

TEST(Ingestor, ChangedRulesRebuildOnOpen) {
  TempDir dir;
  Config config = LoadTestConfig();
  const auto lines = Lines();
  Import(config, dir.str(), lines, 0, lines.size());
  // Raise the workspace threshold to 3: the globex firing disappears.
  std::string yaml = kConfig;
  yaml.replace(yaml.find("at: 2 }"), 7, "at: 3 }");
  Config changed = LoadTestConfig(yaml);
  ASSERT_NE(changed.rules_fingerprint, config.rules_fingerprint);
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(changed, *store);
  EXPECT_TRUE(ingestor.Open(false));
  EXPECT_TRUE(store->Firings(std::string("globex"), std::nullopt).empty());
}

// Everything an import leaves in the store, as text: derived documents, the
// log, the records, effects, quarantine and the meta the ingest path keeps.
std::string Everything(Store& store) {
  const Snapshot s = Read(store);
  std::string out = s.accounts + "\n" + s.signals + "\n" + s.firings + "\n";
  store.ForEachInput(0, [&](const Store::LoggedInput& in) {
    out += std::to_string(in.seq) + " " + in.type + " " + std::to_string(in.time) + " " +
           in.account_id + " " + in.message_id + " " + in.raw + "\n";
  });
  Statement records(store.database(), "SELECT seq, type, key, account_id, time, raw FROM records");
  {
    Statement::Use use(records);
    while (records.Step())
      for (int c = 0; c < 6; ++c) out += std::string(records.Text(c)) + (c < 5 ? " " : "\n");
  }
  for (const auto& e : store.Effects(1000)) out += e.dump() + "\n";
  for (const auto& q : store.Quarantine(-1)) out += q.dump() + "\n";
  AccountSeries series(store.database());
  size_t points = 0;
  for (auto& a : store.Accounts(std::nullopt, std::nullopt)) {
    const std::string id = a["account_id"].get<std::string>();
    for (const auto& p : series.Read(id, 0, 100000)) {
      out +=
          id + " " + std::to_string(p.day) + " " + std::to_string(p.score) + " " + p.metrics + "\n";
      ++points;
    }
  }
  EXPECT_GT(points, 0u);  // the lines span several midnights
  out += store.GetMeta("derived_seq").value_or("-") + " " +
         std::to_string(store.GetCounter("duplicates"));
  return out;
}

std::vector<std::string> LinesWithRejectsAndDuplicates() {
  auto lines = Lines();
  lines.insert(lines.begin() + 7,
               R"({"type":"track","event":"X","userId":"u1","timestamp":"yesterday"})");
  lines.push_back(lines[10]);  // a duplicate messageId
  lines.push_back(lines[1]);   // an identical record
  return lines;
}

// Pipelined flushes every 1, 3 and 7 inputs (the writer thread inserting and
// committing while later inputs are evaluated), with the documents written on
// every flush or only on some, store byte-for-byte what one flush at the end
// stores, and the effect listener sees the same effects in the same order.
TEST(Ingestor, PipelinedFlushesStoreWhatOneFlushStores) {
  Config config = LoadTestConfig();
  const auto lines = LinesWithRejectsAndDuplicates();
  auto run = [&](const std::string& dir, uint64_t every, uint64_t documents,
                 std::vector<std::string>* effects) {
    auto store = Store::Open(dir, "normal");
    Ingestor ingestor(config, *store);
    ingestor.set_flush_every(every);
    ingestor.set_documents_every(documents);
    ingestor.set_effect_listener([&](const Effect& e) { effects->push_back(e.id); });
    (void)ingestor.Open(false);
    for (size_t i = 0; i < lines.size(); ++i)
      ingestor.Ingest(lines[i], "test.ndjson", static_cast<int64_t>(i + 1));
    ingestor.Flush();
    const IngestCounts c = ingestor.counts();
    EXPECT_EQ(c.stored, lines.size() - 3);
    EXPECT_EQ(c.duplicates, 2u);
    EXPECT_EQ(c.quarantined, 1u);
    return Everything(*store);
  };
  TempDir once;
  std::vector<std::string> effects_once;
  const std::string expected = run(once.str(), 1000000, 1, &effects_once);
  EXPECT_FALSE(effects_once.empty());
  const std::pair<uint64_t, uint64_t> cases[] = {{1, 1}, {3, 1}, {7, 1}, {1, 4}, {3, 2}, {7, 10}};
  for (const auto& [every, documents] : cases) {
    TempDir dir;
    std::vector<std::string> effects;
    EXPECT_EQ(run(dir.str(), every, documents, &effects), expected)
        << "flush every " << every << ", documents every " << documents;
    EXPECT_EQ(effects, effects_once)
        << "flush every " << every << ", documents every " << documents;
  }
}

// An import that dies after its pipelined flushes (no final Flush) leaves the
// store consistent: exactly the flushed batches (log and derived rows
// together), and importing everything again ends as one uninterrupted run.
TEST(Ingestor, AbandonedPipelinedImportKeepsWholeBatches) {
  Config config = LoadTestConfig();
  const auto lines = Lines();
  TempDir one, two;
  Import(config, one.str(), lines, 0, lines.size());
  AbandonImport(config, two.str(), lines, 23, 5, 1);  // 4 batches of 5 reached the writer
  {
    auto store = Store::Open(two.str(), "normal");
    EXPECT_EQ(store->LastSeq(), 20u);
    EXPECT_EQ(store->GetMeta("derived_seq"), "20");
  }
  ExpectResumedImportMatches(config, one.str(), two.str(), lines);
}

// Automatic flushes between document flushes commit the log rows only: the
// derived rows and derived_seq stay at the last document flush. An import
// abandoned there is caught up by the next Open (it replays and persists what
// the later inputs changed) and ends as one uninterrupted run; so does one
// whose engine changes waited for the final Flush.
TEST(Ingestor, LogOnlyFlushesLeaveDerivedRowsAtTheLastDocumentFlush) {
  Config config = LoadTestConfig();
  const auto lines = Lines();
  ASSERT_GT(lines.size(), 23u);
  TempDir one, two, first15, first20;
  Import(config, one.str(), lines, 0, lines.size());
  Import(config, first15.str(), lines, 0, 15);
  Import(config, first20.str(), lines, 0, 20);
  // Batches at 5, 10, 15 (with documents) and 20 are committed.
  AbandonImport(config, two.str(), lines, 23, 5, 3);
  {
    auto store = Store::Open(two.str(), "normal");
    EXPECT_EQ(store->LastSeq(), 20u);
    EXPECT_EQ(store->GetMeta("derived_seq"), "15");
    auto expected = Store::Open(first15.str(), "normal");
    EXPECT_EQ(Read(*store), Read(*expected));  // the documents of the first 15 inputs
  }
  {  // Open catches the derived rows up to seq 20
    auto store = Store::Open(two.str(), "normal");
    Ingestor ingestor(config, *store);
    EXPECT_FALSE(ingestor.Open(false));
    EXPECT_EQ(store->GetMeta("derived_seq"), "20");
    auto expected = Store::Open(first20.str(), "normal");
    EXPECT_EQ(Read(*store), Read(*expected));
    EXPECT_EQ(store->Effects(1000).size(), expected->Effects(1000).size());
  }
  ExpectResumedImportMatches(config, one.str(), two.str(), lines);
}

// CommitLog (what the server acknowledges after) makes every input durable
// at once, also with a batch in flight; the derived rows stay at the last
// flush.
TEST(Ingestor, CommitLogCommitsEveryInputWhilePipelined) {
  Config config = LoadTestConfig();
  const auto lines = Lines();
  TempDir dir;
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(config, *store);
  ingestor.set_flush_every(4);
  ingestor.set_documents_every(1);
  (void)ingestor.Open(false);
  for (size_t i = 0; i < 10; ++i)
    ingestor.Ingest(lines[i], "test.ndjson", static_cast<int64_t>(i + 1));
  ingestor.CommitLog();
  EXPECT_FALSE(store->InTransaction());
  auto other = Store::Open(dir.str(), "normal");  // a second connection sees it committed
  EXPECT_EQ(other->LastSeq(), 10u);
  EXPECT_EQ(other->GetMeta("derived_seq"), "8");
}

}  // namespace
}  // namespace headroom
