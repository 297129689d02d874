// SPEC 6.1: when the engine falls behind, ingestion answers 429 with
// Retry-After instead of growing memory; once it drains, nothing acknowledged
// is lost. The test hook HEADROOM_TEST_STALL_ENGINE_MS stalls the ingest
// thread before every cycle; server.max_queue is 300 inputs.
#include <gtest/gtest.h>

#include <atomic>

#include "harness.h"

namespace headroom::server::testing {
namespace {

constexpr int kThreads = 4;
constexpr int kBatches = 8;
constexpr int kPerBatch = 100;
constexpr int64_t kMaxQueue = 300;

TEST(Backpressure, FullQueueAnswers429WithRetryAfterAndLosesNothing) {
  TempDir dir;
  ServerProcess server(WriteConfig(dir, kMaxQueue), {"HEADROOM_TEST_STALL_ENGINE_MS=300"});
  ASSERT_NE(server.port(), 0);
  std::atomic<int> throttled{0}, bad_retry_after{0}, other{0};
  std::atomic<bool> done{false};
  double max_depth = 0;
  int64_t max_rss_kb = 0;
  std::thread sampler([&] {
    HttpClient http(server.port());
    while (!done) {
      max_depth = std::max(max_depth, MetricValue(http, "headroom_queue_depth"));
      max_rss_kb = std::max(max_rss_kb, server.RssKb());
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      HttpClient http(server.port());
      for (int b = 0; b < kBatches; ++b) {
        std::vector<nlohmann::json> msgs;
        for (int k = 0; k < kPerBatch; ++k)
          msgs.push_back(TrackMessage(
              "bp" + std::to_string(t) + "_" + std::to_string(b) + "_" + std::to_string(k), "bp"));
        const std::string body = BatchBody(msgs);
        while (true) {  // a client retries 429 with the same messageIds
          const Reply r = http.PostSegment("/v1/batch", body);
          if (r.status == 200) break;
          if (r.status == 429) {
            ++throttled;
            if (r.headers.count("Retry-After") == 0 || r.headers.at("Retry-After") != "1" ||
                r.body != R"({"error":"queue: full, retry later"})")
              ++bad_retry_after;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            continue;
          }
          ++other;
          break;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  done = true;
  sampler.join();
  HttpClient http(server.port());
  EXPECT_GT(throttled.load(), 0);
  EXPECT_EQ(bad_retry_after.load(), 0);
  EXPECT_EQ(other.load(), 0);
  EXPECT_LE(max_depth, static_cast<double>(kMaxQueue));
  EXPECT_LT(max_rss_kb, 1024 * 1024) << "resident memory must stay bounded";
  EXPECT_EQ(SettledEventsOf(http, "bp", kThreads * kBatches * kPerBatch),
            kThreads * kBatches * kPerBatch);
  EXPECT_EQ(MetricValue(http, "headroom_inputs_duplicate_total"), 0);
  EXPECT_EQ(MetricValue(http, "headroom_ingest_throttled_total"), throttled.load());
  EXPECT_EQ(MetricValue(http, "headroom_queue_depth"), 0);
  EXPECT_EQ(server.Terminate(), 0);
}

}  // namespace
}  // namespace headroom::server::testing
