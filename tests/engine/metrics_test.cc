// SPEC 3.2 and 3.7 rules 1, 11-13: every metric form and window, filters,
// JSON-type equality, late events. Expected values are derived by hand from
// the SPEC in the comment above each test; metric values are read from the
// account view (`metrics`, name -> value at the account's last evaluation).
#include <gtest/gtest.h>

#include <limits>

#include "common/snapshot_codec.h"
#include "engine/metric_state.h"
#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }

// The numeric value of metric `name` at the account's last evaluation.
double Num(Harness& h, const std::string& account, const std::string& name) {
  const auto a = h.Acc(account);
  if (!a) {
    ADD_FAILURE() << "unknown account " << account;
    return -1e300;
  }
  if (!a->metrics.contains(name) || !a->metrics[name].is_number()) {
    ADD_FAILURE() << "metric " << name << " is not a number: " << a->metrics.dump();
    return -1e300;
  }
  return a->metrics[name].get<double>();
}

std::string EvaluatedAt(Harness& h, const std::string& account) {
  const auto a = h.Acc(account);
  return a ? Iso(a->evaluated_at) : "no account";
}

// count: E a name, a list, or omitted (every event). Rule 1: identify and
// group are not events. Inputs (all acme): API Request x2, A, B, C, then an
// identify and a group (both evaluate acme but count nowhere).
//   api   = 2 (the two API Requests)
//   ab    = 2 (A and B)
//   every = 5 (API x2, A, B, C)
// LastDayWindowStartsBy: the last day whose window still starts by day m.
// 7d from m = Mar 5: through Mar 11 (window Mar 5 .. Mar 11). Month: the
// last day of today's month, February of a leap year included. All: never.
TEST(WindowEdges, LastDayWindowStartsBy) {
  auto day = [](const char* iso) { return DayOf(T(iso)); };
  EXPECT_EQ(
      LastDayWindowStartsBy(Days(7), day("2026-03-05T00:00:00Z"), day("2026-03-06T00:00:00Z")),
      day("2026-03-11T00:00:00Z"));
  EXPECT_EQ(WindowStart(Days(7), day("2026-03-11T00:00:00Z")), day("2026-03-05T00:00:00Z"));
  EXPECT_EQ(
      LastDayWindowStartsBy(Days(1), day("2026-03-06T00:00:00Z"), day("2026-03-06T00:00:00Z")),
      day("2026-03-06T00:00:00Z"));
  EXPECT_EQ(
      LastDayWindowStartsBy(Month(), day("2026-02-03T00:00:00Z"), day("2026-02-10T00:00:00Z")),
      day("2026-02-28T00:00:00Z"));
  EXPECT_EQ(
      LastDayWindowStartsBy(Month(), day("2028-02-01T00:00:00Z"), day("2028-02-01T00:00:00Z")),
      day("2028-02-29T00:00:00Z"));
  EXPECT_EQ(
      LastDayWindowStartsBy(Month(), day("2026-12-31T00:00:00Z"), day("2026-12-31T00:00:00Z")),
      day("2026-12-31T00:00:00Z"));
  EXPECT_EQ(LastDayWindowStartsBy(All(), day("2026-03-05T00:00:00Z"), day("2026-03-06T00:00:00Z")),
            std::numeric_limits<Day>::max());
}

TEST(MetricCount, NameListAndEveryEvent) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("api", MetricForm::kCount, {"API Request"}, "", All()));
  c.metrics.push_back(Metric("ab", MetricForm::kCount, {"A", "B"}, "", All()));
  c.metrics.push_back(Metric("every", MetricForm::kCount, {}, "", All()));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "API Request");
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "API Request");
  h.Track("2026-03-01T10:02:00Z", "acme", "u1", "A");
  h.Track("2026-03-01T10:03:00Z", "acme", "u1", "B");
  h.Track("2026-03-01T10:04:00Z", "acme", "u1", "C");
  h.Identify("2026-03-01T10:05:00Z", "u1", {{"title", S("CTO")}}, "acme");
  h.Group("2026-03-01T10:06:00Z", "u1", "acme", {{"plan", S("pro")}});
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-01T10:06:00.000Z");
  EXPECT_EQ(Num(h, "acme", "api"), 2);
  EXPECT_EQ(Num(h, "acme", "ab"), 2);
  EXPECT_EQ(Num(h, "acme", "every"), 5);
}

// Engine::ForEachScore (the daily series' reader) gives, per account in id
// order, the score and metric values Account() gives, without building the
// view first. acme: 3 API Requests on Mar 1, 1 on Mar 2; beta: 1 on Mar 2.
// At Mar 3 00:00 (the midnight evaluation): 7-day count acme 4, beta 1; the
// 1-day count is 0 for both (yesterday's events left the window).
TEST(MetricCount, ForEachScoreMatchesTheAccountView) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("week", MetricForm::kCount, {"API Request"}, "", Days(7)));
  c.metrics.push_back(Metric("today", MetricForm::kCount, {"API Request"}, "", Days(1)));
  Harness h(c);
  for (const char* t : {"2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z",
                        "2026-03-02T09:00:00Z"})
    h.Track(t, "acme", "u1", "API Request");
  h.Track("2026-03-02T10:00:00Z", "beta", "u2", "API Request");
  h.engine().AdvanceTo(T("2026-03-03T00:00:00Z"));
  std::vector<std::string> seen;
  h.engine().ForEachScore([&](const std::string& id, double score, const nlohmann::json& metrics) {
    seen.push_back(id + " " + std::to_string(static_cast<int>(score)) + " " + metrics.dump());
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], "acme 0 {\"today\":0,\"week\":4}");
  EXPECT_EQ(seen[1], "beta 0 {\"today\":0,\"week\":1}");
  EXPECT_EQ(h.Acc("acme")->metrics.dump(), "{\"today\":0,\"week\":4}");
  EXPECT_EQ(Iso(h.Acc("beta")->evaluated_at), "2026-03-03T00:00:00.000Z");
}

// sum: only JSON numbers are summed (rule 12). Data Ingested gb values
// 1.5, 2, "12", true, null, missing, -0.5 -> 1.5 + 2 - 0.5 = 3. An event with
// another name carrying gb 100 does not match.
TEST(MetricSum, OnlyJsonNumbers) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("gb", MetricForm::kSum, {"Data Ingested"}, "gb", All()));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Data Ingested", {{"gb", N(1.5)}});
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "Data Ingested", {{"gb", N(2)}});
  h.Track("2026-03-01T10:02:00Z", "acme", "u1", "Data Ingested", {{"gb", S("12")}});
  h.Track("2026-03-01T10:03:00Z", "acme", "u1", "Data Ingested", {{"gb", Value::Bool(true)}});
  h.Track("2026-03-01T10:04:00Z", "acme", "u1", "Data Ingested", {{"gb", Value::Null()}});
  h.Track("2026-03-01T10:05:00Z", "acme", "u1", "Data Ingested");
  h.Track("2026-03-01T10:06:00Z", "acme", "u1", "Data Ingested", {{"gb", N(-0.5)}});
  h.Track("2026-03-01T10:07:00Z", "acme", "u1", "Other", {{"gb", N(100)}});
  EXPECT_EQ(Num(h, "acme", "gb"), 3);
}

// distinct: P compares JSON type and value (rule 12): 1 and 1.0 are one value,
// "1" another, "a" and true others; null and missing are not counted.
// {1, "1", "a", true} -> 4.
TEST(MetricDistinct, JsonTypeAndValue) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("plans", MetricForm::kDistinct, {"Plan Set"}, "plan", All()));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Plan Set", {{"plan", N(1)}});
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "Plan Set", {{"plan", N(1.0)}});
  EXPECT_EQ(Num(h, "acme", "plans"), 1);
  h.Track("2026-03-01T10:02:00Z", "acme", "u1", "Plan Set", {{"plan", S("1")}});
  h.Track("2026-03-01T10:03:00Z", "acme", "u1", "Plan Set", {{"plan", Value::Null()}});
  h.Track("2026-03-01T10:04:00Z", "acme", "u1", "Plan Set");
  h.Track("2026-03-01T10:05:00Z", "acme", "u1", "Plan Set", {{"plan", S("a")}});
  h.Track("2026-03-01T10:06:00Z", "acme", "u1", "Plan Set", {{"plan", Value::Bool(true)}});
  h.Track("2026-03-01T10:07:00Z", "acme", "u1", "Plan Set", {{"plan", S("a")}});
  EXPECT_EQ(Num(h, "acme", "plans"), 4);
}

// where: keep only events whose properties equal the values, JSON type and
// value (rule 12). Filter {plan: 1, region: "eu"}:
//   plan 1   region eu  -> yes
//   plan 1.0 region eu  -> yes (1 = 1.0)
//   plan "1" region eu  -> no  ("1" != 1)
//   plan null region eu -> no
//   plan missing        -> no
//   plan 1   region EU  -> no  (strings compare exactly)
//   plan 1   region missing -> no
//   plan 2   region eu  -> no
// -> 2.
TEST(MetricWhere, TypedEqualityOnEveryKey) {
  Config c = BareConfig();
  MetricDef m = Metric("eu_plan1", MetricForm::kCount, {"Checkout"}, "", All());
  m.where = {{"plan", N(1)}, {"region", S("eu")}};
  c.metrics.push_back(m);
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Checkout", {{"plan", N(1)}, {"region", S("eu")}});
  h.Track("2026-03-01T10:01:00Z", "acme", "u1", "Checkout",
          {{"plan", N(1.0)}, {"region", S("eu")}});
  h.Track("2026-03-01T10:02:00Z", "acme", "u1", "Checkout",
          {{"plan", S("1")}, {"region", S("eu")}});
  h.Track("2026-03-01T10:03:00Z", "acme", "u1", "Checkout",
          {{"plan", Value::Null()}, {"region", S("eu")}});
  h.Track("2026-03-01T10:04:00Z", "acme", "u1", "Checkout", {{"region", S("eu")}});
  h.Track("2026-03-01T10:05:00Z", "acme", "u1", "Checkout", {{"plan", N(1)}, {"region", S("EU")}});
  h.Track("2026-03-01T10:06:00Z", "acme", "u1", "Checkout", {{"plan", N(1)}});
  h.Track("2026-03-01T10:07:00Z", "acme", "u1", "Checkout", {{"plan", N(2)}, {"region", S("eu")}});
  EXPECT_EQ(Num(h, "acme", "eu_plan1"), 2);
}

// distinct: user and days_active. distinct user (30d): u1, u2, u1 again and an
// anonymous-only event (anon-1) -> 2. days_active (7d) of "Login": Mar 1 (twice),
// Mar 3, Mar 7 -> 3 distinct days at Mar 7 10:00. At the midnight of Mar 8 the
// 7d window is Mar 2..Mar 8 -> Mar 3 and Mar 7 -> 2, while days_active over
// `all` stays 3.
TEST(MetricDistinctUserAndDaysActive, Windows) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("users", MetricForm::kDistinctUser, {}, "", Days(30)));
  c.metrics.push_back(Metric("login_days", MetricForm::kDaysActive, {"Login"}, "", Days(7)));
  c.metrics.push_back(Metric("login_days_all", MetricForm::kDaysActive, {"Login"}, "", All()));
  Harness h(c);
  h.Track("2026-03-01T09:00:00Z", "acme", "u1", "Login");
  h.Track("2026-03-01T18:00:00Z", "acme", "u2", "Login");
  h.Track("2026-03-03T09:00:00Z", "acme", "u1", "Login");
  h.Track("2026-03-07T10:00:00Z", "acme", "anon-1", "Login", {}, /*anonymous=*/true);
  EXPECT_EQ(Num(h, "acme", "users"), 2);
  EXPECT_EQ(Num(h, "acme", "login_days"), 3);
  EXPECT_EQ(Num(h, "acme", "login_days_all"), 3);
  h.Advance("2026-03-08T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "login_days"), 2);
  EXPECT_EQ(Num(h, "acme", "login_days_all"), 3);
  EXPECT_EQ(Num(h, "acme", "users"), 2);  // 30d still covers 1 March
}

// Rule 13: anonymous-only events count in count, sum, days_active and
// distinct P, never in distinct user. acme: u1 on Mar 1 (module m1, gb 1);
// anonymous anon-1 on Mar 2 (module m2, gb 2) and anon-2 on Mar 3 (module m2,
// gb 4). count 3, sum 7, days_active 3, distinct module 2, distinct user 1.
TEST(MetricAnonymous, CountsEverywhereButDistinctUser) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("uses", MetricForm::kCount, {"Use"}, "", Days(30)));
  c.metrics.push_back(Metric("gb", MetricForm::kSum, {"Use"}, "gb", Days(30)));
  c.metrics.push_back(Metric("days", MetricForm::kDaysActive, {"Use"}, "", Days(30)));
  c.metrics.push_back(Metric("modules", MetricForm::kDistinct, {"Use"}, "module", Days(30)));
  c.metrics.push_back(Metric("users", MetricForm::kDistinctUser, {"Use"}, "", Days(30)));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Use", {{"module", S("m1")}, {"gb", N(1)}});
  h.Track("2026-03-02T10:00:00Z", "acme", "anon-1", "Use", {{"module", S("m2")}, {"gb", N(2)}},
          true);
  h.Track("2026-03-03T10:00:00Z", "acme", "anon-2", "Use", {{"module", S("m2")}, {"gb", N(4)}},
          true);
  EXPECT_EQ(Num(h, "acme", "uses"), 3);
  EXPECT_EQ(Num(h, "acme", "gb"), 7);
  EXPECT_EQ(Num(h, "acme", "days"), 3);
  EXPECT_EQ(Num(h, "acme", "modules"), 2);
  EXPECT_EQ(Num(h, "acme", "users"), 1);
}

// latest: P of the latest matching event carrying a non-null P, no window
// (rule 12). Seats Synced: Mar 1 10:00 -> 10, Mar 2 10:00 -> 12, Mar 3 10:00
// null (skipped), Mar 3 11:00 missing (skipped), Mar 3 12:00 an "Other" event
// with 99 (not matching), then a late Seats Synced stamped Mar 1 12:00 with 7
// (older than Mar 2: not the latest) -> 12. Ninety days later (no window) it
// is still 12. A later "fifteen" (a string) is the latest value as sent.
TEST(MetricLatest, LatestNonNullNoWindow) {
  Config c = BareConfig();
  c.metrics.push_back(
      Metric("seats", MetricForm::kLatest, {"Seats Synced"}, "seats_in_use", All()));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Seats Synced", {{"seats_in_use", N(10)}});
  h.Track("2026-03-02T10:00:00Z", "acme", "u1", "Seats Synced", {{"seats_in_use", N(12)}});
  h.Track("2026-03-03T10:00:00Z", "acme", "u1", "Seats Synced", {{"seats_in_use", Value::Null()}});
  h.Track("2026-03-03T11:00:00Z", "acme", "u1", "Seats Synced");
  h.Track("2026-03-03T12:00:00Z", "acme", "u1", "Other", {{"seats_in_use", N(99)}});
  h.Track("2026-03-01T12:00:00Z", "acme", "u1", "Seats Synced", {{"seats_in_use", N(7)}});
  EXPECT_EQ(Num(h, "acme", "seats"), 12);
  h.Advance("2026-06-01T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-06-01T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "seats"), 12);
  h.Track("2026-06-01T10:00:00Z", "acme", "u1", "Seats Synced", {{"seats_in_use", S("fifteen")}});
  EXPECT_EQ(h.Acc("acme")->metrics["seats"], nlohmann::json("fifteen"));
}

// latest keeps one entry per day, the day's last by (time, arrival): what a
// day value or the current value reads. Mar 2 09:00 -> 5; 500 events on Mar 3
// at minutes 0..499 in the order 7i mod 500 (value = minute); late ones on
// Mar 2 at 23:59 -> 6 (replaces 09:00) and 08:00 -> 4 (dropped); a tie with
// Mar 3's last instant, minute 499, -> 1000 (the later arrival wins). Values:
// Mar 2 -> 6, today (Mar 3) -> 1000, and only 2 entries are kept (the
// snapshot writes the count first).
TEST(MetricLatest, KeepsOneEntryPerDay) {
  const MetricDef def =
      Metric("seats", MetricForm::kLatest, {"Seats Synced"}, "seats_in_use", All());
  MetricState m(def, 5);
  const Day mar3 = DayOf(T("2026-03-03T00:00:00Z"));
  uint64_t seq = 0;
  auto add = [&](TimeMs t, double v) {
    const Value prop = Value::Number(v);
    m.Add(MetricEvent{t, ++seq, &prop, 0}, mar3);
  };
  add(T("2026-03-02T09:00:00Z"), 5);
  for (int i = 0; i < 500; ++i) {
    const int minute = (i * 7) % 500;
    add(DayStart(mar3) + minute * TimeMs{60'000}, minute);
  }
  add(T("2026-03-02T23:59:00Z"), 6);
  add(T("2026-03-02T08:00:00Z"), 4);
  add(DayStart(mar3) + 499 * TimeMs{60'000}, 1000);
  EXPECT_EQ(m.CurrentNumber(mar3), 1000);
  EXPECT_EQ(m.DayNumber(mar3 - 1, mar3), 6);
  SnapshotWriter w;
  m.Save(w);
  SnapshotReader r(w.bytes());
  EXPECT_EQ(r.U64("entries"), 2u);
}

// distinct: user, 3d, at the MetricState level: what Add reports and what a
// late event changes. today = Mar 10 (window Mar 8 .. 10).
//   u1 Mar 10 09:00: added (true); current 1. Mar 6's day value (window
//     Mar 4 .. 6) is 0.
//   u1 Mar 10 10:00: seen again that day, nothing moves (false).
//   anonymous (no user key): counts nothing (false).
//   u1 late, Mar 6 10:00: true; Mar 6 -> 1, Mar 8 (Mar 6 .. 8) -> 1,
//     Mar 9 (Mar 7 .. 9) -> 0; current still 1.
//   u2 late, Mar 9: true (new); current 2.
//   u2 Mar 10: already in today's window (Mar 9): false; current 2, and
//     Mar 9's value (u2) stays 1.
//   u3 late, Mar 5: true (new); current 2 (Mar 5 is outside the window).
//   u3 Mar 10: true, enters the window; current 3. Mar 6 -> 2 (u1, u3).
TEST(MetricDistinctUser, AddReportsWhatMoved) {
  const MetricDef def = Metric("users", MetricForm::kDistinctUser, {}, "", Days(3));
  MetricState m(def, 8);
  const Day mar10 = DayOf(T("2026-03-10T00:00:00Z"));
  uint64_t seq = 0;
  auto add = [&](const char* iso, uint64_t user) {
    return m.Add(MetricEvent{T(iso), ++seq, nullptr, user}, mar10);
  };
  EXPECT_TRUE(add("2026-03-10T09:00:00Z", 11));
  EXPECT_EQ(m.CurrentNumber(mar10), 1);
  EXPECT_EQ(m.DayNumber(mar10 - 4, mar10), 0);
  EXPECT_FALSE(add("2026-03-10T10:00:00Z", 11));
  EXPECT_FALSE(add("2026-03-10T10:30:00Z", 0));
  EXPECT_TRUE(add("2026-03-06T10:00:00Z", 11));
  EXPECT_EQ(m.DayNumber(mar10 - 4, mar10), 1);
  EXPECT_EQ(m.DayNumber(mar10 - 2, mar10), 1);
  EXPECT_EQ(m.DayNumber(mar10 - 1, mar10), 0);
  EXPECT_EQ(m.CurrentNumber(mar10), 1);
  EXPECT_TRUE(add("2026-03-09T10:00:00Z", 22));
  EXPECT_EQ(m.CurrentNumber(mar10), 2);
  EXPECT_FALSE(add("2026-03-10T11:00:00Z", 22));
  EXPECT_EQ(m.CurrentNumber(mar10), 2);
  EXPECT_EQ(m.DayNumber(mar10 - 1, mar10), 1);
  EXPECT_TRUE(add("2026-03-05T10:00:00Z", 33));
  EXPECT_EQ(m.CurrentNumber(mar10), 2);
  EXPECT_TRUE(add("2026-03-10T12:00:00Z", 33));
  EXPECT_EQ(m.CurrentNumber(mar10), 3);
  EXPECT_EQ(m.DayNumber(mar10 - 4, mar10), 2);
}

// month = calendar month to date, from 00:00Z on the 1st (rule 11); compared
// with a 30d window. gb: Jan 1 00:00:00.000 -> 1, Jan 15 -> 2, Jan 31 23:00 -> 4.
//   Jan 31 23:00: month = 1 + 2 + 4 = 7.
//   Feb 1 00:00 (midnight evaluation): month = 0 (February so far is empty);
//     30d = Jan 3 .. Feb 1 -> 2 + 4 = 6.
//   Feb 1 09:00 gb 8: month = 8; 30d = 2 + 4 + 8 = 14.
TEST(MetricMonth, ResetsAtTheMonthBoundary) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("gb_month", MetricForm::kSum, {"Data Ingested"}, "gb", Month()));
  c.metrics.push_back(Metric("gb_30d", MetricForm::kSum, {"Data Ingested"}, "gb", Days(30)));
  Harness h(c);
  h.Track("2026-01-01T00:00:00Z", "acme", "u1", "Data Ingested", {{"gb", N(1)}});
  h.Track("2026-01-15T12:00:00Z", "acme", "u1", "Data Ingested", {{"gb", N(2)}});
  h.Track("2026-01-31T23:00:00Z", "acme", "u1", "Data Ingested", {{"gb", N(4)}});
  EXPECT_EQ(Num(h, "acme", "gb_month"), 7);
  h.Advance("2026-02-01T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-02-01T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "gb_month"), 0);
  EXPECT_EQ(Num(h, "acme", "gb_30d"), 6);
  h.Track("2026-02-01T09:00:00Z", "acme", "u1", "Data Ingested", {{"gb", N(8)}});
  EXPECT_EQ(Num(h, "acme", "gb_month"), 8);
  EXPECT_EQ(Num(h, "acme", "gb_30d"), 14);
}

// `1d` = today so far; at a midnight evaluation the new day is empty (rule 11).
// Events Mar 1 10:00 and 23:59:59.999 -> 2; the midnight of Mar 2 -> 0; an
// event stamped exactly Mar 2 00:00:00.000 (applied after that midnight) -> 1.
TEST(MetricOneDay, ZeroAtMidnight) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("calls", MetricForm::kCount, {"API Request"}, "", Days(1)));
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "API Request");
  h.Track("2026-03-01T23:59:59.999Z", "acme", "u1", "API Request");
  EXPECT_EQ(Num(h, "acme", "calls"), 2);
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-02T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "calls"), 0);
  h.Track("2026-03-02T00:00:00Z", "acme", "u1", "API Request");
  EXPECT_EQ(Num(h, "acme", "calls"), 1);
}

// Nd covers days day(t)-N+1 .. day(t) (rule 11). 7d with events at
// Mar 1 00:00:00.000 and Mar 1 23:59:59.999: the midnight of Mar 7 covers
// Mar 1..Mar 7 -> 2 (and stays the value through 23:59:59.999, no evaluation
// in between); the midnight of Mar 8 covers Mar 2..Mar 8 -> 0.
TEST(MetricDays, WindowBounds) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("week", MetricForm::kCount, {"API Request"}, "", Days(7)));
  Harness h(c);
  h.Track("2026-03-01T00:00:00Z", "acme", "u1", "API Request");
  h.Track("2026-03-01T23:59:59.999Z", "acme", "u1", "API Request");
  h.Advance("2026-03-07T23:59:59.999Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-07T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "week"), 2);
  h.Advance("2026-03-08T00:00:00Z");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-08T00:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "week"), 0);
}

// A late event goes into its own day and its account is evaluated at W
// (SPEC 3.1). 7d count: acme Mar 5 10:00; beta Mar 6 10:00 moves W. Late acme
// event stamped Mar 2 09:00 -> evaluated at W = Mar 6 10:00, window
// Feb 28..Mar 6 -> 2. A late event stamped Feb 27 is outside the window:
// 7d stays 2 while the lifetime count is 3. W never moves back.
TEST(MetricLate, LateEventEntersItsDayEvaluatedAtW) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("week", MetricForm::kCount, {"Use"}, "", Days(7)));
  c.metrics.push_back(Metric("ever", MetricForm::kCount, {"Use"}, "", All()));
  Harness h(c);
  h.Track("2026-03-05T10:00:00Z", "acme", "u1", "Use");
  h.Track("2026-03-06T10:00:00Z", "beta", "u9", "Use");
  h.Track("2026-03-02T09:00:00Z", "acme", "u1", "Use");
  EXPECT_EQ(EvaluatedAt(h, "acme"), "2026-03-06T10:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "week"), 2);
  h.Track("2026-02-27T09:00:00Z", "acme", "u1", "Use");
  EXPECT_EQ(Num(h, "acme", "week"), 2);
  EXPECT_EQ(Num(h, "acme", "ever"), 3);
  EXPECT_EQ(Iso(h.engine().clock()), "2026-03-06T10:00:00.000Z");
}

// A late event changes its day's value for every later evaluation, never for
// an earlier one (SPEC 3.1). Trigger `steady`: 1d count of Ping >= 1 with
// sustained_days 2 (today and the day before).
//   Mar 1 10:00 Ping (activation); Mar 3 10:00 Ping: quantity 1, but Mar 2's
//     day value is 0 -> no firing.
//   Mar 3 15:00 beta event moves W.
//   Late Ping stamped Mar 2 09:00: Mar 2's day value becomes 1; acme is
//     evaluated at W = Mar 3 15:00 and fires there (not at Mar 3 10:00, an
//     evaluation that is never revised).
TEST(MetricLate, ChangesPastDayForLaterEvaluationsOnly) {
  Config c = BareConfig();
  c.metrics.push_back(Metric("pings", MetricForm::kCount, {"Ping"}, "", Days(1)));
  TriggerDef t;
  t.name = "steady";
  t.cls = TriggerClass::kAdoption;
  t.metric = "pings";
  t.at = 1;
  t.sustained_days = 2;
  c.triggers.push_back(t);
  Harness h(c);
  h.Track("2026-03-01T10:00:00Z", "acme", "u1", "Ping");
  h.Track("2026-03-03T10:00:00Z", "acme", "u1", "Ping");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-03T15:00:00Z", "beta", "u9", "Other");
  EXPECT_TRUE(h.Firings("acme").empty());
  h.Track("2026-03-02T09:00:00Z", "acme", "u1", "Ping");
  auto f = h.Firings("acme");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].trigger, "steady");
  EXPECT_EQ(Iso(f[0].fired_at), "2026-03-03T15:00:00.000Z");
  EXPECT_EQ(Num(h, "acme", "pings"), 1);  // today (Mar 3) only
}

}  // namespace
}  // namespace headroom::testing

namespace headroom::testing {
namespace {

// Day buckets are kept narrow (engine/narrow_day_ring.h) and widen when a day
// outgrows them; what a metric answers must not notice. count 30d, today =
// Mar 10: 40,000 events on Mar 8 (past a 16-bit day), 300 on Mar 9, 5 today:
// current 40,305; Mar 9's value (window Feb 8 .. Mar 9) 40,300. sum 30d:
// 0.1 then 0.2 on Mar 9 (their double sum is 0.30000000000000004), 1e10
// today: current (0.1 + 0.2) + 1e10. A snapshot of both restores the same
// answers and saves the same bytes again.
TEST(MetricNarrowBuckets, DaysThatOutgrowANarrowSlotKeepTheirExactValues) {
  const MetricDef calls = Metric("calls", MetricForm::kCount, {"API Request"}, "", Days(30));
  const MetricDef gb = Metric("gb", MetricForm::kSum, {"Data Ingested"}, "gb", Days(30));
  MetricState count(calls, 30);
  MetricState sum(gb, 30);
  const Day mar10 = DayOf(T("2026-03-10T00:00:00Z"));
  uint64_t seq = 0;
  auto add_count = [&](Day d, int n) {
    for (int i = 0; i < n; ++i) count.Add(MetricEvent{DayStart(d) + i, ++seq, nullptr, 0}, mar10);
  };
  add_count(mar10 - 2, 40000);
  add_count(mar10 - 1, 300);
  add_count(mar10, 5);
  EXPECT_EQ(count.CurrentNumber(mar10), 40305);
  EXPECT_EQ(count.DayNumber(mar10 - 1, mar10), 40300);
  for (double v : {0.1, 0.2}) {
    const Value prop = Value::Number(v);
    sum.Add(MetricEvent{DayStart(mar10 - 1), ++seq, &prop, 0}, mar10);
  }
  const Value big = Value::Number(1e10);
  sum.Add(MetricEvent{DayStart(mar10), ++seq, &big, 0}, mar10);
  EXPECT_EQ(sum.CurrentNumber(mar10), (0.1 + 0.2) + 1e10);
  EXPECT_EQ(sum.DayNumber(mar10 - 1, mar10), 0.1 + 0.2);

  SnapshotWriter w;
  count.Save(w);
  sum.Save(w);
  MetricState count2(calls, 30);
  MetricState sum2(gb, 30);
  SnapshotReader r(w.bytes());
  count2.Load(r);
  sum2.Load(r);
  EXPECT_TRUE(r.at_end());
  EXPECT_EQ(count2.CurrentNumber(mar10), 40305);
  EXPECT_EQ(count2.DayNumber(mar10 - 2, mar10), 40000);
  EXPECT_EQ(sum2.CurrentNumber(mar10), (0.1 + 0.2) + 1e10);
  EXPECT_EQ(sum2.DayNumber(mar10 - 1, mar10), 0.1 + 0.2);
  SnapshotWriter again;
  count2.Save(again);
  sum2.Save(again);
  EXPECT_EQ(again.bytes(), w.bytes());
}

}  // namespace
}  // namespace headroom::testing
