// SPEC 3.1 and 3.7 rules 9-10: the clock W, evaluation points (inputs,
// midnights, live deadlines), their order at one instant, late inputs, and
// what happens after the last input. Hand-derived expectations above each test.
#include <gtest/gtest.h>

#include <utility>

#include "harness.h"

namespace headroom::testing {
namespace {

Value S(std::string s) { return Value::String(std::move(s)); }

FirmographicCriterion TierIs(const std::string& tier, double points) {
  FirmographicCriterion f;
  f.name = tier + "_tier";
  f.trait = "tier";
  f.op = FirmographicCriterion::Op::kEquals;
  f.value = S(tier);
  f.points = points;
  return f;
}

// Score = 70 when the account trait tier is "ae" (route ae), else 0; usage
// points off so triggers do not move the score. Triggers:
//   hit_once  (adoption): lifetime count of Hit >= 1
//   hit_twice (adoption): 7d count of Hit >= 1, sustained 2 days
Config ClockConfig() {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_adoption = c.score.usage_value = 0;
  c.score.firmographic_max = 100;
  c.score.firmographic = {TierIs("ae", 70)};
  c.metrics.push_back(Metric("hits", MetricForm::kCount, {"Hit"}, "", All()));
  c.metrics.push_back(Metric("hits_7d", MetricForm::kCount, {"Hit"}, "", Days(7)));
  TriggerDef once;
  once.name = "hit_once";
  once.metric = "hits";
  once.at = 1;
  c.triggers.push_back(once);
  TriggerDef twice;
  twice.name = "hit_twice";
  twice.metric = "hits_7d";
  twice.at = 1;
  twice.sustained_days = 2;
  c.triggers.push_back(twice);
  return c;
}

std::string EvaluatedAt(Harness& h, const std::string& account) {
  const auto a = h.Acc(account);
  return a ? Iso(a->evaluated_at) : "no account";
}

// Rule 9: W starts at the first input's time and the first midnight processed
// is the next one. Before any input W is unknown. First input Mar 1 10:00:
// W = Mar 1 10:00, acme evaluated then. Advancing to Mar 1 23:59:59.999 crosses
// nothing (evaluated_at stays 10:00; W moves). Mar 2 00:00 is the first
// midnight: acme is evaluated there.
TEST(Clock, StartsAtFirstInputFirstMidnightIsTheNext) {
  Harness h(ClockConfig());
  EXPECT_FALSE(h.engine().clock().has_value());
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Other");
  EXPECT_EQ(Iso(h.engine().clock()), "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-01T10:00:00.000Z");
  h.Advance("2026-03-01T23:59:59.999Z");
  EXPECT_EQ(Iso(h.engine().clock()), "2026-03-01T23:59:59.999Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-01T10:00:00.000Z");
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-02T00:00:00.000Z");
}

// Rule 9: a first input stamped exactly at a midnight starts W there; that
// midnight is not one W crosses, so the next midnight processed is Mar 2.
// The input's evaluation fires hit_once once (one effect); nothing is
// evaluated again until the midnight of Mar 2.
TEST(Clock, FirstInputAtMidnight) {
  Harness h(ClockConfig());
  h.Track("2026-03-01T00:00:00Z", "acme", "u1", "Hit");
  auto changes = h.engine().TakeChanges();
  ASSERT_EQ(changes.effects.size(), 1u);
  EXPECT_EQ(changes.effects[0].type, "trigger.fired");
  EXPECT_EQ(Iso(changes.effects[0].at), "2026-03-01T00:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-01T00:00:00.000Z");
  h.Advance("2026-03-01T23:59:59.999Z");
  EXPECT_TRUE(h.engine().TakeChanges().accounts.empty());
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(h.engine().TakeChanges().accounts, std::set<std::string>{"acme"});
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-02T00:00:00.000Z");
}

// Rule 9 ordering at one instant x = 2026-03-05T00:00:00Z:
//   * zeta: an `ae` signal created at Mar 3 00:00 (first input), touch_due
//     = Mar 3 00:00 + 48 h = x.
//   * beta: a Hit on Mar 4 10:00 (activation day Mar 4, so hit_twice cannot
//     hold that day); at the midnight x, 7d = 1 and Mar 4 reached -> fires.
//   * aaa: a new account whose first Hit is stamped exactly x -> hit_once fires.
// The midnight comes first, evaluating known accounts in id order (beta, zeta);
// zeta's deadline is due at its evaluation's time and is applied within it;
// only then is the input stamped x applied. Effects at x, in order:
//   trigger.fired beta, signal.escalated zeta, trigger.fired aaa.
// (Deadlines first would put zeta's escalation before beta's firing.)
TEST(Clock, MidnightThenDeadlinesThenInputAtOneInstant) {
  Harness h(ClockConfig());
  h.Account("2026-03-03T00:00:00Z", "zeta", "ae1", std::nullopt, {{"tier", S("ae")}});
  ASSERT_NE(h.Sig("zeta:1"), nullptr);
  EXPECT_EQ(Iso(h.Sig("zeta:1")->touch_due), "2026-03-05T00:00:00.000Z");
  h.Track("2026-03-04T10:00:00Z", "beta", "u1", "Hit");
  (void)h.engine().TakeChanges();
  h.Track("2026-03-05T00:00:00Z", "aaa", "u2", "Hit");
  auto changes = h.engine().TakeChanges();
  std::vector<std::pair<std::string, std::string>> got;
  for (const auto& e : changes.effects) {
    EXPECT_EQ(Iso(e.at), "2026-03-05T00:00:00.000Z") << e.id;
    got.emplace_back(e.type, e.account_id);
  }
  const std::vector<std::pair<std::string, std::string>> want = {
      {"trigger.fired", "beta"}, {"signal.escalated", "zeta"}, {"trigger.fired", "aaa"}};
  EXPECT_EQ(got, want);
  EXPECT_EQ(Iso(h.Sig("zeta:1")->escalated_at), "2026-03-05T00:00:00.000Z");
  auto beta = h.Firings("beta");
  ASSERT_EQ(beta.size(), 2u);
  EXPECT_EQ(beta[1].trigger, "hit_twice");
  EXPECT_EQ(Iso(beta[1].fired_at), "2026-03-05T00:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "zeta"), "2026-03-05T00:00:00.000Z");
}

// Rule 9: a deadline at instant x is processed before an input stamped x, also
// off midnight and for the same account. acme's signal: created Mar 2 09:00,
// touch_due Mar 4 09:00. An acme event stamped Mar 4 09:00: the escalation
// (deadline evaluation) comes first, then the event's evaluation.
TEST(Clock, DeadlineBeforeInputAtSameInstant) {
  Harness h(ClockConfig());
  h.Account("2026-03-02T09:00:00Z", "acme", "ae1", std::nullopt, {{"tier", S("ae")}});
  (void)h.engine().TakeChanges();
  h.Track("2026-03-04T09:00:00Z", "acme", "u1", "Hit");
  auto changes = h.engine().TakeChanges();
  std::vector<std::string> types;
  for (const auto& e : changes.effects) types.push_back(e.type + "@" + Iso(e.at));
  const std::vector<std::string> want = {"signal.escalated@2026-03-04T09:00:00.000Z",
                                         "trigger.fired@2026-03-04T09:00:00.000Z"};
  EXPECT_EQ(types, want);
}

// SPEC 3.1: a late input goes into its own day and its account is evaluated at
// W. acme Hit Mar 1 10:00; beta event Mar 3 10:00 moves W; a late acme Hit
// stamped Mar 1 12:00 evaluates acme at W = Mar 3 10:00 (lifetime hits 2) and
// does not move W.
TEST(Clock, LateInputEvaluatedAtW) {
  Harness h(ClockConfig());
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Hit");
  h.Track("2026-03-03T10:00:00Z", "beta", "u2", "Other");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-03T00:00:00.000Z");  // last midnight
  h.Track("2026-03-01T12:00:00Z", "acme", "u1", "Hit");
  EXPECT_EQ(Iso(h.engine().clock()), "2026-03-03T10:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-03T10:00:00.000Z");
  EXPECT_EQ(h.Acc("acme")->metrics["hits"], nlohmann::json(2));
}

// Rule 9: after the last input nothing more is evaluated. acme's signal is
// created Mar 2 09:00 with touch_due Mar 4 09:00; the last input is a beta
// event at Mar 4 08:59:59.999: acme was last evaluated at the midnight of
// Mar 4 and is not escalated. Only an advance to 09:00 escalates it.
TEST(Clock, NothingEvaluatedAfterTheLastInput) {
  Harness h(ClockConfig());
  h.Account("2026-03-02T09:00:00Z", "acme", "ae1", std::nullopt, {{"tier", S("ae")}});
  h.Track("2026-03-04T08:59:59.999Z", "beta", "u2", "Other");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-04T00:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "beta"), "2026-03-04T08:59:59.999Z");
  EXPECT_FALSE(h.Sig("acme:1")->escalated_at.has_value());
  h.Advance("2026-03-04T09:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(Iso(h.Sig("acme:1")->escalated_at), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "beta"), "2026-03-04T08:59:59.999Z");  // no deadline of its own
}

// Rule 10: only live deadlines are evaluation points. acme's signal (created
// Mar 2 09:00, touch_due Mar 4 09:00, expiry Apr 1 09:00) is touched at
// Mar 2 10:00: its touch_due is no evaluation point, so after advancing to
// Mar 4 12:00 acme was last evaluated at the midnight of Mar 4. An opportunity
// linked on Mar 5 makes the status `opportunity`: the expiry is no evaluation
// point either (last evaluation the midnight of Apr 1; still live).
TEST(Clock, OnlyLiveDeadlinesAreEvaluationPoints) {
  Harness h(ClockConfig());
  h.Account("2026-03-02T09:00:00Z", "acme", "ae1", std::nullopt, {{"tier", S("ae")}});
  h.Touch("2026-03-02T10:00:00Z", "acme", "acme:1", "ae1");
  h.Advance("2026-03-04T12:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-04T00:00:00.000Z");
  EXPECT_FALSE(h.Sig("acme:1")->escalated_at.has_value());
  h.Opportunity("2026-03-05T10:00:00Z", "acme", "o1", std::nullopt, "open", 1000);
  EXPECT_EQ(SignalStatusName(h.Sig("acme:1")->status), std::string("opportunity"));
  h.Advance("2026-04-01T12:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-04-01T00:00:00.000Z");
  EXPECT_TRUE(h.Sig("acme:1")->live());
}

// SPEC 3.1: deadlines and midnights inside one advance of W are processed in
// time order. acme's signal created Mar 2 09:00: escalation at Mar 4 09:00,
// expiry at Apr 1 09:00. One advance from Mar 2 09:00 to Apr 5 00:00 gives the
// signal effects escalated@Mar 4 09:00 then closed@Apr 1 09:00, every effect
// in non-decreasing time, and acme last evaluated at the midnight of Apr 5
// (the cooldown blocks a new signal: 4 days < 30 d).
TEST(Clock, OneAdvanceProcessesInTimeOrder) {
  Harness h(ClockConfig());
  h.Account("2026-03-02T09:00:00Z", "acme", "ae1", std::nullopt, {{"tier", S("ae")}});
  (void)h.engine().TakeChanges();
  h.Advance("2026-04-05T00:00:00Z");
  auto changes = h.engine().TakeChanges();
  std::vector<std::string> signal_effects;
  TimeMs last = 0;
  for (const auto& e : changes.effects) {
    EXPECT_GE(e.at, last) << e.id;
    last = e.at;
    if (e.type.rfind("signal.", 0) == 0) signal_effects.push_back(e.type + "@" + Iso(e.at));
  }
  const std::vector<std::string> want = {"signal.escalated@2026-03-04T09:00:00.000Z",
                                         "signal.closed@2026-04-01T09:00:00.000Z"};
  EXPECT_EQ(signal_effects, want);
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-04-05T00:00:00.000Z");
  EXPECT_EQ(h.Sig("acme:2"), nullptr);
}

// Rule 8: an account is known from the first stored input that names it (an
// attributed event or identify, a group call, a record with account_id) and
// stays known; owner and release records, unattributed events and identifies
// without an account create none. Every midnight evaluates every known
// account (rule 9.2): rev (a revenue record, Mar 1 12:00) and tick (a
// ticket record, Mar 1 13:00) are both evaluated at the midnight of Mar 2.
TEST(Clock, KnownAccountsAndMidnightEvaluation) {
  Harness h(ClockConfig());
  h.Owner("2026-03-01T10:00:00Z", "ae1", "ae");
  ReleaseRecord release;
  release.feature = "sso";
  release.released_at = T("2026-03-01T11:00:00Z");
  release.tier = "enterprise";
  release.adoption_event = "SSO Enabled";
  h.Record("2026-03-01T11:00:00Z", "", release);
  h.Track("2026-03-01T11:30:00Z", "", "u1", "Hit");
  h.Identify("2026-03-01T11:40:00Z", "u1", {{"title", S("CTO")}});
  EXPECT_TRUE(h.engine().AccountIds().empty());
  RevenueRecord revenue;
  revenue.at = T("2026-03-01T12:00:00Z");
  revenue.mrr = 100;
  revenue.plan = "team";
  h.Record("2026-03-01T12:00:00Z", "rev", revenue);
  h.Ticket("2026-03-01T13:00:00Z", "tick", "t1", Value::Number(3), "2026-03-01T13:00:00Z");
  EXPECT_EQ(h.engine().AccountIds(), (std::vector<std::string>{"rev", "tick"}));
  EXPECT_EQ(EvaluatedAt(h, "rev"), "2026-03-01T12:00:00.000Z");
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "rev"), "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(EvaluatedAt(h, "tick"), "2026-03-02T00:00:00.000Z");
}

}  // namespace
}  // namespace headroom::testing
