// The outbox side: per-endpoint filters, skip_older_than, idempotence across
// rebuilds, and atomicity with the state change when the writing process
// crashes at any point (fork + _exit inside the ingest transaction).
#include "delivery/outbox_writer.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <sstream>

#include "delivery/helpers.h"
#include "delivery/signing.h"
#include "ingest/ingestor.h"

namespace headroom {
namespace {

using testing::FakeClock;
using testing::MakeEffect;
using testing::TempDir;

std::vector<OutboxRow> Rows(Store& store) {
  Outbox ob(store.database());
  std::vector<OutboxRow> rows;
  for (int64_t id = 1;; ++id) {
    auto r = ob.Get(id);
    if (!r) break;
    rows.push_back(std::move(*r));
  }
  return rows;
}

TEST(OutboxWriter, PerEndpointFiltersAndOnlyTheSixSubscribableTypes) {
  TempDir dir;
  Config config = testing::LoadTestConfig(R"(
webhooks:
  - { url: "http://127.0.0.1:1/created", format: json, events: [signal.created] }
  - { url: "https://hooks.slack.com/services/T/B/X", format: slack, events: [trigger.fired, trigger.urgent] }
  - { url: "http://127.0.0.1:1/all", format: json, events: ["*"] }
)");
  auto store = Store::Open(dir.str(), "normal");
  FakeClock clock;
  OutboxWriter w(config, *store, clock.fn());
  for (const char* type : {"signal.created", "signal.touched", "signal.opportunity",
                           "trigger.fired", "signal.closed", "trigger.urgent"})
    w.Write(MakeEffect(type, "acme:1", clock.now));
  std::multiset<std::pair<int, std::string>> got;
  for (const auto& r : Rows(*store)) got.insert({r.endpoint_index, r.type});
  const std::multiset<std::pair<int, std::string>> want = {
      {0, "signal.created"}, {1, "trigger.fired"}, {1, "trigger.urgent"}, {2, "signal.created"},
      {2, "trigger.fired"},  {2, "signal.closed"}, {2, "trigger.urgent"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(w.pending_written(), 7u);
  for (const auto& r : Rows(*store)) {
    EXPECT_EQ(r.state, "pending");
    EXPECT_EQ(r.next_attempt_at, clock.now);  // retry_delays[0] = 0s
    EXPECT_EQ(r.webhook_id, WebhookIdFor(r.effect_id));
    if (r.endpoint_index == 1) {
      EXPECT_TRUE(nlohmann::json::parse(r.body).contains("blocks"));
    }
  }
}

TEST(OutboxWriter, EffectsOlderThanSkipOlderThanAreRecordedAsSkipped) {
  TempDir dir;
  Config config =
      testing::JsonEndpointConfig("http://127.0.0.1:1/h", "delivery: { skip_older_than: 1d }\n");
  auto store = Store::Open(dir.str(), "normal");
  FakeClock clock;
  OutboxWriter w(config, *store, clock.fn());
  w.Write(MakeEffect("signal.created", "acme:1", clock.now - kMsPerDay - 1));  // older: skipped
  w.Write(MakeEffect("signal.created", "acme:2", clock.now - kMsPerDay));      // exactly 1d: sent
  w.Write(MakeEffect("signal.created", "acme:3", clock.now + 5));  // ahead of the wall clock
  auto rows = Rows(*store);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].state, "skipped");
  EXPECT_FALSE(rows[0].next_attempt_at);
  EXPECT_EQ(rows[0].body, "");
  EXPECT_EQ(rows[1].state, "pending");
  EXPECT_EQ(rows[2].state, "pending");
  EXPECT_EQ(w.skipped_written(), 1u);
}

// Ingest fixture: the ingest tests' two accounts over ten days.
std::vector<std::string> Lines() {
  std::vector<std::string> lines = {
      R"({"type":"account","account_id":"acme","name":"Acme","owners":{"ae":"alice","csm":"carol"},"traits":{"icp_fit":true},"timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"contract","account_id":"acme","plan":"team","start":"2025-01-01","limits":{"seats":5}})",
      R"({"type":"owner","owner_id":"alice","role":"ae","name":"Alice","manager":"mona","timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"owner","owner_id":"rita","role":"revops","name":"Rita","timestamp":"2026-03-01T00:00:00Z"})",
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
      R"({"type":"track","event":"Workspace Created","userId":"g1","context":{"groupId":"globex"},"properties":{"workspace_id":"w1"},"timestamp":"2026-03-04T09:00:00Z","messageId":"ws1"})");
  lines.push_back(
      R"({"type":"track","event":"Workspace Created","userId":"g1","context":{"groupId":"globex"},"properties":{"workspace_id":"w2"},"timestamp":"2026-03-09T09:00:00Z","messageId":"ws2"})");
  return lines;
}

constexpr const char* kTwoEndpoints = R"(
webhooks:
  - { url: "http://127.0.0.1:1/signals", format: json, events: [signal.created, signal.escalated] }
  - { url: "http://127.0.0.1:1/all", format: json, events: ["*"] }
routing: { ae_at: 10, csm_at: 5 }
)";

// 2026-03-10T12:00Z: the last days' effects are fresh, the first days' skipped.
constexpr TimeMs kWallClock = 1'773'144'000'000;

std::set<std::string> RowKeys(Store& store) {
  std::set<std::string> keys;
  for (const auto& r : Rows(store))
    keys.insert(r.effect_id + "|" + std::to_string(r.endpoint_index) + "|" + r.state);
  return keys;
}

int64_t Count(Store& store, const char* table) {
  Statement s(store.database(), std::string("SELECT count(*) FROM ") + table);
  Statement::Use use(s);
  s.Step();
  return s.Int(0);
}

// Every committed effect has its rows on every subscribed endpoint; no row
// exists without its committed effect.
void ExpectConsistent(Store& store, const Config& config) {
  std::set<std::string> expected, got;
  auto endpoints = EndpointsOf(config);
  for (const auto& e : store.Effects(1'000'000))
    for (const auto& ep : endpoints)
      if (ep.Subscribes(e["type"].get<std::string>()))
        expected.insert(e["id"].get<std::string>() + "|" + std::to_string(ep.index));
  for (const auto& r : Rows(store))
    got.insert(r.effect_id + "|" + std::to_string(r.endpoint_index));
  EXPECT_EQ(got, expected);
}

TEST(OutboxWriter, ImportThenRebuildAddsNothingAndKeepsIds) {
  TempDir dir;
  Config config = testing::LoadTestConfig(kTwoEndpoints);
  FakeClock clock{kWallClock};
  std::set<std::string> first;
  {
    auto store = Store::Open(dir.str(), "normal");
    Ingestor ingestor(config, *store);
    OutboxWriter w(config, *store, clock.fn());
    ingestor.set_effect_listener([&w](const Effect& e) { w.Write(e); });
    ingestor.Open(false);
    for (const auto& l : Lines()) (void)ingestor.Ingest(l, "t", 0);
    ingestor.Flush();
    first = RowKeys(*store);
    EXPECT_GT(w.pending_written(), 0u);
    EXPECT_GT(w.skipped_written(), 0u);
    ExpectConsistent(*store, config);
  }
  clock.now += kMsPerDay * 30;  // a month later: a rebuild must not re-send anything
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(config, *store);
  OutboxWriter w(config, *store, clock.fn());
  ingestor.set_effect_listener([&w](const Effect& e) { w.Write(e); });
  EXPECT_TRUE(ingestor.Open(true));
  EXPECT_EQ(w.pending_written() + w.skipped_written(), 0u);
  EXPECT_EQ(RowKeys(*store), first);
}

// Writes `lines` committing after each one; the listener crashes the process
// (_exit, no destructors, no rollback) just before the outbox row number
// `crash_at` (0-based) would be written, or throws there when `throw_instead`.
void IngestAndCrash(const std::string& dir, const Config& config, int64_t crash_at,
                    bool throw_instead) {
  auto store = Store::Open(dir, "normal");
  Ingestor ingestor(config, *store);
  FakeClock clock{kWallClock};
  OutboxWriter w(config, *store, clock.fn());
  int64_t rows = 0;
  ingestor.set_effect_listener([&](const Effect& e) {
    for (const auto& ep : EndpointsOf(config)) {
      if (!ep.Subscribes(e.type)) continue;
      if (rows++ == crash_at) {
        if (throw_instead) throw StoreError("injected fault");
        ::_exit(0);
      }
    }
    w.Write(e);
  });
  ingestor.Open(false);
  for (const auto& l : Lines()) {
    (void)ingestor.Ingest(l, "t", 0);
    ingestor.Flush();
  }
}

TEST(OutboxWriter, ACrashAnywhereLeavesStateAndOutboxTogetherOrNeither) {
  Config config = testing::LoadTestConfig(kTwoEndpoints);
  std::set<std::string> clean;
  int64_t total_rows = 0;
  int64_t total_effects = 0;
  {
    TempDir dir;
    IngestAndCrash(dir.str(), config, -1, false);
    auto store = Store::Open(dir.str(), "normal");
    clean = RowKeys(*store);
    total_rows = static_cast<int64_t>(clean.size());
    total_effects = Count(*store, "effects");
  }
  ASSERT_GT(total_rows, 4);
  for (int64_t k = 0; k < total_rows; ++k) {
    for (bool throw_instead : {false, true}) {
      SCOPED_TRACE("crash before row " + std::to_string(k) + (throw_instead ? " (throw)" : ""));
      TempDir dir;
      if (throw_instead) {
        EXPECT_THROW(IngestAndCrash(dir.str(), config, k, true), StoreError);
      } else {
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
          IngestAndCrash(dir.str(), config, k, false);
          ::_exit(1);  // not reached: the crash happens first
        }
        int status = 0;
        ::waitpid(pid, &status, 0);
        ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      }
      {
        auto store = Store::Open(dir.str(), "normal");
        ExpectConsistent(*store, config);
        EXPECT_LT(Count(*store, "effects"), total_effects);
        // The line whose transaction crashed is not in the log either.
        EXPECT_LT(Count(*store, "inputs"), static_cast<int64_t>(Lines().size()));
      }
      // Restart: re-importing completes the outbox exactly as a clean run.
      IngestAndCrash(dir.str(), config, -1, false);
      auto store = Store::Open(dir.str(), "normal");
      EXPECT_EQ(RowKeys(*store), clean);
    }
  }
}

}  // namespace
}  // namespace headroom
