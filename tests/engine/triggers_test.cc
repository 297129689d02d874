// SPEC 3.3 and 3.7 rules 11-18: trigger conditions and episodes, each with a
// hand-computed expectation to the millisecond.
#include <gtest/gtest.h>

#include "harness.h"

namespace headroom::testing {
namespace {

Config SeatConfig(double buffer = 0.15) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("active_users", MetricForm::kDistinctUser, {}, "", Days(30)));
  TriggerDef t;
  t.name = "seat_capacity";
  t.cls = TriggerClass::kCapacity;
  t.metric = "active_users";
  t.limit = "seats";
  t.at = 0.80;
  t.sustained_days = 20;
  t.buffer = buffer;
  t.hold_days = 30;
  c.triggers.push_back(t);
  return c;
}

void SeatContract(Harness& h) {
  h.Contract("2025-01-01T00:00:00Z", "acme", "2025-01-01", {{"seats", Value::Number(50)}});
}

void ActiveUsers(Harness& h, const std::string& time, int from, int to) {
  for (int i = from; i <= to; ++i) h.Track(time, "acme", "u" + std::to_string(i), "Feature Used");
}

// Worked example, first variant: 40 active users (80% of 50 seats) carried by
// the 30-day window from 1 March; the 19 days 1-19 March reach 0.8 and the
// first evaluation of 20 March is its midnight.
TEST(WorkedExample, FiresAtTheMidnightOfThe20th) {
  Harness h(SeatConfig());
  SeatContract(h);
  ActiveUsers(h, "2026-03-01T10:00:00Z", 1, 40);
  h.Advance("2026-03-20T12:00:00Z");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-20T00:00:00.000Z");
  EXPECT_FALSE(f[0].urgent_at.has_value());
  EXPECT_FALSE(f[0].ended_at.has_value());
}

// Second variant: 10 March ends at 39 (user x, last seen 8 February, leaves
// the window), user y brings it back to 40 on 11 March: the run restarts on 11
// March and the trigger fires at the midnight of 30 March.
TEST(WorkedExample, BrokenDayRestartsTheRun) {
  Harness h(SeatConfig());
  SeatContract(h);
  h.Track("2026-02-08T09:00:00Z", "acme", "x", "Feature Used");
  ActiveUsers(h, "2026-03-01T10:00:00Z", 1, 39);
  h.Track("2026-03-11T10:00:00Z", "acme", "y", "Feature Used");
  h.Advance("2026-03-29T23:59:59.999Z");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Advance("2026-03-30T00:00:00Z");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-30T00:00:00.000Z");
}

// The sustained run over past days is cached per day (SustainedRunCache); a
// late event that repairs a past day must reach it. As the second variant
// (broken on 10 March, back at 40 from 11 March), but at 13:00 on 25 March a
// late event of user z dated 10 March brings that day to 40: the run 6-25
// March is whole and the trigger fires at that evaluation, not on 30 March.
TEST(WorkedExample, LateEventRepairingAPastDayFiresAtOnce) {
  Harness h(SeatConfig());
  SeatContract(h);
  h.Track("2026-02-08T09:00:00Z", "acme", "x", "Feature Used");
  ActiveUsers(h, "2026-03-01T10:00:00Z", 1, 39);
  h.Track("2026-03-11T10:00:00Z", "acme", "y", "Feature Used");
  h.Advance("2026-03-25T13:00:00Z");  // the midnight of the 25th saw the run broken
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-10T10:00:00Z", "acme", "z", "Feature Used");  // late
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-25T13:00:00.000Z");
}

// Third variant: the 43rd user at 14:07:12 on 5 March makes 86% >= 1 - 0.15:
// the buffer fires at once, urgent, ignoring the sustain.
TEST(WorkedExample, BufferFiresAtOnceUrgent) {
  Harness h(SeatConfig());
  SeatContract(h);
  ActiveUsers(h, "2026-03-01T10:00:00Z", 1, 42);
  h.Track("2026-03-05T14:07:12Z", "acme", "u43", "Feature Used");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-05T14:07:12.000Z");
  EXPECT_EQ(Iso(f[0].urgent_at), "2026-03-05T14:07:12.000Z");
}

// Rule 16: 41/50 = 0.82 reaches 1 - 0.18 = 0.8200000000000001 only with the
// 1e-9 tolerance.
TEST(TriggerTolerance, BufferReachesWithTolerance) {
  ASSERT_LT(41.0 / 50.0, 1 - 0.18);  // the floating-point trap this rule exists for
  Harness h(SeatConfig(0.18));
  SeatContract(h);
  ActiveUsers(h, "2026-03-01T10:00:00Z", 1, 41);
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(Iso(f[0].urgent_at), "2026-03-01T10:00:00.000Z");
}

Config ActivationConfig() {
  Config c = BareConfig();
  c.metrics.push_back(
      Metric("workspaces", MetricForm::kDistinct, {"Workspace Created"}, "workspace_id", All()));
  TriggerDef t;
  t.name = "second_workspace";
  t.cls = TriggerClass::kAdoption;
  t.metric = "workspaces";
  t.at = 2;
  t.within_days_of_activation = 90;
  c.triggers.push_back(t);
  return c;
}

// Activation 2026-01-01T00:00:00Z; +90 d = 2026-04-01T00:00:00Z. At +90 d - 1 ms
// the window still holds; at +90 d it does not.
TEST(ActivationWindow, LastMillisecondInside) {
  Harness h(ActivationConfig());
  h.Track("2026-01-01T00:00:00Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w1")}});
  h.Track("2026-03-31T23:59:59.999Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w2")}});
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-31T23:59:59.999Z");
}

TEST(ActivationWindow, ExactlyNinetyDaysIsOutside) {
  Harness h(ActivationConfig());
  h.Track("2026-01-01T00:00:00Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w1")}});
  h.Track("2026-04-01T00:00:00Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w2")}});
  EXPECT_TRUE(h.Firings("acme").empty());
}

// Rule 14: activation is the earliest event, late ones included. A late event
// on 2025-12-01 moves activation back, so an event at 2026-03-15 (104 days
// after it) is outside the window.
TEST(ActivationWindow, LateEarlierEventMovesActivation) {
  Harness h(ActivationConfig());
  h.Track("2026-01-01T00:00:00Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w1")}});
  h.Track("2025-12-01T00:00:00Z", "acme", "u1", "Feature Used");
  h.Track("2026-03-15T00:00:00Z", "acme", "u1", "Workspace Created",
          {{"workspace_id", Value::String("w2")}});
  EXPECT_TRUE(h.Firings("acme").empty());
}

Config RatioConfig(std::optional<double> min_den) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("done", MetricForm::kCount, {"Workflow Completed"}, "", Days(30)));
  c.metrics.push_back(Metric("started", MetricForm::kCount, {"Workflow Started"}, "", Days(30)));
  TriggerDef t;
  t.name = "workflow_value";
  t.cls = TriggerClass::kValue;
  t.ratio = std::make_pair(std::string("done"), std::string("started"));
  t.at = 0.40;
  t.min_denominator = min_den;
  c.triggers.push_back(t);
  return c;
}

// 8 completed of 20 started = exactly 0.40 fires, but only once the
// denominator reaches min_denominator 20 (compared exactly, rule 16).
TEST(Ratio, MinDenominatorAndExactlyPointFour) {
  Harness h(RatioConfig(20));
  for (int i = 0; i < 8; ++i) h.Track("2026-03-02T09:00:00Z", "acme", "u1", "Workflow Completed");
  for (int i = 0; i < 19; ++i) h.Track("2026-03-02T10:00:00Z", "acme", "u1", "Workflow Started");
  EXPECT_TRUE(h.Firings("acme").empty());  // 8/19 = 0.42 but 19 < 20
  h.Track("2026-03-02T11:00:00Z", "acme", "u1", "Workflow Started");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-02T11:00:00.000Z");
}

// Rule 15: without min_denominator the ratio is undefined only while B <= 0.
TEST(Ratio, WithoutMinDenominatorUndefinedAtZero) {
  Harness h(RatioConfig(std::nullopt));
  h.Track("2026-03-02T09:00:00Z", "acme", "u1", "Workflow Completed");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-02T10:00:00Z", "acme", "u1", "Workflow Started");  // 1/1
  ASSERT_EQ(h.Firings("acme").size(), 1u);
}

// Rule 18: active on [fired_at, last_held + hold_days). Paywall hits on 3
// distinct days within 14 days fire on 3 March; the last holding evaluation is
// the midnight of 14 March (window 1..14 March still has 3 days; the 15th's
// window 2..15 March has 2), so the episode ends at 2026-04-13T00:00:00Z
// (+30 d), seen at that midnight; three new hits re-fire at the third one.
TEST(Episodes, HoldEndsAndRefires) {
  Config c = BareConfig();
  c.metrics.push_back(
      Metric("paywall_days", MetricForm::kDaysActive, {"Paywall Hit"}, "", Days(14)));
  TriggerDef t;
  t.name = "paywall_repeat";
  t.cls = TriggerClass::kAdoption;
  t.metric = "paywall_days";
  t.at = 3;
  t.hold_days = 30;
  c.triggers.push_back(t);
  Harness h(c);
  h.Track("2026-03-01T09:00:00Z", "acme", "u1", "Paywall Hit");
  h.Track("2026-03-02T09:00:00Z", "acme", "u1", "Paywall Hit");
  h.Track("2026-03-03T09:00:00Z", "acme", "u1", "Paywall Hit");
  h.Advance("2026-04-12T23:59:59.999Z");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-03T09:00:00.000Z");
  EXPECT_FALSE(f[0].ended_at.has_value());
  EXPECT_EQ(h.Acc("acme")->active_triggers, std::vector<std::string>{"paywall_repeat"});
  h.Advance("2026-04-13T00:00:00Z");
  f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].ended_at), "2026-04-13T00:00:00.000Z");
  EXPECT_TRUE(h.Acc("acme")->active_triggers.empty());
  h.Track("2026-04-20T09:00:00Z", "acme", "u1", "Paywall Hit");
  h.Track("2026-04-21T09:00:00Z", "acme", "u1", "Paywall Hit");
  h.Track("2026-04-22T09:00:00Z", "acme", "u1", "Paywall Hit");
  f = h.Firings("acme");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(Iso(f[1].fired_at), "2026-04-22T09:00:00.000Z");
  EXPECT_FALSE(f[1].ended_at.has_value());
}

}  // namespace
}  // namespace headroom::testing
