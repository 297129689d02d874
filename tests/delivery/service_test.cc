// End to end with the real clock: Ingestor + OutboxWriter (same transaction)
// -> DeliveryService thread -> local receivers, json and slack. The captured
// requests are checked with the receiver-side Python snippet of
// docs/WEBHOOKS.md; with HEADROOM_CAPTURE_DIR set they are also written there
// (the examples in docs/WEBHOOKS.md come from this test).
#include "delivery/service.h"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <numeric>
#include <thread>

#include "delivery/helpers.h"
#include "delivery/outbox_writer.h"
#include "delivery/receiver.h"
#include "delivery/retry_policy.h"
#include "ingest/ingestor.h"

namespace headroom {
namespace {

using testing::TempDir;
using testing::TestReceiver;

TEST(RetryPolicy, DefaultScheduleSpansAtLeast24HoursEvenWithNegativeJitter) {
  const auto delays = DeliveryConfig{}.retry_delays;
  ASSERT_EQ(delays.size(), 10u);
  TimeMs total = delays[0];
  for (int attempts = 1;; ++attempts) {
    auto d = NextRetryDelay(delays, attempts, -0.1);
    if (!d) {
      EXPECT_EQ(attempts, 10);  // dead after the 10th failed attempt
      break;
    }
    total += *d;
  }
  EXPECT_GE(total, 24 * kMsPerHour);
  EXPECT_EQ(NextRetryDelay(delays, 1, 0.1), 5'500);
  EXPECT_EQ(NextRetryDelay(delays, 9, 0.0), 24 * kMsPerHour);
  EXPECT_FALSE(NextRetryDelay({0}, 1, 0.0));  // a single attempt
}

bool WaitFor(const std::function<bool()>& done, int ms = 5000) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!done()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

std::vector<std::string> Lines() {
  // Times relative to now, so nothing is older than skip_older_than.
  const TimeMs now = SystemClock()();
  const TimeMs day0 = now - 6 * kMsPerHour;
  auto at = [&](TimeMs offset) { return FormatIsoTime(day0 + offset); };
  std::vector<std::string> lines = {
      R"({"type":"account","account_id":"acme","name":"Acme Analytics","owners":{"ae":"alice","csm":"carol"},"traits":{"icp_fit":true},"timestamp":")" +
          at(0) + R"("})",
      R"({"type":"contract","account_id":"acme","plan":"team","start":"2025-01-01","limits":{"seats":5}})",
      R"({"type":"owner","owner_id":"alice","role":"ae","name":"Alice","manager":"mona","timestamp":")" +
          at(0) + R"("})",
  };
  for (int u = 1; u <= 5; ++u)
    lines.push_back(R"({"type":"track","event":"Feature Used","userId":"u)" + std::to_string(u) +
                    R"(","context":{"groupId":"acme"},"timestamp":")" +
                    at(kMsPerHour + u * 60'000) + R"(","messageId":"m)" + std::to_string(u) +
                    R"("})");
  return lines;
}

TEST(DeliveryService, DeliversCommittedEffectsSignedAndFormatted) {
  TempDir dir;
  TestReceiver json_rx, slack_rx;
  Config config = testing::LoadTestConfig(
      "webhooks:\n  - { url: \"" + slack_rx.url("/services/T000/B000/XXX") +
      "\", format: slack, events: [signal.created, trigger.urgent] }\n" + "  - { url: \"" +
      json_rx.url("/headroom") + "\", format: json, secret: \"" + testing::kSecret +
      "\", events: [\"*\"] }\n" + "routing: { ae_at: 10, csm_at: 5 }\n" +
      "server: { public_url: \"https://headroom.example.com\" }\n");
  auto store = Store::Open(dir.str(), "normal");
  Ingestor ingestor(config, *store);
  OutboxWriter writer(config, *store);
  ingestor.set_effect_listener([&writer](const Effect& e) { writer.Write(e); });
  ingestor.Open(false);
  DeliveryService service(config, dir.str(), {{}, 50});
  service.Start();
  for (const auto& l : Lines()) (void)ingestor.Ingest(l, "test", 0);
  ingestor.Flush();
  service.Notify();
  ASSERT_TRUE(WaitFor([&] {
    return json_rx.count() >= writer.pending_written() - slack_rx.count() && slack_rx.count() >= 2;
  })) << json_rx.count()
      << " " << slack_rx.count() << " of " << writer.pending_written();
  service.Stop();

  auto json_reqs = json_rx.requests();
  auto slack_reqs = slack_rx.requests();
  std::set<std::string> types;
  for (const auto& r : json_reqs) types.insert(nlohmann::json::parse(r.body)["type"]);
  EXPECT_TRUE(types.count("signal.created"));
  EXPECT_TRUE(types.count("trigger.fired"));
  EXPECT_TRUE(types.count("trigger.urgent"));
  for (const auto& r : slack_reqs) {
    auto m = nlohmann::json::parse(r.body);
    EXPECT_TRUE(m["text"].is_string());
    EXPECT_TRUE(m["blocks"].is_array());
    EXPECT_EQ(r.headers.count("webhook-signature"), 0u);  // slack: unsigned
  }

  // The receiver-side snippet of docs/WEBHOOKS.md accepts every json request
  // and rejects a tampered body.
  const std::string script = std::string(HEADROOM_SOURCE_DIR) + "/tests/delivery/verify_webhook.py";
  auto verify = [&](const testing::ReceivedRequest& r, const std::string& body) {
    nlohmann::json headers(r.headers);
    std::ofstream(dir.str() + "/h.json") << headers.dump();
    std::ofstream(dir.str() + "/b", std::ios::binary) << body;
    const std::string cmd = "python3 " + script + " '" + testing::kSecret + "' " + dir.str() +
                            "/h.json " + dir.str() + "/b > /dev/null";
    return std::system(cmd.c_str()) == 0;
  };
  ASSERT_FALSE(json_reqs.empty());
  EXPECT_TRUE(verify(json_reqs[0], json_reqs[0].body));
  EXPECT_TRUE(verify(json_reqs.back(), json_reqs.back().body));
  EXPECT_FALSE(verify(json_reqs[0], json_reqs[0].body + " "));

  if (const char* capture = std::getenv("HEADROOM_CAPTURE_DIR")) {
    int n = 0;
    for (const auto* reqs : {&json_reqs, &slack_reqs}) {
      for (const auto& r : *reqs) {
        nlohmann::json headers(r.headers);
        std::ofstream(std::string(capture) + "/" + std::to_string(++n) + ".json") << nlohmann::json{
            {"path", r.path},
            {"raw_body", r.body},
            {"headers", headers},
            {"body", nlohmann::json::parse(r.body)}}.dump(2);
      }
    }
  }
}

}  // namespace
}  // namespace headroom
