// The delivery worker against a real local HTTP receiver: retry schedule on an
// injected clock, dead-letter and manual retry, restart without duplicates,
// a slow endpoint next to a healthy one, timeouts.
#include "delivery/worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "delivery/api.h"
#include "delivery/helpers.h"
#include "delivery/outbox_writer.h"
#include "delivery/receiver.h"
#include "delivery/signing.h"

namespace headroom {
namespace {

using testing::FakeClock;
using testing::JsonEndpointConfig;
using testing::MakeEffect;
using testing::TempDir;
using testing::TestReceiver;

constexpr double kJitter = 0.05;  // every delay is stretched by 5%

struct Fixture {
  Fixture(const Config& cfg, const std::string& dir) : config(cfg) {
    store = Store::Open(dir, "normal");
    writer = std::make_unique<OutboxWriter>(config, *store, clock.fn());
  }
  std::unique_ptr<DeliveryWorker> Worker(const std::string& dir, WorkerOptions o = {}) {
    o.clock = clock.fn();
    o.jitter = [] { return kJitter; };
    return std::make_unique<DeliveryWorker>(config, Store::Open(dir, "normal"), o);
  }
  void Write(const Effect& e) { writer->Write(e); }
  Config config;
  FakeClock clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<OutboxWriter> writer;
};

TEST(Worker, RetriesFollowTheScheduleWithJitterThenDeliver) {
  TempDir dir;
  TestReceiver rx(TestReceiver::FailFirst(3));
  Fixture f(JsonEndpointConfig(rx.url()), dir.str());
  const TimeMs t0 = f.clock.now;
  f.Write(MakeEffect("signal.created", "acme:1", t0));
  auto worker = f.Worker(dir.str());

  // Attempt 1 at once (retry_delays[0] = 0s), then 5 s, 5 min, 30 min (+5% jitter).
  const TimeMs expected_gaps[] = {5'250, 315'000, 1'890'000};
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  TimeMs last = t0;
  for (TimeMs gap : expected_gaps) {
    auto row = worker->outbox().Get(1);
    ASSERT_TRUE(row);
    EXPECT_EQ(row->state, "pending");
    EXPECT_EQ(row->last_status, 500);
    EXPECT_EQ(row->last_error, "HTTP 500");
    ASSERT_EQ(row->next_attempt_at, last + gap);
    f.clock.now = last + gap - 1;  // one ms early: nothing is sent
    EXPECT_EQ(worker->RunUntilIdle(), 0);
    f.clock.now = last = last + gap;
    EXPECT_EQ(worker->RunUntilIdle(), 1);
  }
  auto row = worker->outbox().Get(1);
  EXPECT_EQ(row->state, "delivered");
  EXPECT_EQ(row->attempts, 4);
  EXPECT_EQ(row->delivered_at, last);

  auto reqs = rx.requests();
  ASSERT_EQ(reqs.size(), 4u);
  for (const auto& r : reqs) {
    EXPECT_EQ(r.method, "POST");
    EXPECT_EQ(r.path, "/hook");
    EXPECT_EQ(r.headers.at("webhook-id"), reqs[0].headers.at("webhook-id"));  // stable
    EXPECT_EQ(r.body, reqs[0].body);
    EXPECT_EQ(r.headers.at("content-type"), "application/json");
    const int64_t ts = std::stoll(r.headers.at("webhook-timestamp"));
    EXPECT_EQ(r.headers.at("webhook-signature"),
              *SignWebhook(testing::kSecret, r.headers.at("webhook-id"), ts, r.body));
  }
  EXPECT_EQ(reqs[0].headers.at("webhook-id"),
            WebhookIdFor("signal.created:acme:1:" + FormatIsoTime(t0)));
  EXPECT_EQ(std::stoll(reqs[3].headers.at("webhook-timestamp")), last / 1000);
  const auto body = nlohmann::json::parse(reqs[0].body);
  EXPECT_EQ(body["type"], "signal.created");
  EXPECT_EQ(body["timestamp"], "2026-03-12T12:00:00.000Z");
  EXPECT_EQ(body["data"]["signal_id"], "acme:1");
  EXPECT_EQ(body.size(), 3u);
  EXPECT_EQ(reqs[0].body.rfind(
                R"({"type":"signal.created","timestamp":"2026-03-12T12:00:00.000Z","data":{)", 0),
            0u);
}

TEST(Worker, DeadLettersAfterTheLastDelayAndManualRetryDeliversIt) {
  TempDir dir;
  TestReceiver rx(TestReceiver::FailFirst(1000, 503));
  Fixture f(JsonEndpointConfig(rx.url(), "delivery: { retry_delays: [0s, 1s, 2s] }\n"), dir.str());
  f.Write(MakeEffect("signal.escalated", "acme:1", f.clock.now));
  auto worker = f.Worker(dir.str());
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  f.clock.now += 1'050;
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  f.clock.now += 2'100;
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  auto row = worker->outbox().Get(1);
  EXPECT_EQ(row->state, "dead");
  EXPECT_EQ(row->attempts, 3);
  EXPECT_FALSE(row->next_attempt_at);
  f.clock.now += 86'400'000;
  EXPECT_EQ(worker->RunUntilIdle(), 0);  // dead rows are never retried on their own

  ApiResponse dead = DeadLetters(*f.store);
  ASSERT_EQ(dead.status, 200);
  ASSERT_EQ(dead.body.size(), 1u);
  EXPECT_EQ(dead.body[0]["id"], 1);
  EXPECT_EQ(dead.body[0]["type"], "signal.escalated");
  EXPECT_EQ(dead.body[0]["last_error"], "HTTP 503");
  EXPECT_EQ(dead.body[0]["attempts"], 3);

  // A manual retry that fails again goes straight back to dead (one attempt).
  EXPECT_EQ(RetryDead(*f.store, "1", f.clock.now).status, 200);
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  EXPECT_EQ(worker->outbox().Get(1)->state, "dead");

  rx.set_policy([](int, const auto&) { return 204; });
  EXPECT_EQ(RetryDead(*f.store, "1", f.clock.now).status, 200);
  EXPECT_EQ(RetryDead(*f.store, "1", f.clock.now).status, 404);  // no longer dead
  EXPECT_EQ(RetryDead(*f.store, "x1", f.clock.now).status, 400);
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  EXPECT_EQ(worker->outbox().Get(1)->state, "delivered");
  EXPECT_EQ(DeadLetters(*f.store).body.size(), 0u);
  auto reqs = rx.requests();
  ASSERT_EQ(reqs.size(), 5u);
  EXPECT_EQ(reqs[4].headers.at("webhook-id"), reqs[0].headers.at("webhook-id"));

  ApiResponse stats = Stats(*f.store, f.config);
  ASSERT_EQ(stats.body.size(), 1u);
  EXPECT_EQ(stats.body[0]["delivered"], 1);
  EXPECT_EQ(stats.body[0]["dead"], 0);
  EXPECT_EQ(stats.body[0]["last_error"], "HTTP 503");
}

TEST(Worker, RestartDeliversExactlyTheUndeliveredWithUnchangedIds) {
  TempDir dir;
  // Requests 1 and 2 fail; request 3 hangs until the worker is destroyed.
  TestReceiver rx(TestReceiver::FailFirst(2));
  Fixture f(JsonEndpointConfig(rx.url()), dir.str());
  for (int i = 1; i <= 6; ++i)
    f.Write(MakeEffect("signal.created", "acme:" + std::to_string(i), f.clock.now + i));
  f.clock.now += 10;
  std::set<std::string> acknowledged;
  {
    WorkerOptions o;
    o.max_per_endpoint = 1;
    auto worker = f.Worker(dir.str(), o);
    // Two failures, then three deliveries, one at a time.
    while (rx.count() < 5) worker->Step(20);
    while (worker->in_flight() > 0) worker->Step(20);
    rx.set_delay_ms(5'000);
    worker->Step(20);  // starts the sixth, which now hangs
    while (rx.count() < 6) worker->Step(20);
    EXPECT_EQ(worker->in_flight(), 1u);
    for (const auto& r : rx.requests())
      if (r.status == 200 && r.headers.count("webhook-id"))
        acknowledged.insert(r.headers.at("webhook-id"));
    acknowledged.erase(rx.requests()[5].headers.at("webhook-id"));  // never answered
    // The worker is destroyed here ("killed" between attempts).
  }
  rx.set_delay_ms(0);
  EXPECT_EQ(acknowledged.size(), 3u);

  std::set<std::string> undelivered;
  {
    Outbox ob(f.store->database());
    for (int64_t id = 1; id <= 6; ++id) {
      auto row = ob.Get(id);
      if (row->state != "delivered") undelivered.insert(row->webhook_id);
      EXPECT_EQ(row->state == "delivered", acknowledged.count(row->webhook_id) == 1);
    }
  }
  EXPECT_EQ(undelivered.size(), 3u);

  const size_t before = rx.count();
  f.clock.now += 6'000;  // past the 5 s retry
  auto worker = f.Worker(dir.str());
  EXPECT_EQ(worker->RunUntilIdle(), 3);
  auto reqs = rx.requests();
  std::set<std::string> resent;
  for (size_t i = before; i < reqs.size(); ++i) resent.insert(reqs[i].headers.at("webhook-id"));
  EXPECT_EQ(reqs.size() - before, 3u);
  EXPECT_EQ(resent, undelivered);
  for (int64_t id = 1; id <= 6; ++id) EXPECT_EQ(worker->outbox().Get(id)->state, "delivered");
}

TEST(Worker, SlowEndpointNeitherBlocksOthersNorOutlivesTheTimeout) {
  TempDir dir;
  TestReceiver slow, fast;
  slow.set_delay_ms(3'000);
  Config config = testing::LoadTestConfig(
      "webhooks:\n  - { url: \"" + slow.url() + "\", format: json, events: [\"*\"] }\n" +
      "  - { url: \"" + fast.url() + "\", format: json, events: [\"*\"] }\n" +
      "delivery: { timeout: 1s }\n");
  Fixture f(config, dir.str());
  for (int i = 1; i <= 4; ++i)
    f.Write(MakeEffect("trigger.fired", "acme/t" + std::to_string(i), f.clock.now));
  WorkerOptions o;
  o.max_per_endpoint = 2;
  auto worker = f.Worker(dir.str(), o);
  const auto start = std::chrono::steady_clock::now();
  // The receiver counts a request when it arrives, a moment before the worker
  // reads the answer, so wait for the fast endpoint's slots to drain as well.
  while ((fast.count() < 4 || worker->in_flight() > 2) &&
         std::chrono::steady_clock::now() - start < std::chrono::milliseconds(900))
    worker->Step(10);
  const auto fast_done = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(fast.count(), 4u);
  EXPECT_LT(fast_done, std::chrono::milliseconds(900));  // before the slow one times out
  EXPECT_EQ(worker->in_flight(), 2u);                    // the slow endpoint's 2 slots
  // The slow endpoint's first two attempts time out after 1 s (real time).
  auto failed = [&] {
    ApiResponse stats = Stats(*f.store, f.config);
    return stats.body[0]["retrying"].get<int>();
  };
  while (failed() < 2 && std::chrono::steady_clock::now() - start < std::chrono::seconds(3))
    worker->Step(10);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1'900));
  ApiResponse stats = Stats(*f.store, f.config);
  EXPECT_EQ(stats.body[1]["delivered"], 4);
  EXPECT_EQ(stats.body[0]["delivered"], 0);
  EXPECT_NE(stats.body[0]["last_error"].get<std::string>().find("imed out"), std::string::npos)
      << stats.body[0]["last_error"];
  EXPECT_LE(worker->in_flight(), 2u);  // never more than max_per_endpoint
}

TEST(Worker, ConnectionRefusedIsAFailureWithTheCurlError) {
  TempDir dir;
  std::string url;
  {
    TestReceiver gone;
    url = gone.url();
  }
  Fixture f(JsonEndpointConfig(url), dir.str());
  f.Write(MakeEffect("signal.closed", "acme:1", f.clock.now));
  auto worker = f.Worker(dir.str());
  EXPECT_EQ(worker->RunUntilIdle(), 1);
  auto row = worker->outbox().Get(1);
  EXPECT_EQ(row->state, "pending");
  EXPECT_FALSE(row->last_status);
  EXPECT_FALSE(row->last_error->empty());
}

}  // namespace
}  // namespace headroom
