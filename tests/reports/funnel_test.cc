// SPEC 4.2 funnel and leaderboard, SPEC 4.8 pilot, on one hand-built history.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Track;

// A Ping fires ae_ping (adoption, 80 points: route ae); a CPing fires
// csm_ping (capacity, 60 points: route csm). SLA: ae 48 h, csm 120 h.
constexpr const char* kConfig = R"(
metrics:
  pings:  { count: "Ping", window: 1d }
  cpings: { count: "CPing", window: 1d }
triggers:
  ae_ping:  { class: adoption, metric: pings, at: 1, hold_days: 1 }
  csm_ping: { class: capacity, metric: cpings, at: 1, hold_days: 1 }
score:
  usage: { capacity: 60, adoption: 80, value: 15 }
)";

// Signals (created at the ping):
//   f1:1 ae alice, created 03-02T10:00, touched 03-03T10:00 (24 h, on time),
//        opportunity o1 created 03-05T10:00 (72 h), won 12000 -> alice 9600, carol 2400
//   f2:1 ae bob, created 03-02T12:00, escalated at 03-04T12:00, touched 03-05T12:00
//        (72 h, late), opportunity o2 created 03-06T12:00 (96 h), lost
//   f3:1 ae alice, created 03-02T14:00, never touched (missing), escalated 03-04T14:00
//   f4:1 csm carol, created 03-02T16:00, touched 03-04T16:00 (48 h, on time)
// Funnel: 4 signals (ae 3, csm 1); touched 3; within SLA 2; escalated 2;
// opportunity 2; won 1; lost 1. touched/signals 3/4, opportunities/touched 2/3,
// won/opportunities 1/2, won/signals 1/4. Hours to first touch [24, 72, 48]:
// median 48, p90 rank ceil(2.7) = 3 -> 72. Hours to opportunity [72, 96]:
// median 84, p90 rank ceil(1.8) = 2 -> 96.
// Leaderboard: carol 1 signal 1 within SLA (100%), credited 2400; alice 2
// signals 1 within (50%), won 1 (50%), credited 9600; bob 1 signal 0 within.
// Ranked carol, alice, bob.
std::vector<std::string> Lines() {
  return {
      R"({"type":"owner","owner_id":"alice","role":"ae","name":"Alice","group":"pilot","timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"owner","owner_id":"bob","role":"ae","name":"Bob","group":"control","timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"owner","owner_id":"carol","role":"csm","name":"Carol","group":"control","timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"account","account_id":"f1","name":"F1","owners":{"ae":"alice","csm":"carol"},"timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"account","account_id":"f2","name":"F2","owners":{"ae":"bob"},"timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"account","account_id":"f3","name":"F3","owners":{"ae":"alice"},"timestamp":"2026-03-01T00:00:00Z"})",
      R"({"type":"account","account_id":"f4","name":"F4","owners":{"csm":"carol"},"timestamp":"2026-03-01T00:00:00Z"})",
      Track("Ping", "f1", "2026-03-02T10:00:00Z"),
      Track("Ping", "f2", "2026-03-02T12:00:00Z"),
      Track("Ping", "f3", "2026-03-02T14:00:00Z"),
      Track("CPing", "f4", "2026-03-02T16:00:00Z"),
      R"({"type":"touch","signal_id":"f1:1","owner_id":"alice","at":"2026-03-03T10:00:00Z","channel":"email"})",
      R"({"type":"touch","signal_id":"f4:1","owner_id":"carol","at":"2026-03-04T16:00:00Z","channel":"call"})",
      R"({"type":"opportunity","opportunity_id":"o1","account_id":"f1","signal_id":"f1:1","owner_id":"alice","created_at":"2026-03-05T10:00:00Z","stage":"open","amount":12000})",
      R"({"type":"touch","signal_id":"f2:1","owner_id":"bob","at":"2026-03-05T12:00:00Z","channel":"email"})",
      R"({"type":"opportunity","opportunity_id":"o2","account_id":"f2","signal_id":"f2:1","owner_id":"bob","created_at":"2026-03-06T12:00:00Z","stage":"open","amount":5000})",
      R"({"type":"opportunity","opportunity_id":"o2","account_id":"f2","signal_id":"f2:1","owner_id":"bob","created_at":"2026-03-06T12:00:00Z","stage":"lost","closed_at":"2026-03-08T12:00:00Z","amount":5000})",
      R"({"type":"opportunity","opportunity_id":"o1","account_id":"f1","signal_id":"f1:1","owner_id":"alice","created_at":"2026-03-05T10:00:00Z","stage":"won","closed_at":"2026-03-10T10:00:00Z","amount":12000})",
      Track("Other", "f3", "2026-03-12T00:00:00Z"),
  };
}

TEST(FunnelReport, LateOnTimeAndMissingTouches) {
  Dataset d(kConfig, Lines());
  const auto r = d.Report("funnel", 60);
  EXPECT_EQ(r["signals"], 4);
  EXPECT_EQ(r["by_route"], (nlohmann::json{{"ae", 3}, {"csm", 1}}));
  EXPECT_EQ(r["touched"], 3);
  EXPECT_EQ(r["touched_within_sla"], 2);
  EXPECT_EQ(r["escalated"], 2);
  EXPECT_EQ(r["with_opportunity"], 2);
  EXPECT_EQ(r["won"], 1);
  EXPECT_EQ(r["lost"], 1);
  EXPECT_DOUBLE_EQ(r["conversion"]["touched_per_signal"].get<double>(), 0.75);
  EXPECT_DOUBLE_EQ(r["conversion"]["opportunities_per_touched"].get<double>(), 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(r["conversion"]["won_per_opportunity"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["conversion"]["won_per_signal"].get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(r["hours_to_first_touch"]["median"].get<double>(), 48);
  EXPECT_DOUBLE_EQ(r["hours_to_first_touch"]["p90"].get<double>(), 72);
  EXPECT_DOUBLE_EQ(r["hours_to_opportunity"]["median"].get<double>(), 84);
  EXPECT_DOUBLE_EQ(r["hours_to_opportunity"]["p90"].get<double>(), 96);

  const auto& lb = r["leaderboard"];
  ASSERT_EQ(lb.size(), 3u);
  EXPECT_EQ(lb[0]["owner_id"], "carol");
  EXPECT_DOUBLE_EQ(lb[0]["sla_compliance"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(lb[0]["credited_expansion_arr"].get<double>(), 2400);
  EXPECT_EQ(lb[1]["owner_id"], "alice");
  EXPECT_EQ(lb[1]["signals"], 2);
  EXPECT_DOUBLE_EQ(lb[1]["sla_compliance"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(lb[1]["conversion"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(lb[1]["credited_expansion_arr"].get<double>(), 9600);
  EXPECT_EQ(lb[2]["owner_id"], "bob");
  EXPECT_DOUBLE_EQ(lb[2]["sla_compliance"].get<double>(), 0.0);
  EXPECT_EQ(lb[2]["rank"], 3);
}

// Pilot (alice): f1:1, f3:1 -> 2 signals, 1 opportunity, 1 won, SLA 1/2, hours
// to first touch [24]. Control (bob, carol): f2:1, f4:1 -> 2 signals, 1
// opportunity, 0 won, SLA 1/2, hours [72, 48] -> median 60.
// signal->opportunity 1/2 vs 1/2: z = 0, p = 1. opportunity->won 1/1 vs 0/1:
// pooled 0.5, SE = sqrt(0.5 * 0.5 * 2) = 0.7071, z = 1.4142, p = erfc(1) = 0.157299.
TEST(PilotReport, RatesAndZTestPValues) {
  Dataset d(kConfig, Lines());
  const auto r = d.Report("pilot", 60);
  EXPECT_EQ(r["pilot"]["owners"], 1);
  EXPECT_EQ(r["control"]["owners"], 2);
  EXPECT_EQ(r["pilot"]["signals"], 2);
  EXPECT_EQ(r["control"]["signals"], 2);
  EXPECT_DOUBLE_EQ(r["pilot"]["signal_to_opportunity"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(r["pilot"]["opportunity_to_won"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(r["control"]["opportunity_to_won"].get<double>(), 0.0);
  EXPECT_DOUBLE_EQ(r["pilot"]["median_hours_to_first_touch"].get<double>(), 24);
  EXPECT_DOUBLE_EQ(r["control"]["median_hours_to_first_touch"].get<double>(), 60);
  EXPECT_DOUBLE_EQ(r["p_values"]["signal_to_opportunity"].get<double>(), 1.0);
  EXPECT_NEAR(r["p_values"]["opportunity_to_won"].get<double>(), 0.157299, 1e-6);
  EXPECT_DOUBLE_EQ(r["p_values"]["sla_compliance"].get<double>(), 1.0);
}

}  // namespace
}  // namespace headroom::reports
