// SPEC 3.4 and 3.7 rules 5, 12, 19-21: firmographic predicates, caps, usage
// per class, the buying committee, the 100 ceiling and the account trait
// merge. Hand-derived expectations above each test.
#include <gtest/gtest.h>

#include <utility>

#include "engine/score.h"
#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }
Value B(bool b) { return Value::Bool(b); }

using Op = FirmographicCriterion::Op;

FirmographicCriterion Firmo(std::string name, std::string trait, Op op, double points) {
  FirmographicCriterion f;
  f.name = std::move(name);
  f.trait = std::move(trait);
  f.op = op;
  f.points = points;
  return f;
}
FirmographicCriterion Equals(std::string name, std::string trait, Value v, double points) {
  auto f = Firmo(std::move(name), std::move(trait), Op::kEquals, points);
  f.value = std::move(v);
  return f;
}

CommitteeCriterion CountCriterion(std::string name, std::string event, double gte, double points,
                                  Window window = Days(30)) {
  CommitteeCriterion c;
  c.name = name;
  c.kind = CommitteeCriterion::Kind::kMetric;
  c.metric = Metric(name, MetricForm::kCount, {std::move(event)}, "", window);
  c.window = window;
  c.gte = gte;
  c.points = points;
  return c;
}

// Only the criteria a test sets: no usage points, no committee, max 100.
Config ScoreConfigWith(std::vector<FirmographicCriterion> firmo) {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_adoption = c.score.usage_value = 0;
  c.score.firmographic_max = 100;
  c.score.firmographic = std::move(firmo);
  return c;
}

double Score(Harness& h, const std::string& account) {
  const auto a = h.Acc(account);
  if (!a) {
    ADD_FAILURE() << "unknown account " << account;
    return -1;
  }
  return a->score;
}

nlohmann::json Criterion(Harness& h, const std::string& account, const std::string& part,
                         const std::string& name) {
  const auto a = h.Acc(account);
  if (!a) return nullptr;
  for (const auto& c : a->evidence[part])
    if (c.value("name", "") == name) return c;
  ADD_FAILURE() << "no criterion " << part << "/" << name << " in " << a->evidence.dump();
  return nullptr;
}

// Firmographic equals / gte / lte / in with JSON-type comparison (rules 12,
// 19). Points are powers of two so the sum names the criteria that held:
//   1 icp_fit equals true, 2 tier_num equals 1, 4 code equals 1,
//   8 employees gte 100, 16 churn lte 0.2, 32 region in ["emea", 3].
// hit:   true, 1.0, "1", 100, 0.2, "emea"      -> 1+2+8+16+32 = 59 ("1" != 1)
// mixed: "true", "1", 1, "100", -, 3.0         -> 4+32 = 36 (a string fails
//        equals true and gte; missing churn fails lte)
// typed: 1, -, -, true, "0.1", "EMEA"          -> 0 (1 != true; wrong types
//        make gte/lte false; strings compare exactly)
// none:  no traits                              -> 0
TEST(Firmographic, EqualsGteLteInWithTypes) {
  auto gte = Firmo("employees", "employees", Op::kGte, 8);
  gte.number = 100;
  auto lte = Firmo("churn", "churn", Op::kLte, 16);
  lte.number = 0.2;
  auto in = Firmo("region", "region", Op::kIn, 32);
  in.values = {S("emea"), N(3)};
  Harness h(
      ScoreConfigWith({Equals("icp", "icp_fit", B(true), 1), Equals("tier", "tier_num", N(1), 2),
                       Equals("code", "code", N(1), 4), gte, lte, in}));
  h.Account("2026-03-01T10:00:00Z", "hit", "ae1", std::nullopt,
            {{"icp_fit", B(true)},
             {"tier_num", N(1.0)},
             {"code", S("1")},
             {"employees", N(100)},
             {"churn", N(0.2)},
             {"region", S("emea")}});
  h.Account("2026-03-01T10:00:00Z", "mixed", "ae1", std::nullopt,
            {{"icp_fit", S("true")},
             {"tier_num", S("1")},
             {"code", N(1)},
             {"employees", S("100")},
             {"region", N(3.0)}});
  h.Account(
      "2026-03-01T10:00:00Z", "typed", "ae1", std::nullopt,
      {{"icp_fit", N(1)}, {"employees", B(true)}, {"churn", S("0.1")}, {"region", S("EMEA")}});
  h.Account("2026-03-01T10:00:00Z", "none", "ae1", std::nullopt, {});
  EXPECT_EQ(Score(h, "hit"), 59);
  EXPECT_EQ(h.Acc("hit")->parts.firmographic, 59);
  EXPECT_EQ(Score(h, "mixed"), 36);
  EXPECT_EQ(Score(h, "typed"), 0);
  EXPECT_EQ(Score(h, "none"), 0);
  auto c = Criterion(h, "hit", "firmographic", "employees");
  EXPECT_EQ(c["holds"], true);
  EXPECT_EQ(c["points"], 8);
  EXPECT_EQ(c["value"], 100);
  c = Criterion(h, "mixed", "firmographic", "employees");
  EXPECT_EQ(c["holds"], false);
  EXPECT_EQ(c["points"], 0);
}

// An account keeps the first 64 firmographic verdicts as bits; criteria from
// the 65th on are worked out at each evaluation and each read. 70 criteria
// of 1 point, t_i equals true, with t_i true for even i: 35 points. Then t_65
// becomes true (odd, past 64) and t_2 false: 35 + 1 - 1 = 35, and the
// evidence follows both.
TEST(ScoreFirmographic, CriteriaPastTheSixtyFourthAreKeptExactly) {
  std::vector<FirmographicCriterion> firmo;
  TraitMap traits;
  for (int i = 0; i < 70; ++i) {
    const std::string n = std::to_string(i);
    firmo.push_back(Equals("f" + n, "t" + n, B(true), 1));
    traits["t" + n] = B(i % 2 == 0);
  }
  Harness h(ScoreConfigWith(std::move(firmo)));
  h.Account("2026-03-01T09:00:00Z", "acme", "ae1", std::nullopt, traits);
  EXPECT_EQ(h.Acc("acme")->parts.firmographic, 35);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f64")["holds"], true);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f65")["holds"], false);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f66")["holds"], true);
  traits["t65"] = B(true);
  traits["t2"] = B(false);
  h.Account("2026-03-02T09:00:00Z", "acme", "ae1", std::nullopt, traits);
  EXPECT_EQ(h.Acc("acme")->parts.firmographic, 35);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f65")["holds"], true);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f2")["holds"], false);
  EXPECT_EQ(Criterion(h, "acme", "firmographic", "f4")["holds"], true);
}

// within_days N on a date trait holds when the date (00:00Z for a date-only
// value) is in [t, t + N days) (rules 3.4, 19). N = 120; t0 = 2026-01-01T00:00Z,
// t0 + 120 d = 2026-05-01T00:00Z (31 + 28 + 31 + 30 days).
//   at t0:  "2026-01-01" (= t0) 5; "2026-04-30" 5; "2026-05-01" (= t0+120d) 0;
//           "2026-04-30T23:59:59.999Z" 5; "2025-12-31" 0; the number 20260201
//           (not a date) 0; missing 0.
//   at t1 = 2026-01-01T10:00Z: "2026-01-01" is 00:00 < t1 -> 0; "2026-01-02" 5;
//           "2026-05-01T09:59:59.999Z" 5; "2026-05-01T10:00:00Z" (= t1+120d) 0.
TEST(Firmographic, WithinDaysBounds) {
  auto w = Firmo("competitor_renewal", "renewal", Op::kWithinDays, 5);
  w.days = 120;
  Harness h(ScoreConfigWith({w}));
  const std::vector<std::pair<std::string, Value>> at_t0 = {
      {"today", S("2026-01-01")}, {"last", S("2026-04-30")},
      {"end", S("2026-05-01")},   {"datetime", S("2026-04-30T23:59:59.999Z")},
      {"past", S("2025-12-31")},  {"number", N(20260201)}};
  for (const auto& [id, v] : at_t0)
    h.Account("2026-01-01T00:00:00Z", id, "ae1", std::nullopt, {{"renewal", v}});
  h.Account("2026-01-01T00:00:00Z", "missing", "ae1", std::nullopt, {});
  EXPECT_EQ(Score(h, "today"), 5);
  EXPECT_EQ(Score(h, "last"), 5);
  EXPECT_EQ(Score(h, "end"), 0);
  EXPECT_EQ(Score(h, "datetime"), 5);
  EXPECT_EQ(Score(h, "past"), 0);
  EXPECT_EQ(Score(h, "number"), 0);
  EXPECT_EQ(Score(h, "missing"), 0);
  const std::vector<std::pair<std::string, Value>> at_t1 = {
      {"late_today", S("2026-01-01")},
      {"late_tomorrow", S("2026-01-02")},
      {"late_last_ms", S("2026-05-01T09:59:59.999Z")},
      {"late_end", S("2026-05-01T10:00:00Z")}};
  for (const auto& [id, v] : at_t1)
    h.Account("2026-01-01T10:00:00Z", id, "ae1", std::nullopt, {{"renewal", v}});
  EXPECT_EQ(Score(h, "late_today"), 0);
  EXPECT_EQ(Score(h, "late_tomorrow"), 5);
  EXPECT_EQ(Score(h, "late_last_ms"), 5);
  EXPECT_EQ(Score(h, "late_end"), 0);
}

// Caps: firmographic 15 + 10 + 5 + 20 = 50 capped at max 30; committee
// 10 + 8 + 7 = 25 capped at max 20. Score = 30 + 0 + 20 = 50.
TEST(ScoreCaps, FirmographicAndCommitteeCapped) {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_adoption = c.score.usage_value = 0;
  c.score.firmographic_max = 30;
  c.score.firmographic = {Equals("a", "a", B(true), 15), Equals("b", "b", B(true), 10),
                          Equals("c", "c", B(true), 5), Equals("d", "d", B(true), 20)};
  c.score.committee_max = 20;
  c.score.committee = {CountCriterion("ca", "A", 1, 10), CountCriterion("cb", "B", 1, 8),
                       CountCriterion("cc", "C", 2, 7)};
  Harness h(c);
  h.Account("2026-03-01T09:00:00Z", "acme", "ae1", std::nullopt,
            {{"a", B(true)}, {"b", B(true)}, {"c", B(true)}, {"d", B(true)}});
  EXPECT_EQ(h.Acc("acme")->parts.firmographic, 30);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "A");
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "B");
  h.Track("2026-03-01T10:02:00Z", "acme", "u1", "C");
  EXPECT_EQ(h.Acc("acme")->parts.committee, 18);  // C needs 2: 10 + 8
  h.Track("2026-03-01T10:03:00Z", "acme", "u1", "C");
  EXPECT_EQ(h.Acc("acme")->parts.committee, 20);
  EXPECT_EQ(Score(h, "acme"), 50);
}

// MaxScore: firmographic 15 + 10 + 5 + 20 = 50 capped at 30; usage counts
// only the classes of configured triggers (capacity 20 here; adoption 15 and
// value 15 would need triggers of theirs); committee 10 + 8 + 7 = 25 capped
// at 20; a negative criterion adds nothing: 30 + 20 + 20 = 70. With no
// trigger: 50. With a 90-point criterion (max 100): min(100, 130) = 100.
TEST(ScoreCaps, MaxScoreIsTheHighestReachableScore) {
  Config c = BareConfig();
  c.score.firmographic_max = 30;
  c.score.firmographic = {Equals("a", "a", B(true), 15), Equals("b", "b", B(true), 10),
                          Equals("c", "c", B(true), 5), Equals("d", "d", B(true), 20),
                          Equals("e", "e", B(true), -40)};
  c.score.committee_max = 20;
  c.score.committee = {CountCriterion("ca", "A", 1, 10), CountCriterion("cb", "B", 1, 8),
                       CountCriterion("cc", "C", 2, 7)};
  EXPECT_EQ(MaxScore(c), 50);
  TriggerDef t;
  t.name = "cap";
  t.cls = TriggerClass::kCapacity;
  c.triggers.push_back(t);
  EXPECT_EQ(MaxScore(c), 70);
  c.score.firmographic_max = 100;
  c.score.firmographic.push_back(Equals("big", "big", B(true), 90));
  EXPECT_EQ(MaxScore(c), 100);
}

// score = min(100, firmographic + usage + committee): a 90-point criterion
// (max 100) plus an active capacity trigger (20) gives 110 -> 100.
TEST(ScoreCaps, TotalCappedAt100) {
  Config c = ScoreConfigWith({Equals("big", "big", B(true), 90)});
  c.score.usage_capacity = 20;
  c.metrics.push_back(Metric("seats", MetricForm::kCount, {"Seat"}, "", All()));
  TriggerDef t;
  t.name = "cap";
  t.cls = TriggerClass::kCapacity;
  t.metric = "seats";
  t.at = 1;
  c.triggers.push_back(t);
  Harness h(c);
  h.Account("2026-03-01T09:00:00Z", "acme", "ae1", std::nullopt, {{"big", B(true)}});
  EXPECT_EQ(Score(h, "acme"), 90);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Seat");
  EXPECT_EQ(h.Acc("acme")->parts.firmographic, 90);
  EXPECT_EQ(h.Acc("acme")->parts.capacity, 20);
  EXPECT_EQ(Score(h, "acme"), 100);
  EXPECT_EQ(AccountSummaryJson(*h.Acc("acme"))["score"], nlohmann::json(100));
}

// Usage: per class, its points when at least one trigger of the class is
// active (capacity 20, adoption 15, value 15).
//   Mar 1 10:00 Seat  -> cap (capacity)                 20
//   Mar 1 11:00 Feat1 -> ad1 (adoption)                 35
//   Mar 1 12:00 Feat2 -> ad2 (adoption, same class)     35
//   Mar 1 13:00 Win   -> val (value: 1d Win >= 1, hold_days 1) 50
//   Mar 2 00:00: val does not hold (1d = 0) but is active until
//     last_held + 1 d = Mar 2 13:00                     50
//   Mar 3 00:00: the episode ended at Mar 2 13:00       35
TEST(Usage, PointsPerClassWhileActive) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("seats", MetricForm::kCount, {"Seat"}, "", All()));
  c.metrics.push_back(Metric("f1", MetricForm::kCount, {"Feat1"}, "", All()));
  c.metrics.push_back(Metric("f2", MetricForm::kCount, {"Feat2"}, "", All()));
  c.metrics.push_back(Metric("wins", MetricForm::kCount, {"Win"}, "", Days(1)));
  auto trig = [](std::string name, TriggerClass cls, std::string metric, int hold) {
    TriggerDef t;
    t.name = std::move(name);
    t.cls = cls;
    t.metric = std::move(metric);
    t.at = 1;
    t.hold_days = hold;
    return t;
  };
  c.triggers = {trig("cap", TriggerClass::kCapacity, "seats", 30),
                trig("ad1", TriggerClass::kAdoption, "f1", 30),
                trig("ad2", TriggerClass::kAdoption, "f2", 30),
                trig("val", TriggerClass::kValue, "wins", 1)};
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Seat");
  EXPECT_EQ(Score(h, "acme"), 20);
  h.Track("2026-03-01T11:00:00Z", "acme", "u1", "Feat1");
  EXPECT_EQ(Score(h, "acme"), 35);
  h.Track("2026-03-01T12:00:00Z", "acme", "u1", "Feat2");
  EXPECT_EQ(Score(h, "acme"), 35);
  EXPECT_EQ(h.Acc("acme")->parts.adoption, 15);
  h.Track("2026-03-01T13:00:00Z", "acme", "u1", "Win");
  EXPECT_EQ(Score(h, "acme"), 50);
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(Score(h, "acme"), 50);
  EXPECT_EQ(h.Acc("acme")->parts.value, 15);
  h.Advance("2026-03-03T00:00:00Z");
  EXPECT_EQ(Score(h, "acme"), 35);
  EXPECT_EQ(h.Acc("acme")->parts.value, 0);
  const std::vector<std::string> active = {"ad1", "ad2", "cap"};
  EXPECT_EQ(h.Acc("acme")->active_triggers, active);
  int val_episodes = 0;
  for (const auto& f : h.Firings("acme")) {
    if (f.trigger != "val") continue;
    ++val_episodes;
    EXPECT_EQ(Iso(f.fired_at), "2026-03-01T13:00:00.000Z");
    EXPECT_EQ(Iso(f.ended_at), "2026-03-02T13:00:00.000Z");
  }
  EXPECT_EQ(val_episodes, 1);
}

// new_senior_users (rule 20, default words), window 30d, gte 5, 10 points.
// Evaluated on Mar 10: the window is Feb 9 .. Mar 10.
//   u1 "VP of Sales"          first acme event Mar 10      yes (vp)
//   u2 "Sr. Director, IT"     Mar 10                        yes (director)
//   u3 "Vice-President"       Mar 10                        yes (vice president)
//   u4 "Directorate Liaison"  Mar 10                        no
//   u5 "CTO"                  first Feb 8 23:59:59.999      no (before the window)
//   anon-6 "CEO"              anonymous events only         no (rule 13)
//   u7 "CFO"                  first in beta Jan 5, in acme Mar 10: yes (this account)
//   u8 "CEO"                  identify with acme, no event  no (rule 1)
//   u9 no title               Mar 10                        no
//   u10 "COO"                 first Feb 9 00:00:00.000      yes
// -> 5 (u1 u2 u3 u7 u10): 10 points. u4's title becomes "Director of Ops"
// (the current title counts) -> 6. At the midnight of Mar 11 the window is
// Feb 10 .. Mar 11: u10 drops -> 5.
TEST(Committee, NewSeniorUsers) {
  Config c = BareConfig();
  CommitteeCriterion senior = DefaultScoreConfig().committee[0];
  ASSERT_EQ(senior.kind, CommitteeCriterion::Kind::kNewSeniorUsers);
  senior.gte = 5;
  c.score.committee = {senior};
  Harness h(c);
  const std::vector<std::pair<std::string, std::string>> titles = {{"u1", "VP of Sales"},
                                                                   {"u2", "Sr. Director, IT"},
                                                                   {"u3", "Vice-President"},
                                                                   {"u4", "Directorate Liaison"},
                                                                   {"u5", "CTO"},
                                                                   {"anon-6", "CEO"},
                                                                   {"u7", "CFO"},
                                                                   {"u10", "COO"}};
  h.Track("2026-01-05T10:00:00Z", "beta", "u7", "Login");
  for (const auto& [user, title] : titles)
    h.Identify("2026-01-05T11:00:00Z", user, {{"title", S(title)}});
  h.Track("2026-02-08T23:59:59.999Z", "acme", "u5", "Login");
  h.Track("2026-02-09T00:00:00Z", "acme", "u10", "Login");
  h.Track("2026-03-10T09:00:00Z", "acme", "anon-6", "Login", {}, /*anonymous=*/true);
  for (const char* user : {"u1", "u2", "u3", "u4", "u5", "u7", "u9"})
    h.Track("2026-03-10T10:00:00Z", "acme", user, "Login");
  h.Identify("2026-03-10T11:00:00Z", "u8", {{"title", S("CEO")}}, "acme");
  auto crit = Criterion(h, "acme", "committee", "senior_logins");
  EXPECT_EQ(crit["value"], 5);
  EXPECT_EQ(crit["points"], 10);
  EXPECT_EQ(h.Acc("acme")->parts.committee, 10);
  EXPECT_EQ(Score(h, "acme"), 10);
  h.Identify("2026-03-10T12:00:00Z", "u4", {{"title", S("Director of Ops")}}, "acme");
  EXPECT_EQ(Criterion(h, "acme", "committee", "senior_logins")["value"], 6);
  h.Advance("2026-03-11T00:00:00Z");
  EXPECT_EQ(Criterion(h, "acme", "committee", "senior_logins")["value"], 5);
  EXPECT_EQ(Score(h, "acme"), 10);
  // A late acme event of u7 stamped Feb 5 makes that u7's earliest event in
  // acme: outside the window, u7 is no longer new -> 4 (u1 u2 u3 u4) < 5.
  h.Track("2026-02-05T10:00:00Z", "acme", "u7", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "senior_logins")["value"], 4);
  EXPECT_EQ(Score(h, "acme"), 0);
}

// distinct_user_trait department, 30d, gte 2, 5 points (rule 21). On Mar 10
// (window Feb 9 .. Mar 10): u1 Sales, u2 Sales, u4 no department, u5 null
// department, anon-1 "Legal" (anonymous), u3 IT active only on Feb 8 ->
// {Sales} = 1, no points. u3 active on Mar 10 -> {Sales, IT} = 2: 5 points.
// u2 becomes "Finance" (current value) -> 3.
TEST(Committee, DistinctUserTrait) {
  Config c = BareConfig();
  CommitteeCriterion dept = DefaultScoreConfig().committee[1];
  ASSERT_EQ(dept.kind, CommitteeCriterion::Kind::kDistinctUserTrait);
  c.score.committee = {dept};
  Harness h(c);
  h.Identify("2026-02-01T09:00:00Z", "u1", {{"department", S("Sales")}});
  h.Identify("2026-02-01T09:00:00Z", "u2", {{"department", S("Sales")}});
  h.Identify("2026-02-01T09:00:00Z", "u3", {{"department", S("IT")}});
  h.Identify("2026-02-01T09:00:00Z", "u5", {{"department", Value::Null()}});
  h.Identify("2026-02-01T09:00:00Z", "anon-1", {{"department", S("Legal")}});
  h.Track("2026-02-08T10:00:00Z", "acme", "u3", "Login");
  h.Track("2026-03-10T09:00:00Z", "acme", "anon-1", "Login", {}, /*anonymous=*/true);
  for (const char* user : {"u1", "u2", "u4", "u5"})
    h.Track("2026-03-10T10:00:00Z", "acme", user, "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 1);
  EXPECT_EQ(h.Acc("acme")->parts.committee, 0);
  h.Track("2026-03-10T11:00:00Z", "acme", "u3", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 2);
  EXPECT_EQ(h.Acc("acme")->parts.committee, 5);
  h.Identify("2026-03-10T12:00:00Z", "u2", {{"department", S("Finance")}}, "acme");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 3);
}

// The committee values are cached per day; a user's later event refreshes
// them only when that user had left some window. distinct_user_trait
// department, 30d: u1 Sales, u3 IT, u4 Legal.
//   Feb 8 u4, Feb 9 u3, Mar 10 09:00 u1: window Feb 9 .. Mar 10 -> {Sales, IT} = 2
//   Mar 10 10:00 u3 (last day Feb 9, still inside)                -> 2
//   Mar 10 11:00 u4 (last day Feb 8, outside: re-enters)          -> 3
//   midnight Mar 11 (window Feb 10 .. Mar 11): all three on Mar 10 -> 3
//   midnight Apr 9 (window Mar 11 .. Apr 9): nobody               -> 0
//   Apr 9 10:00 u1 (last day Mar 10, outside: re-enters)          -> 1
TEST(Committee, DistinctUserTraitUsersLeavingAndReturning) {
  Config c = BareConfig();
  c.score.committee = {DefaultScoreConfig().committee[1]};
  Harness h(c);
  h.Identify("2026-02-01T09:00:00Z", "u1", {{"department", S("Sales")}});
  h.Identify("2026-02-01T09:00:00Z", "u3", {{"department", S("IT")}});
  h.Identify("2026-02-01T09:00:00Z", "u4", {{"department", S("Legal")}});
  h.Track("2026-02-08T10:00:00Z", "acme", "u4", "Login");
  h.Track("2026-02-09T10:00:00Z", "acme", "u3", "Login");
  h.Track("2026-03-10T09:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 2);
  h.Track("2026-03-10T10:00:00Z", "acme", "u3", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 2);
  h.Track("2026-03-10T11:00:00Z", "acme", "u4", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 3);
  h.Advance("2026-03-11T00:00:00Z");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 3);
  h.Advance("2026-04-09T00:00:00Z");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 0);
  h.Track("2026-04-09T10:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "second_department")["value"], 1);
}

// Committee values are kept across days while the windows have not moved
// past the earliest day of a user they counted; they must still fall on the
// exact day that user leaves. distinct_user_trait department, 7d, and
// new_senior_users, 7d (gte 1 each):
//   Mar 1 u1 (VP, Sales); Mar 5 u2 (no title, IT)
//   Mar 5 .. Mar 7 (window starts Feb 27 .. Mar 1): departments 2, senior 1
//   Mar 8 (window Mar 2 .. Mar 8): u1 out -> departments 1, senior 0
//   Mar 11 (window Mar 5 .. Mar 11): u2 in -> 1; Mar 12: 0
// A re-sent identify with the same title (a later time, no value change)
// and a change to a trait no criterion reads leave the values as they were.
TEST(Committee, CachedValuesFallOnTheDayAUserLeaves) {
  Config c = BareConfig();
  CommitteeCriterion senior = DefaultScoreConfig().committee[0];
  CommitteeCriterion dept = DefaultScoreConfig().committee[1];
  senior.window = dept.window = Days(7);
  senior.gte = dept.gte = 1;
  c.score.committee = {senior, dept};
  Harness h(c);
  h.Identify("2026-02-01T09:00:00Z", "u1", {{"title", S("VP Sales")}, {"department", S("Sales")}});
  h.Identify("2026-02-01T09:00:00Z", "u2", {{"department", S("IT")}});
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Login");
  h.Track("2026-03-05T10:00:00Z", "acme", "u2", "Login");
  auto values = [&] {
    return std::pair{Criterion(h, "acme", "committee", senior.name)["value"].get<double>(),
                     Criterion(h, "acme", "committee", dept.name)["value"].get<double>()};
  };
  EXPECT_EQ(values(), std::pair(1.0, 2.0));
  h.Identify("2026-03-05T11:00:00Z", "u1", {{"title", S("VP Sales")}, {"plan_role", S("admin")}});
  h.Advance("2026-03-07T00:00:00Z");
  EXPECT_EQ(values(), std::pair(1.0, 2.0));
  h.Advance("2026-03-08T00:00:00Z");
  EXPECT_EQ(values(), std::pair(0.0, 1.0));
  h.Advance("2026-03-11T00:00:00Z");
  EXPECT_EQ(values(), std::pair(0.0, 1.0));
  h.Advance("2026-03-12T00:00:00Z");
  EXPECT_EQ(values(), std::pair(0.0, 0.0));
}

// The same with calendar-month windows: the values hold through the last day
// of the month and fall at its midnight. u1 (VP, Sales) on Mar 2.
TEST(Committee, CachedValuesFallAtTheEndOfAMonthWindow) {
  Config c = BareConfig();
  CommitteeCriterion senior = DefaultScoreConfig().committee[0];
  CommitteeCriterion dept = DefaultScoreConfig().committee[1];
  senior.window = dept.window = Month();
  senior.gte = dept.gte = 1;
  c.score.committee = {senior, dept};
  Harness h(c);
  h.Identify("2026-02-01T09:00:00Z", "u1", {{"title", S("VP Sales")}, {"department", S("Sales")}});
  h.Track("2026-03-02T10:00:00Z", "acme", "u1", "Login");
  auto values = [&] {
    return std::pair{Criterion(h, "acme", "committee", senior.name)["value"].get<double>(),
                     Criterion(h, "acme", "committee", dept.name)["value"].get<double>()};
  };
  h.Advance("2026-03-31T23:59:59.999Z");
  EXPECT_EQ(values(), std::pair(1.0, 1.0));
  h.Advance("2026-04-01T00:00:00Z");
  EXPECT_EQ(values(), std::pair(0.0, 0.0));
}

// Firmographic holds are cached on the account's traits version: a group
// call changing a trait between two evaluations on the same day is seen.
// icp_fit equals true, 15 points.
TEST(Firmographic, CachedHoldsFollowTraitChanges) {
  Harness h(ScoreConfigWith({Equals("icp", "icp_fit", B(true), 15)}));
  h.Track("2026-03-10T09:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(Score(h, "acme"), 0);
  h.Group("2026-03-10T10:00:00Z", "u1", "acme", {{"icp_fit", B(true)}});
  EXPECT_EQ(Score(h, "acme"), 15);
  h.Track("2026-03-10T11:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(Score(h, "acme"), 15);
  h.Account("2026-03-10T12:00:00Z", "acme", std::nullopt, std::nullopt, {{"icp_fit", B(false)}});
  EXPECT_EQ(Score(h, "acme"), 0);
}

// A committee count criterion (the default `procurement`: count of
// "Procurement Mentioned" in 30d >= 1, 5 points). Event Feb 9 10:00: on
// Mar 10 (window Feb 9 .. Mar 10) it holds; at the midnight of Mar 11 (window
// Feb 10 .. Mar 11) it does not.
TEST(Committee, CountCriterion) {
  Config c = BareConfig();
  CommitteeCriterion procurement = DefaultScoreConfig().committee[2];
  ASSERT_EQ(procurement.kind, CommitteeCriterion::Kind::kMetric);
  c.score.committee = {procurement};
  Harness h(c);
  h.Track("2026-02-09T10:00:00Z", "acme", "u1", "Procurement Mentioned");
  h.Track("2026-03-10T10:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(Criterion(h, "acme", "committee", "procurement")["value"], 1);
  EXPECT_EQ(h.Acc("acme")->parts.committee, 5);
  h.Advance("2026-03-11T00:00:00Z");
  EXPECT_EQ(Criterion(h, "acme", "committee", "procurement")["value"], 0);
  EXPECT_EQ(h.Acc("acme")->parts.committee, 0);
}

// Rule 5: group traits and account-record traits form one map, key by key, the
// later timestamp winning (ties: the later arrival); a record that leaves a
// key out keeps it; owners and name are replaced whole by the latest record.
// Criteria: icp_fit equals true 15, headcount_growth_pct gte 10 10.
//   Mar 1 10:00 group {icp_fit false, growth 12}                 -> 10
//   Mar 2 10:00 record {icp_fit true} (growth kept)               -> 25
//   Mar 3 10:00 group {growth 5}                                  -> 15
//   late group stamped Mar 1 12:00 {icp_fit false, growth 50}:
//     older than both current values, nothing changes             -> 15
//   Mar 3 10:00 record {growth 20} (tie with the group: later arrival) -> 25
//   Mar 4 10:00 record without traits, ae2 and no CSM, name "Acme Corp"
//     -> 25; owners {ae2, null}
TEST(Traits, GroupAndRecordMergeLaterWins) {
  auto growth = Firmo("growth", "headcount_growth_pct", Op::kGte, 10);
  growth.number = 10;
  Harness h(ScoreConfigWith({Equals("icp", "icp_fit", B(true), 15), growth}));
  h.Group("2026-03-01T10:00:00Z", "u1", "acme",
          {{"icp_fit", B(false)}, {"headcount_growth_pct", N(12)}});
  EXPECT_EQ(Score(h, "acme"), 10);
  h.Account("2026-03-02T10:00:00Z", "acme", "ae1", "csm1", {{"icp_fit", B(true)}}, "Acme");
  EXPECT_EQ(Score(h, "acme"), 25);
  h.Group("2026-03-03T10:00:00Z", "u1", "acme", {{"headcount_growth_pct", N(5)}});
  EXPECT_EQ(Score(h, "acme"), 15);
  h.Group("2026-03-01T12:00:00Z", "u2", "acme",
          {{"icp_fit", B(false)}, {"headcount_growth_pct", N(50)}});
  EXPECT_EQ(Score(h, "acme"), 15);
  EXPECT_EQ(Iso(h.Acc("acme")->evaluated_at), "2026-03-03T10:00:00.000Z");
  h.Account("2026-03-03T10:00:00Z", "acme", "ae1", "csm1", {{"headcount_growth_pct", N(20)}},
            "Acme");
  EXPECT_EQ(Score(h, "acme"), 25);
  EXPECT_EQ(h.Acc("acme")->name, "Acme");
  h.Account("2026-03-04T10:00:00Z", "acme", "ae2", std::nullopt, {}, "Acme Corp");
  EXPECT_EQ(Score(h, "acme"), 25);
  EXPECT_EQ(h.Acc("acme")->name, "Acme Corp");
  EXPECT_EQ(h.Acc("acme")->ae, std::optional<std::string>("ae2"));
  EXPECT_FALSE(h.Acc("acme")->csm.has_value());
  // Rule 6: an older record arriving late (stamped Mar 3 12:00) does not
  // become current: name and owners stay those of Mar 4. Its traits still
  // merge key by key (rule 5): icp_fit false (Mar 3 12:00) is later than
  // icp_fit true (Mar 2 10:00) -> 15 points lost; growth 20 (Mar 3 10:00) stays.
  h.Account("2026-03-03T12:00:00Z", "acme", "ae_old", "csm_old", {{"icp_fit", B(false)}},
            "Old Name");
  EXPECT_EQ(h.Acc("acme")->name, "Acme Corp");
  EXPECT_EQ(h.Acc("acme")->ae, std::optional<std::string>("ae2"));
  EXPECT_FALSE(h.Acc("acme")->csm.has_value());
  EXPECT_EQ(Score(h, "acme"), 10);
}

}  // namespace
}  // namespace headroom::testing
