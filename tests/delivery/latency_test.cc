// Ingest-ack -> first delivery attempt latency at ~1K effects/s (docs/PERFORMANCE.md).
// Disabled by default (it takes ~6 s of real time); run with
//   ./delivery_tests --gtest_also_run_disabled_tests --gtest_filter='*Latency*'
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <thread>

#include "delivery/helpers.h"
#include "delivery/outbox_writer.h"
#include "delivery/receiver.h"
#include "delivery/service.h"
#include "ingest/ingestor.h"

namespace headroom {
namespace {

using Steady = std::chrono::steady_clock;

TEST(Perf, DISABLED_IngestAckToFirstAttemptLatency) {
  testing::TempDir dir;
  testing::TestReceiver rx;
  Config config = testing::LoadTestConfig(
      "webhooks:\n  - { url: \"" + rx.url() + "\", format: json, secret: \"" + testing::kSecret +
      "\", events: [signal.created] }\nrouting: { ae_at: 10, csm_at: 5 }\n");
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(config, *store);
  OutboxWriter writer(config, *store);
  ingestor.set_effect_listener([&writer](const Effect& e) { writer.Write(e); });
  ingestor.Open(false);
  DeliveryService service(config, dir.str());
  service.Start();

  // 1,000 accounts/s in commits of 10 every 10 ms; each creates one signal.
  constexpr int kTotal = 5000, kBatch = 10;
  std::map<std::string, Steady::time_point> acked;
  const auto start = Steady::now();
  for (int i = 0; i < kTotal; i += kBatch) {
    std::this_thread::sleep_until(start + std::chrono::milliseconds(i));
    const std::string at = FormatIsoTime(SystemClock()());
    for (int k = i; k < i + kBatch; ++k)
      (void)ingestor.Ingest(
          R"({"type":"account","account_id":"a)" + std::to_string(k) +
              R"(","name":"A","owners":{"ae":"alice"},"traits":{"icp_fit":true},"timestamp":")" +
              at + R"("})",
          "perf", k);
    ingestor.Flush();  // the ack: stored durably with its outbox rows
    const auto now = Steady::now();
    for (int k = i; k < i + kBatch; ++k) acked["a" + std::to_string(k)] = now;
    service.Notify();
  }
  const double seconds = std::chrono::duration<double>(Steady::now() - start).count();
  while (rx.count() < kTotal && Steady::now() - start < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  service.Stop();
  std::vector<double> ms;
  for (const auto& r : rx.requests()) {
    const auto id = nlohmann::json::parse(r.body)["data"]["account_id"].get<std::string>();
    ms.push_back(std::chrono::duration<double, std::milli>(r.received - acked.at(id)).count());
  }
  ASSERT_EQ(ms.size(), static_cast<size_t>(kTotal));
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) { return ms[static_cast<size_t>(p * (ms.size() - 1))]; };
  std::printf(
      "rate %.0f effects/s; ack -> first attempt received: p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
      kTotal / seconds, pct(0.5), pct(0.99), ms.back());
}

}  // namespace
}  // namespace headroom
