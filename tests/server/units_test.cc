// Unit tests of the server's pieces: gunzip with a cap, credentials, target
// parsing, clock-skew arithmetic, and the live clock (Engine::NextEvaluationPoint,
// Ingestor::AdvanceClock recorded in the log and replayed).
#include <gtest/gtest.h>
#include <zlib.h>

#include "common/time.h"
#include "config/loader.h"
#include "harness.h"
#include "ingest/ingestor.h"
#include "server/auth.h"
#include "server/gzip.h"
#include "server/http_types.h"
#include "server/ingest_endpoint.h"
#include "store/store.h"

namespace headroom::server::testing {
namespace {

std::string Compress(const std::string& in) {
  z_stream zs{};
  deflateInit2(&zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&zs, in.size()) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  deflate(&zs, Z_FINISH);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

TEST(Gzip, InflatesWithinTheCap) {
  std::string out;
  EXPECT_EQ(Gunzip(Compress("hello world"), 100, out), GunzipStatus::kOk);
  EXPECT_EQ(out, "hello world");
  EXPECT_EQ(Gunzip(Compress(""), 100, out), GunzipStatus::kOk);
  EXPECT_EQ(out, "");
}

TEST(Gzip, StopsAtTheCapAndRejectsGarbage) {
  std::string out;
  EXPECT_EQ(Gunzip(Compress(std::string(10'000'000, 'a')), 500 * 1024, out),
            GunzipStatus::kTooLarge);
  EXPECT_EQ(out, "");
  EXPECT_EQ(Gunzip(Compress(std::string(1000, 'a')), 1000, out), GunzipStatus::kOk);
  EXPECT_EQ(Gunzip(Compress(std::string(1001, 'a')), 1000, out), GunzipStatus::kTooLarge);
  EXPECT_EQ(Gunzip("not gzip", 1000, out), GunzipStatus::kCorrupt);
  const std::string whole = Compress("a longer text that is cut in the middle");
  EXPECT_EQ(Gunzip(whole.substr(0, whole.size() / 2), 1000, out), GunzipStatus::kCorrupt);
}

TEST(Auth, ConstantTimeEqualsAndKeySets) {
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abcd"));
  EXPECT_FALSE(ConstantTimeEquals("", "a"));
  KeySet keys({"k1", "k2"});
  EXPECT_TRUE(keys.Contains("k2"));
  EXPECT_FALSE(keys.Contains("k3"));
  EXPECT_FALSE(keys.Contains(""));
}

TEST(Auth, BasicUserAndBearer) {
  EXPECT_EQ(BasicUser("Basic d2tfdGVzdDo="), "wk_test");      // "wk_test:"
  EXPECT_EQ(BasicUser("basic d2tfdGVzdDpwYXNz"), "wk_test");  // "wk_test:pass"
  EXPECT_EQ(BasicUser("Basic d2tfdGVzdA=="), "wk_test");      // no colon
  EXPECT_EQ(BasicUser("Basic !!!"), std::nullopt);
  EXPECT_EQ(BasicUser("Bearer x"), std::nullopt);
  EXPECT_EQ(BearerToken("Bearer tok_1"), "tok_1");
  EXPECT_EQ(BearerToken("bearer  tok_1 "), "tok_1");
  EXPECT_EQ(BearerToken("Bearer "), std::nullopt);
  EXPECT_EQ(BearerToken("Basic abc"), std::nullopt);
}

TEST(Target, SplitsPathAndDecodesQuery) {
  std::string path;
  std::map<std::string, std::string> query;
  SplitTarget("/v1/accounts/acme%20co?route=ae&limit=5&owner=a+b&x", path, query);
  EXPECT_EQ(path, "/v1/accounts/acme co");
  EXPECT_EQ(query, (std::map<std::string, std::string>{
                       {"route", "ae"}, {"limit", "5"}, {"owner", "a b"}, {"x", ""}}));
  EXPECT_EQ(PercentDecode("a%2", false), "a%2");
}

TEST(Skew, SegmentFormula) {
  // receivedAt 10:00:10, sentAt 11:00:05 (client 1 h ahead), stamped 11:00:00.
  const TimeMs received = *ParseIsoTime("2026-03-01T10:00:10Z");
  const TimeMs sent = *ParseIsoTime("2026-03-01T11:00:05Z");
  const TimeMs stamped = *ParseIsoTime("2026-03-01T11:00:00Z");
  EXPECT_EQ(FormatIsoTime(SkewCorrected(received, sent, stamped)), "2026-03-01T10:00:05.000Z");
}

// The live clock, recorded: an input on Mar 1 10:00 puts the next evaluation
// point at the Mar 2 midnight. Wall-clock advances before it record nothing
// and leave W alone; the first one at or after it appends one clock input and
// moves W there; a reopened Ingestor replays it to the same W.
TEST(LiveClock, AdvancesAreRecordedOnlyAtEvaluationPointsAndReplayed) {
  TempDir dir;
  ConfigLoadResult loaded = LoadConfig(
      "metrics:\n  events: { count: \"Test Event\", window: all }\n"
      "triggers:\n  busy: { class: adoption, metric: events, at: 1000000000 }\n");
  ASSERT_TRUE(loaded.config.has_value());
  const Config& config = *loaded.config;
  {
    auto store = Store::Open(dir.str(), "normal");
    Ingestor ingestor(config, *store);
    ingestor.Open(false);
    EXPECT_EQ(ingestor.engine().NextEvaluationPoint(), std::nullopt);
    EXPECT_FALSE(ingestor.AdvanceClock(*ParseIsoTime("2026-03-01T12:00:00Z")));
    ASSERT_EQ(
        ingestor.Ingest(
            R"({"type":"track","event":"Test Event","userId":"u","timestamp":"2026-03-01T10:00:00Z","context":{"groupId":"acme"}})",
            "t", 1),
        IngestOutcome::kStored);
    EXPECT_EQ(FormatIsoTime(*ingestor.engine().NextEvaluationPoint()), "2026-03-02T00:00:00.000Z");
    EXPECT_FALSE(ingestor.AdvanceClock(*ParseIsoTime("2026-03-01T23:59:59.999Z")));
    EXPECT_EQ(FormatIsoTime(*ingestor.engine().clock()), "2026-03-01T10:00:00.000Z");
    EXPECT_TRUE(ingestor.AdvanceClock(*ParseIsoTime("2026-03-02T00:00:01.500Z")));
    EXPECT_EQ(FormatIsoTime(*ingestor.engine().clock()), "2026-03-02T00:00:01.500Z");
    EXPECT_EQ(FormatIsoTime(*ingestor.engine().NextEvaluationPoint()), "2026-03-03T00:00:00.000Z");
    ingestor.Flush();
    EXPECT_EQ(store->Account("acme").value()["evaluated_at"], "2026-03-02T00:00:00.000Z");
  }
  auto store = Store::Open(dir.str(), "normal");
  std::vector<std::string> types;
  store->ForEachInput(0, [&](const Store::LoggedInput& in) { types.push_back(in.type); });
  EXPECT_EQ(types, (std::vector<std::string>{"track", "clock"}));
  Ingestor replayed(config, *store);
  replayed.Open(false);
  EXPECT_EQ(FormatIsoTime(*replayed.engine().clock()), "2026-03-02T00:00:01.500Z");
}

// HTTP checks of the Ingestor: kinds per endpoint and the 24 h future limit.
TEST(IngestChecks, KindsAndFutureLimit) {
  TempDir dir;
  ConfigLoadResult loaded = LoadConfig(
      "metrics:\n  events: { count: \"Test Event\", window: all }\n"
      "triggers:\n  busy: { class: adoption, metric: events, at: 1000000000 }\n");
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(*loaded.config, *store);
  ingestor.Open(false);
  IngestChecks checks;
  checks.not_after = *ParseIsoTime("2026-03-02T10:00:00Z");
  checks.records = false;
  std::string error;
  EXPECT_EQ(
      ingestor.Ingest(
          R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-02T10:00:00.001Z"})",
          "http", 0, &error, checks),
      IngestOutcome::kQuarantined);
  EXPECT_EQ(error, "timestamp: in the future");
  EXPECT_EQ(ingestor.Ingest(
                R"({"type":"track","event":"E","userId":"u","timestamp":"2026-03-02T10:00:00Z"})",
                "http", 0, &error, checks),
            IngestOutcome::kStored);
  EXPECT_EQ(ingestor.Ingest(
                R"({"type":"owner","owner_id":"o","role":"ae","timestamp":"2026-03-01T00:00:00Z"})",
                "http", 0, &error, checks),
            IngestOutcome::kQuarantined);
  EXPECT_EQ(error,
            "type: must be a Segment message type (track, identify, group, page, screen, alias)");
  ingestor.Flush();
  EXPECT_EQ(store->QuarantineCount(), 2u);
}

}  // namespace
}  // namespace headroom::server::testing

namespace headroom::server::testing {
namespace {

// The server commits the log every cycle (CommitLog) and the derived rows less
// often (Flush). A crash in between: Open() replays and persists what the
// inputs after the last Flush changed, so the derived rows end as if every
// commit had flushed them.
TEST(CommitLog, DerivedRowsCatchUpAfterACrash) {
  TempDir dir;
  ConfigLoadResult loaded = LoadConfig(
      "metrics:\n  events: { count: \"Test Event\", window: all }\n"
      "triggers:\n  busy: { class: adoption, metric: events, at: 1000000000 }\n");
  const auto track = [](int i, const std::string& account) {
    return R"({"type":"track","event":"Test Event","userId":"u","messageId":"m)" +
           std::to_string(i) + R"(","timestamp":"2026-03-01T10:00:00Z","context":{"groupId":")" +
           account + R"("}})";
  };
  {
    auto store = Store::Open(dir.str(), "normal");
    Ingestor ingestor(*loaded.config, *store);
    ingestor.Open(false);
    ASSERT_EQ(ingestor.Ingest(track(1, "acme"), "t", 1), IngestOutcome::kStored);
    ingestor.Flush();
    ASSERT_EQ(ingestor.Ingest(track(2, "acme"), "t", 2), IngestOutcome::kStored);
    ASSERT_EQ(ingestor.Ingest(track(3, "beta"), "t", 3), IngestOutcome::kStored);
    ingestor.CommitLog();  // then "crash": no Flush
    EXPECT_EQ(store->Account("acme").value()["metrics"]["events"], 1);
    EXPECT_FALSE(store->Account("beta").has_value());
  }
  auto store = Store::Open(dir.str(), "normal");
  Ingestor reopened(*loaded.config, *store);
  EXPECT_FALSE(reopened.Open(false));  // caught up, not rebuilt
  EXPECT_EQ(store->Account("acme").value()["metrics"]["events"], 2);
  EXPECT_EQ(store->Account("beta").value()["metrics"]["events"], 1);
  EXPECT_EQ(store->GetMeta("derived_seq"), "3");
}

}  // namespace
}  // namespace headroom::server::testing
