// SPEC 4.4 attribution: first-touch, last-touch and linear credit; the blind spot.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = R"(
metrics:
  pings: { count: "Ping", window: 1d }
  pongs: { count: "Pong", window: 1d }
triggers:
  ping: { class: adoption, metric: pings, at: 1, hold_days: 1 }
  pong: { class: adoption, metric: pongs, at: 1, hold_days: 1 }
)";

// H = 10. Every account pays 100 from 03-01 (new business, not an upgrade).
//   c1: ping 03-02T12, pong 03-04T12, upgrade 03-06 to 160 (+60): first ping 60,
//       last pong 60, linear 30 + 30; adopted release "pong_feature" (Pong on 03-04)
//   c2: pong 03-03T12, upgrade 03-05 to 140 (+40): pong first, last, linear 40
//   c3: upgrade 03-07 to 110 (+10), no firing: blind spot
//   c4: ping 03-02T12, upgrade 03-15 to 200 (+100): 12.5 days > H: blind spot
// Upgrades 4, blind spot 2 (share 0.5, 110 MRR). ping: first 60, last 0,
// linear 30, 1 upgrade; pong: first 40, last 100, linear 70, 2 upgrades.
TEST(AttributionReport, FirstLastLinearAndBlindSpot) {
  Dataset d(
      kConfig,
      {
          R"({"type":"release","feature":"pong_feature","released_at":"2026-03-01T00:00:00Z","tier":"team","adoption_event":"Pong"})",
          Revenue("c1", "2026-03-01T00:00:00Z", 100),
          Revenue("c2", "2026-03-01T00:00:00Z", 100),
          Revenue("c3", "2026-03-01T00:00:00Z", 100),
          Revenue("c4", "2026-03-01T00:00:00Z", 100),
          Track("Ping", "c1", "2026-03-02T12:00:00Z"),
          Track("Ping", "c4", "2026-03-02T12:00:00Z"),
          Track("Pong", "c2", "2026-03-03T12:00:00Z"),
          Track("Pong", "c1", "2026-03-04T12:00:00Z"),
          Revenue("c2", "2026-03-05T00:00:00Z", 140),
          Revenue("c1", "2026-03-06T00:00:00Z", 160),
          Revenue("c3", "2026-03-07T00:00:00Z", 110),
          Revenue("c4", "2026-03-15T00:00:00Z", 200),
          Track("Other", "c3", "2026-03-16T00:00:00Z"),
      });
  const auto r = d.Report("attribution", 10);
  EXPECT_EQ(r["upgrades"], 4);
  EXPECT_DOUBLE_EQ(r["expansion_mrr"].get<double>(), 210);
  EXPECT_EQ(r["blind_spot"], 2);
  EXPECT_DOUBLE_EQ(r["blind_spot_share"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["blind_spot_mrr"].get<double>(), 110);
  const auto& pt = r["per_trigger"];
  ASSERT_EQ(pt.size(), 2u);
  EXPECT_EQ(pt[0]["trigger"], "ping");
  EXPECT_EQ(pt[0]["upgrades"], 1);
  EXPECT_DOUBLE_EQ(pt[0]["first_touch_mrr"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(pt[0]["last_touch_mrr"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(pt[0]["linear_mrr"].get<double>(), 30);
  EXPECT_EQ(pt[1]["trigger"], "pong");
  EXPECT_EQ(pt[1]["upgrades"], 2);
  EXPECT_DOUBLE_EQ(pt[1]["first_touch_mrr"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(pt[1]["last_touch_mrr"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(pt[1]["linear_mrr"].get<double>(), 70);

  // Per upgrade, by time: c2, c1, c3, c4.
  const auto& up = r["per_upgrade"];
  ASSERT_EQ(up.size(), 4u);
  EXPECT_EQ(up[1]["account_id"], "c1");
  ASSERT_EQ(up[1]["triggers"].size(), 2u);
  EXPECT_EQ(up[1]["triggers"][0]["trigger"], "ping");
  EXPECT_EQ(up[1]["triggers"][1]["trigger"], "pong");
  EXPECT_EQ(up[1]["releases_adopted"], nlohmann::json::array({"pong_feature"}));
  EXPECT_EQ(up[3]["account_id"], "c4");
  EXPECT_TRUE(up[3]["triggers"].empty());
  EXPECT_TRUE(up[3]["releases_adopted"].empty());
}

// Linear credit splits among distinct triggers: a trigger firing twice in the
// window gets one share. e1: ping 03-02, ping 03-05, pong 03-06, upgrade 03-08
// +90 -> first ping 90, last pong 90, linear ping 45, pong 45.
TEST(AttributionReport, LinearCreditPerDistinctTrigger) {
  Dataset d(kConfig, {
                         Revenue("e1", "2026-03-01T00:00:00Z", 100),
                         Track("Ping", "e1", "2026-03-02T12:00:00Z"),
                         Track("Ping", "e1", "2026-03-05T12:00:00Z"),
                         Track("Pong", "e1", "2026-03-06T12:00:00Z"),
                         Revenue("e1", "2026-03-08T00:00:00Z", 190),
                     });
  const auto r = d.Report("attribution", 10);
  const auto& pt = r["per_trigger"];
  EXPECT_DOUBLE_EQ(pt[0]["first_touch_mrr"].get<double>(), 90);
  EXPECT_DOUBLE_EQ(pt[0]["linear_mrr"].get<double>(), 45);
  EXPECT_DOUBLE_EQ(pt[1]["last_touch_mrr"].get<double>(), 90);
  EXPECT_DOUBLE_EQ(pt[1]["linear_mrr"].get<double>(), 45);
  EXPECT_EQ(r["per_upgrade"][0]["triggers"].size(), 3u);
}

}  // namespace
}  // namespace headroom::reports
