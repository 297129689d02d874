// Several clients at once (SPEC 6.1): no event lost or doubled, including the
// same batch posted by two clients concurrently and whole batches re-sent.
// Also: Segment clock-skew correction and graceful shutdown end to end.
#include <gtest/gtest.h>

#include "common/time.h"
#include "harness.h"

namespace headroom::server::testing {
namespace {

constexpr int kThreads = 8;
constexpr int kBatches = 12;
constexpr int kPerBatch = 40;

std::string ThreadBatch(int t, int b) {
  std::vector<nlohmann::json> msgs;
  for (int k = 0; k < kPerBatch; ++k)
    msgs.push_back(
        TrackMessage("c" + std::to_string(t) + "_" + std::to_string(b) + "_" + std::to_string(k),
                     "conc_" + std::to_string(t), "u" + std::to_string(k % 5)));
  return BatchBody(msgs);
}

TEST(Concurrency, ManyClientsNothingLostOrDoubled) {
  TempDir dir;
  ServerProcess server(WriteConfig(dir));
  ASSERT_NE(server.port(), 0);
  std::vector<nlohmann::json> shared;
  for (int k = 0; k < kPerBatch; ++k)
    shared.push_back(TrackMessage("shared_" + std::to_string(k), "conc_shared"));
  const std::string shared_body = BatchBody(shared);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient http(server.port());
      for (int b = 0; b < kBatches; ++b) {
        if (http.PostSegment("/v1/batch", ThreadBatch(t, b)).body != R"({"success":true})")
          ++failures;
        if (b == kBatches / 2 && t < 2 &&
            http.PostSegment("/v1/batch", shared_body).body != R"({"success":true})")
          ++failures;
      }
      // A client re-sends its first batch (a retry after a lost response).
      if (http.PostSegment("/v1/batch", ThreadBatch(t, 0)).body != R"({"success":true})")
        ++failures;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  HttpClient http(server.port());
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(SettledEventsOf(http, "conc_" + std::to_string(t), kBatches * kPerBatch),
              kBatches * kPerBatch);
  EXPECT_EQ(SettledEventsOf(http, "conc_shared", kPerBatch), kPerBatch);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_ingested_total"),
            kThreads * kBatches * kPerBatch + kPerBatch);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_duplicate_total"), kThreads * kPerBatch + kPerBatch);
  EXPECT_EQ(server.Terminate(), 0);
}

// SPEC 1.1: timestamp = receivedAt - (sentAt - originalTimestamp). A client whose
// clock is 1 h ahead sends an event it stamped 10 s before sending: stored 10 s
// before the server received it. The corrected time is in the log, so a
// restart reproduces it.
TEST(Concurrency, ClockSkewIsCorrectedWithSentAt) {
  TempDir dir;
  const std::string config = WriteConfig(dir);
  const auto before = ParseIsoTime(NowIso()).value();
  {
    ServerProcess server(config);
    HttpClient http(server.port());
    nlohmann::json m = TrackMessage("skew1", "skew");
    m.erase("timestamp");
    m["originalTimestamp"] = NowIso(3600 * 1000 - 10 * 1000);
    const nlohmann::json body = {{"batch", {m}}, {"sentAt", NowIso(3600 * 1000)}};
    ASSERT_EQ(http.PostSegment("/v1/batch", body.dump()).body, R"({"success":true})");
    const auto at =
        ParseIsoTime(http.Get("/v1/accounts/skew").json()["evaluated_at"].get<std::string>());
    ASSERT_TRUE(at.has_value());
    EXPECT_GE(*at, before - 10 * 1000 - 2000);
    EXPECT_LE(*at, before - 10 * 1000 + 2000);
    EXPECT_EQ(server.Terminate(), 0);
  }
  ServerProcess again(config);
  HttpClient http(again.port());
  const auto at =
      ParseIsoTime(http.Get("/v1/accounts/skew").json()["evaluated_at"].get<std::string>());
  EXPECT_LE(*at, before - 10 * 1000 + 2000);
}

// Graceful shutdown: requests in flight when SIGTERM arrives are answered, and
// what was acknowledged is there after the restart; the exit code is 0.
TEST(Concurrency, SigtermFinishesInFlightRequestsAndExitsZero) {
  TempDir dir;
  const std::string config = WriteConfig(dir);
  int acked = 0;
  {
    ServerProcess server(config, {"HEADROOM_TEST_STALL_ENGINE_MS=300"});
    HttpClient http(server.port());
    std::thread client([&] {
      for (int b = 0; b < 3; ++b)
        if (http.PostSegment("/v1/batch", ThreadBatch(0, b)).status == 200) acked += kPerBatch;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    EXPECT_EQ(server.Terminate(), 0);
    client.join();
  }
  EXPECT_GE(acked, kPerBatch);
  ServerProcess again(config);
  HttpClient http(again.port());
  EXPECT_EQ(SettledEventsOf(http, "conc_0", acked), acked);
}

}  // namespace
}  // namespace headroom::server::testing

namespace headroom::server::testing {
namespace {

// SPEC 2: `serve` refuses to start without a write key and an API token, or on
// an invalid config (exit status 1, the reasons on stderr).
TEST(Startup, RefusesWithoutCredentialsOrOnAnInvalidConfig) {
  TempDir dir;
  const std::string no_keys = dir / "nokeys.yaml";
  std::ofstream(no_keys) << "metrics:\n  events: { count: \"Test Event\", window: all }\n"
                            "triggers:\n  busy: { class: adoption, metric: events, at: 5 }\n";
  const std::string bad = dir / "bad.yaml";
  std::ofstream(bad) << "server: {write_keys: [a], api_tokens: [b]}\n"
                        "metrics:\n  events: { count: \"Test Event\", window: bogus }\n";
  const std::string bad_listen = dir / "listen.yaml";
  std::ofstream(bad_listen) << "server: {listen: nowhere, write_keys: [a], api_tokens: [b]}\n"
                               "metrics:\n  events: { count: \"Test Event\", window: all }\n"
                               "triggers:\n  busy: { class: adoption, metric: events, at: 5 }\n";
  for (const std::string& config : {no_keys, bad, bad_listen}) {
    const std::string cmd = std::string(HEADROOM_BINARY) + " serve --config " + config +
                            " --data " + (dir / "data") + " >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    EXPECT_TRUE(WIFEXITED(status)) << config;
    EXPECT_EQ(WEXITSTATUS(status), 1) << config;
  }
}

}  // namespace
}  // namespace headroom::server::testing
