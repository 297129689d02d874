// SPEC 6.1: a 200 means stored durably. `kill -9` the server during live
// traffic; after a restart every acknowledged messageId is in the log, and the
// clients' retries (of everything, acknowledged or not) double nothing.
#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "harness.h"
#include "store/store.h"

namespace headroom::server::testing {
namespace {

constexpr int kThreads = 4;
constexpr int kPerBatch = 50;

std::vector<nlohmann::json> Batch(int thread, int batch) {
  std::vector<nlohmann::json> msgs;
  for (int k = 0; k < kPerBatch; ++k)
    msgs.push_back(TrackMessage(
        "d" + std::to_string(thread) + "_" + std::to_string(batch) + "_" + std::to_string(k),
        "dur_" + std::to_string(thread)));
  return msgs;
}

TEST(Durability, Kill9LosesNothingAcknowledgedAndRetriesDoubleNothing) {
  TempDir dir;
  const std::string config = WriteConfig(dir);
  std::vector<std::set<std::string>> acked(kThreads);
  std::vector<int> attempted(kThreads, 0);  // batches 0..attempted-1 were sent at least once
  {
    ServerProcess server(config);
    ASSERT_NE(server.port(), 0);
    std::atomic<bool> killed{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        HttpClient http(server.port());
        http.set_retry_on_stale(false);
        for (int b = 0; b < 100000 && !killed; ++b) {
          const auto msgs = Batch(t, b);
          attempted[t] = b + 1;
          const Reply r = http.PostSegment("/v1/batch", BatchBody(msgs));
          if (r.status != 200) break;  // the server is gone
          for (const auto& m : msgs) acked[t].insert(m["messageId"].get<std::string>());
        }
      });
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    server.Kill9();
    killed = true;
    for (auto& th : threads) th.join();
  }
  size_t total_acked = 0;
  for (const auto& a : acked) total_acked += a.size();
  ASSERT_GT(total_acked, 0u);

  // Restart; every client retries every batch it ever sent.
  int64_t sent = 0;
  {
    ServerProcess server(config);
    ASSERT_NE(server.port(), 0);
    HttpClient http(server.port());
    for (int t = 0; t < kThreads; ++t) {
      for (int b = 0; b < attempted[t]; ++b) {
        const Reply r = http.PostSegment("/v1/batch", BatchBody(Batch(t, b)));
        ASSERT_EQ(r.status, 200) << r.body;
        sent += kPerBatch;
      }
      EXPECT_EQ(SettledEventsOf(http, "dur_" + std::to_string(t), attempted[t] * kPerBatch),
                attempted[t] * kPerBatch);
    }
    // Stored once: what the first server committed plus what only the retry brought.
    EXPECT_EQ(MetricValue(http, "headroom_inputs_ingested_total") +
                  MetricValue(http, "headroom_inputs_duplicate_total"),
              static_cast<double>(sent));
    EXPECT_GE(MetricValue(http, "headroom_inputs_duplicate_total"),
              static_cast<double>(total_acked));
    EXPECT_EQ(server.Terminate(), 0);
  }
  // The log: every id exactly once; every acknowledged id present.
  auto store = Store::Open(dir / "data", "normal");
  std::map<std::string, int> seen;
  store->ForEachMessageId([&](std::string_view id) { ++seen[std::string(id)]; });
  EXPECT_EQ(static_cast<int64_t>(seen.size()), sent);
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << id;
  for (const auto& a : acked)
    for (const auto& id : a) EXPECT_EQ(seen.count(id), 1u) << id;
}

}  // namespace
}  // namespace headroom::server::testing
