// SPEC 3.7 rules 1, 14-18 where triggers_test.cc leaves them open: activation
// without events, min_denominator on day values, undefined utilization, the
// contract of a utilization day value, days without a contract, the buffer
// ignoring the activation window, exact score comparisons, and an episode
// ending and restarting at one evaluation. Hand-derived expectations above
// each test.
#include <gtest/gtest.h>

#include <utility>

#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }

TriggerDef Trigger(std::string name, TriggerClass cls, std::string metric, double at) {
  TriggerDef t;
  t.name = std::move(name);
  t.cls = cls;
  t.metric = std::move(metric);
  t.at = at;
  return t;
}

std::vector<std::string> FiredAt(Harness& h, const std::string& account) {
  std::vector<std::string> out;
  for (const auto& f : h.Firings(account)) out.push_back(f.trigger + "@" + Iso(f.fired_at));
  return out;
}

// Rules 1 and 14: identify, group and records never activate an account; an
// account with no event fails within_days_of_activation. Trigger `fresh`:
// count of Use >= 0 (always true as a quantity) within 90 days of activation.
// acme is known from a group call, an identify and an account record (no
// firing); its first event (an "Other" event, Mar 5 10:00) activates it and
// the trigger fires right then.
TEST(Activation, NoEventFailsAndNonEventsDoNotActivate) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("uses", MetricForm::kCount, {"Use"}, "", All()));
  TriggerDef t = Trigger("fresh", TriggerClass::kAdoption, "uses", 0);
  t.within_days_of_activation = 90;
  c.triggers.push_back(t);
  Harness h(c);
  h.Group("2026-03-01T10:00:00Z", "u1", "acme");
  h.Identify("2026-03-02T10:00:00Z", "u1", {{"title", S("CTO")}}, "acme");
  h.Account("2026-03-03T10:00:00Z", "acme", "ae1", std::nullopt);
  h.Advance("2026-03-05T00:00:00Z");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-05T10:00:00Z", "acme", "u1", "Other");
  EXPECT_EQ(FiredAt(h, "acme"), std::vector<std::string>{"fresh@2026-03-05T10:00:00.000Z"});
}

Config RatioSustainConfig(std::optional<double> min_den) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("done", MetricForm::kCount, {"Done"}, "", Days(7)));
  c.metrics.push_back(Metric("started", MetricForm::kCount, {"Started"}, "", Days(7)));
  TriggerDef t;
  t.name = "ratio";
  t.cls = TriggerClass::kValue;
  t.ratio = std::make_pair(std::string("done"), std::string("started"));
  t.at = 0.5;
  t.min_denominator = min_den;
  t.sustained_days = 2;
  c.triggers.push_back(t);
  return c;
}

void RatioEvents(Harness& h) {
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Done");
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "Done");
  for (int i = 0; i < 3; ++i) h.Track("2026-03-01T11:00:00Z", "acme", "u1", "Started");
  h.Track("2026-03-02T10:00:00Z", "acme", "u1", "Started");
  h.Advance("2026-03-03T12:00:00Z");
}

// Rule 15: min_denominator also applies to each day value of a sustained run.
// ratio = done/started (7d) >= 0.5, sustained 2 days, min_denominator 4.
//   Mar 1: 2 Done, 3 Started -> day value undefined (3 < 4).
//   Mar 2 10:00: 2/4 = 0.5 holds now, but Mar 1 did not reach -> no firing.
//   Mar 3 00:00: 2/4 now, Mar 2's day value 2/4 -> fires at the midnight.
// Without min_denominator Mar 1's day value is 2/3 and the run fires at the
// midnight of Mar 2.
TEST(SustainedRatio, MinDenominatorOnDayValues) {
  Harness with(RatioSustainConfig(4));
  RatioEvents(with);
  EXPECT_EQ(FiredAt(with, "acme"), std::vector<std::string>{"ratio@2026-03-03T00:00:00.000Z"});
  Harness without(RatioSustainConfig(std::nullopt));
  RatioEvents(without);
  EXPECT_EQ(FiredAt(without, "acme"), std::vector<std::string>{"ratio@2026-03-02T00:00:00.000Z"});
}

// Rule 15: a limit <= 0 or not a number makes utilization undefined (and so
// does a missing limit or no contract). Trigger `util`: count of Use / seats
// >= -1, so any defined utilization fires. Contracts recorded Mar 1 00:00,
// one Use per account on Mar 2 10:00:
//   ok: seats 50 -> 0/50 = 0 already fires at its contract record, Mar 1 00:00;
//   neg: -5 (would be -0.2 after the Use) never;  zero: 0 never;
//   text: "50" never;  nokey: no seats limit, never;  none: no contract, never.
TEST(Utilization, UndefinedLimits) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("uses", MetricForm::kCount, {"Use"}, "", All()));
  TriggerDef t = Trigger("util", TriggerClass::kCapacity, "uses", -1);
  t.limit = "seats";
  c.triggers.push_back(t);
  Harness h(c);
  const std::vector<std::pair<std::string, TraitMap>> contracts = {{"ok", {{"seats", N(50)}}},
                                                                   {"neg", {{"seats", N(-5)}}},
                                                                   {"zero", {{"seats", N(0)}}},
                                                                   {"text", {{"seats", S("50")}}},
                                                                   {"nokey", {{"gb", N(50)}}}};
  for (const auto& [account, limits] : contracts)
    h.Contract("2026-03-01T00:00:00Z", account, "2025-01-01", limits);
  for (const char* account : {"ok", "neg", "zero", "text", "nokey", "none"})
    h.Track("2026-03-02T10:00:00Z", account, "u1", "Use");
  EXPECT_EQ(FiredAt(h, "ok"), std::vector<std::string>{"util@2026-03-01T00:00:00.000Z"});
  for (const char* account : {"neg", "zero", "text", "nokey", "none"})
    EXPECT_TRUE(h.Firings(account).empty()) << account;
}

Config SustainedUtilConfig() {
  Config c = BareConfig();
  c.metrics.push_back(Metric("users", MetricForm::kDistinctUser, {}, "", Days(7)));
  TriggerDef t = Trigger("seats", TriggerClass::kCapacity, "users", 0.8);
  t.limit = "seats";
  t.sustained_days = 2;
  c.triggers.push_back(t);
  return c;
}

void EightUsers(Harness& h, const std::string& time, const std::string& account) {
  for (int i = 1; i <= 8; ++i) h.Track(time, account, "u" + std::to_string(i), "Login");
}

// Rules 15 and 17: a utilization day value uses the contract in force at the
// end of that day; days without a contract have not reached `at`. 8 users
// active on Mar 1 10:00 (7d window keeps them through Mar 7); at = 0.8,
// sustained 2 days.
//   acme: seats 100 at Mar 1 00:00, 10 at Mar 1 20:00. Mar 1 ends at 8/10: at
//     the midnight of Mar 2 today 8/10 and Mar 1 reached -> fires Mar 2 00:00.
//   beta: seats 10 at Mar 1 00:00, 100 at Mar 1 20:00, 10 again at Mar 2
//     10:00: Mar 1 ends at 8/100 -> no firing on Mar 2; Mar 2 ends at 8/10 ->
//     fires at the midnight of Mar 3.
//   gamma: no contract on Mar 1; seats 10 from Mar 2 10:00: Mar 1 has not
//     reached -> fires at the midnight of Mar 3.
TEST(Utilization, DayValueUsesContractAtEndOfDay) {
  Harness h(SustainedUtilConfig());
  h.Contract("2026-03-01T00:00:00Z", "acme", "2025-01-01", {{"seats", N(100)}});
  h.Contract("2026-03-01T00:00:00Z", "beta", "2025-01-01", {{"seats", N(10)}});
  EightUsers(h, "2026-03-01T10:00:00Z", "acme");
  EightUsers(h, "2026-03-01T10:00:00Z", "beta");
  EightUsers(h, "2026-03-01T10:00:00Z", "gamma");
  h.Contract("2026-03-01T20:00:00Z", "acme", "2025-01-01", {{"seats", N(10)}});
  h.Contract("2026-03-01T20:00:00Z", "beta", "2025-01-01", {{"seats", N(100)}});
  h.Contract("2026-03-02T10:00:00Z", "beta", "2025-01-01", {{"seats", N(10)}});
  h.Contract("2026-03-02T10:00:00Z", "gamma", "2025-01-01", {{"seats", N(10)}});
  EXPECT_EQ(FiredAt(h, "acme"), std::vector<std::string>{"seats@2026-03-02T00:00:00.000Z"});
  EXPECT_TRUE(h.Firings("beta").empty());
  EXPECT_TRUE(h.Firings("gamma").empty());
  h.Advance("2026-03-03T00:00:00Z");
  EXPECT_EQ(FiredAt(h, "beta"), std::vector<std::string>{"seats@2026-03-03T00:00:00.000Z"});
  EXPECT_EQ(FiredAt(h, "gamma"), std::vector<std::string>{"seats@2026-03-03T00:00:00.000Z"});
}

// Rule 16: the buffer branch ignores the activation window (and the sustain).
// Trigger: users (30d) / 10 seats >= 0.8, sustained 20 days, within 30 days of
// activation, buffer 0.15. Activation Jan 1 (59 days before Mar 1). On Mar 1
// users u1..u9 arrive at 10:00..10:08: the 8th (0.8) fails the base branch
// (sustain and activation), the 9th (0.9 >= 0.85) fires at once, urgent, at
// 10:08.
TEST(Buffer, IgnoresActivationWindow) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("users", MetricForm::kDistinctUser, {}, "", Days(30)));
  TriggerDef t = Trigger("seats", TriggerClass::kCapacity, "users", 0.8);
  t.limit = "seats";
  t.sustained_days = 20;
  t.within_days_of_activation = 30;
  t.buffer = 0.15;
  c.triggers.push_back(t);
  Harness h(c);
  h.Contract("2025-12-01T00:00:00Z", "acme", "2025-01-01", {{"seats", N(10)}});
  h.Track("2026-01-01T09:00:00Z", "acme", "u0", "Login");
  for (int i = 1; i <= 9; ++i)
    h.Track("2026-03-01T10:0" + std::to_string(i - 1) + ":00Z", "acme", "u" + std::to_string(i),
            "Login");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-01T10:08:00.000Z");
  EXPECT_EQ(Iso(f[0].urgent_at), "2026-03-01T10:08:00.000Z");
}

// Rule 16: score criteria compare exactly (no tolerance). growth gte 10 with
// trait 10 - 1e-10 earns nothing; exactly 10 earns 10 points. A committee
// count criterion gte 2 with one event earns nothing.
TEST(ExactComparison, ScoreCriteria) {
  Config c = BareConfig();
  FirmographicCriterion growth;
  growth.name = "growth";
  growth.trait = "growth";
  growth.op = FirmographicCriterion::Op::kGte;
  growth.number = 10;
  growth.points = 10;
  c.score.firmographic = {growth};
  Harness h(c);
  h.Account("2026-03-01T10:00:00Z", "below", "ae1", std::nullopt, {{"growth", N(10 - 1e-10)}});
  h.Account("2026-03-01T10:00:00Z", "exact", "ae1", std::nullopt, {{"growth", N(10)}});
  EXPECT_EQ(h.Acc("below")->score, 0);
  EXPECT_EQ(h.Acc("exact")->score, 10);
}

// Rule 18: at an evaluation with t >= last_held + hold_days the episode has
// ended at last_held + hold_days; if the condition holds there, a new episode
// starts at t. Trigger: 1d Ping >= 1, hold_days 1.
//   Mar 1 10:00 Ping: fires; last_held Mar 1 10:00, active until Mar 2 10:00.
//   Mar 2 00:00: 1d = 0, not held, still active.
//   Mar 2 11:00 Ping: the first episode ended at Mar 2 10:00; the condition
//   holds -> a second episode fires at Mar 2 11:00.
TEST(Episodes, EndAndRestartAtOneEvaluation) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("pings", MetricForm::kCount, {"Ping"}, "", Days(1)));
  TriggerDef t = Trigger("ping", TriggerClass::kAdoption, "pings", 1);
  t.hold_days = 1;
  c.triggers.push_back(t);
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Ping");
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(h.Acc("acme")->active_triggers, std::vector<std::string>{"ping"});
  h.Track("2026-03-02T11:00:00Z", "acme", "u1", "Ping");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(Iso(f[0].ended_at), "2026-03-02T10:00:00.000Z");
  EXPECT_EQ(Iso(f[1].fired_at), "2026-03-02T11:00:00.000Z");
  EXPECT_FALSE(f[1].ended_at.has_value());
  EXPECT_EQ(h.Acc("acme")->active_triggers, std::vector<std::string>{"ping"});
}

// A condition found earlier the same day is read again only when something
// it reads moved. Here nothing the trigger's metric counts moves, yet the
// condition changes twice:
//
// The activation moves: `calm` = count of Never (1d) >= 0, sustained 3
// days. The first event (Mar 10 10:00, an Other) activates acme on Mar 10:
// Mar 8 and 9 are before the activation, the run is broken (rule 17). A late
// Other stamped Mar 8 10:00 (evaluated at W = Mar 10 10:00) moves the
// activation to Mar 8: the run is 3 days and `calm` fires at W.
TEST(ConditionReuse, ActivationMovedByALateEventOfNoTriggerMetric) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("quiet", MetricForm::kCount, {"Never"}, "", Days(1)));
  TriggerDef t = Trigger("calm", TriggerClass::kValue, "quiet", 0);
  t.sustained_days = 3;
  c.triggers.push_back(t);
  Harness h(c);
  h.Track("2026-03-10T10:00:00Z", "acme", "u1", "Other");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-08T10:00:00Z", "acme", "u1", "Other");
  EXPECT_EQ(FiredAt(h, "acme"), std::vector<std::string>{"calm@2026-03-10T10:00:00.000Z"});
}

// The activation window closes between two evaluations of one day: `fresh` =
// count of Use (all) >= 1 within 1 day of activation. Use on Mar 9 12:00
// activates acme; an Other at Mar 10 11:59:59.999 is inside the window
// (holds), an Other at Mar 10 12:00 is not (t - activation = 1 day).
TEST(ConditionReuse, ActivationWindowClosingWithinADay) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("uses", MetricForm::kCount, {"Use"}, "", All()));
  TriggerDef t = Trigger("fresh", TriggerClass::kAdoption, "uses", 1);
  t.within_days_of_activation = 1;
  c.triggers.push_back(t);
  Harness h(c);
  h.Track("2026-03-09T12:00:00Z", "acme", "u1", "Use");
  h.Track("2026-03-10T11:59:59.999Z", "acme", "u1", "Other");
  EXPECT_EQ(h.Acc("acme")->evidence["triggers"][0]["holds"], true);
  h.Track("2026-03-10T12:00:00Z", "acme", "u1", "Other");
  EXPECT_EQ(h.Acc("acme")->evidence["triggers"][0]["holds"], false);
  EXPECT_EQ(h.Acc("acme")->evidence["triggers"][0]["value"], 1);
}

// A contract record is an input of every utilization: `seats` = distinct
// users (30d) / seats >= 0.8. Eight users log in on Mar 10 under 100 seats
// (0.08); a contract record at 11:00 the same day lowers the seats to 10:
// 0.8, `seats` fires at 11:00 with no event between.
TEST(ConditionReuse, ContractRecordMovesTheLimitTheSameDay) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("users", MetricForm::kDistinctUser, {}, "", Days(30)));
  TriggerDef t = Trigger("seats", TriggerClass::kCapacity, "users", 0.8);
  t.limit = "seats";
  c.triggers.push_back(t);
  Harness h(c);
  h.Contract("2026-03-01T00:00:00Z", "acme", "2025-01-01", {{"seats", N(100)}});
  for (int i = 1; i <= 8; ++i)
    h.Track("2026-03-10T10:0" + std::to_string(i) + ":00Z", "acme", "u" + std::to_string(i),
            "Login");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Contract("2026-03-10T11:00:00Z", "acme", "2025-01-01", {{"seats", N(10)}});
  EXPECT_EQ(FiredAt(h, "acme"), std::vector<std::string>{"seats@2026-03-10T11:00:00.000Z"});
}

}  // namespace
}  // namespace headroom::testing
