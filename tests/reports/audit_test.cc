// SPEC 4 event audit: an unreliable event, a missing property, a duplicate of
// another event, a revenue-mapped (trigger-grade) event, and the counters.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = R"(
metrics:
  upload_size: { sum: size, event: "Upload", window: all }
triggers:
  big_upload: { class: adoption, metric: upload_size, at: 1000000 }
)";

std::string Day(int d, const char* hour = "10") {
  char buf[32];
  std::snprintf(buf, sizeof buf, "2026-03-%02dT%s:00:00Z", d, hour);
  return buf;
}

// H = 10, W = 03-20T12:00. Accounts u01..u10 and v01..v10, all paying 100 from 03-01.
// * "Upsell Clicked": u(k) clicks on days k and k+10 (days 1..20 all covered:
//   20/20 >= 0.9, no gap in 03-01..03-20 -> reliable) and upgrades on day k+2,
//   within H days after a click -> 10/10 = 1.0; without: v01 upgrades (03-15),
//   1 of 10 = 0.1; 1.0 >= 1.5 x 0.1 with 10 accounts -> maps to revenue;
//   disjoint from every other event (Jaccard 0) -> distinct -> trigger-grade.
// * "Rare": v02 on 03-01 and 03-15: 2 days / 15-day span = 0.133 -> unreliable.
// * "Upload": v03, 20 occurrences on 03-19; "size" on 15 (one a string "big"),
//   "rare_prop" on 1 (5% < 10%: not listed) -> size missing 0.25; the sum metric
//   meets 5 without size + 1 string = 6 non-numeric values.
// * "Ping" and "PingDup": v04 sends both on 03-18, 03-19, 03-20 -> Jaccard 1 ->
//   neither is distinct (both reliable: 3/3 days, no gap).
// * 2 unattributed events, 1 quarantined line.
std::vector<std::string> Lines() {
  std::vector<std::string> l;
  for (int k = 1; k <= 10; ++k) {
    char u[8], v[8];
    std::snprintf(u, sizeof u, "u%02d", k);
    std::snprintf(v, sizeof v, "v%02d", k);
    l.push_back(Revenue(u, "2026-03-01T00:00:00Z", 100));
    l.push_back(Revenue(v, "2026-03-01T00:00:00Z", 100));
  }
  for (int day = 1; day <= 20; ++day) {
    const int k = day <= 10 ? day : day - 10;
    char u[8];
    std::snprintf(u, sizeof u, "u%02d", k);
    l.push_back(Track("Upsell Clicked", u, Day(day)));
    if (day <= 10) l.push_back(Revenue(u, Day(day + 2, "11"), 200));
    if (day == 1 || day == 15) l.push_back(Track("Rare", "v02", Day(day)));
    if (day == 15) l.push_back(Revenue("v01", Day(15, "11"), 150));
    if (day == 19) {
      for (int i = 0; i < 20; ++i) {
        std::string props = i < 14 ? R"({"size":10})" : i == 14 ? R"({"size":"big"})" : "{}";
        if (i == 19) props = R"({"rare_prop":1})";
        l.push_back(Track("Upload", "v03", Day(19), props));
      }
    }
    if (day >= 18) {
      l.push_back(Track("Ping", "v04", Day(day, "12")));
      l.push_back(Track("PingDup", "v04", Day(day, "12")));
    }
  }
  l.push_back(
      R"({"type":"track","event":"Lost","userId":"nobody","timestamp":"2026-03-05T00:00:00Z"})");
  l.push_back(
      R"({"type":"track","event":"Lost","anonymousId":"x","timestamp":"2026-03-06T00:00:00Z"})");
  l.push_back(R"({"type":"track","userId":"nobody","timestamp":"2026-03-06T00:00:00Z"})");
  return l;
}

const nlohmann::json& Event(const nlohmann::json& r, const std::string& name) {
  for (const auto& e : r["events"])
    if (e["event"] == name) return e;
  static const nlohmann::json kNull;
  ADD_FAILURE() << "no event " << name;
  return kNull;
}

TEST(AuditReport, FlagsAndCounters) {
  Dataset d(kConfig, Lines());
  const auto r = d.Report("audit", 10);
  EXPECT_EQ(r["as_of"], "2026-03-20T12:00:00.000Z");

  const auto& upsell = Event(r, "Upsell Clicked");
  EXPECT_EQ(upsell["count"], 20);
  EXPECT_EQ(upsell["accounts"], 10);
  EXPECT_EQ(upsell["users"], 10);
  EXPECT_EQ(upsell["first_seen"], "2026-03-01T10:00:00.000Z");
  EXPECT_EQ(upsell["last_seen"], "2026-03-20T10:00:00.000Z");
  EXPECT_TRUE(upsell["fires_reliably"]);
  EXPECT_DOUBLE_EQ(upsell["upgrade_rate_with"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(upsell["upgrade_rate_without"].get<double>(), 0.1);
  EXPECT_TRUE(upsell["maps_to_revenue"]);
  EXPECT_TRUE(upsell["distinct"]);
  EXPECT_TRUE(upsell["trigger_grade"]);

  const auto& rare = Event(r, "Rare");
  EXPECT_EQ(rare["days_with_event"], 2);
  EXPECT_EQ(rare["span_days"], 15);
  EXPECT_FALSE(rare["fires_reliably"]);
  EXPECT_FALSE(rare["maps_to_revenue"]);  // 1 account < 10
  EXPECT_FALSE(rare["trigger_grade"]);

  const auto& upload = Event(r, "Upload");
  EXPECT_EQ(upload["count"], 20);
  ASSERT_EQ(upload["properties"].size(), 1u);
  EXPECT_EQ(upload["properties"][0]["property"], "size");
  EXPECT_NEAR(upload["properties"][0]["missing_share"].get<double>(), 0.25, 1e-12);

  for (const char* name : {"Ping", "PingDup"}) {
    const auto& e = Event(r, name);
    EXPECT_TRUE(e["fires_reliably"]) << name;
    EXPECT_DOUBLE_EQ(e["max_jaccard"].get<double>(), 1.0) << name;
    EXPECT_FALSE(e["distinct"]) << name;
    EXPECT_FALSE(e["trigger_grade"]) << name;
  }
  EXPECT_EQ(Event(r, "Ping")["most_similar"], "PingDup");

  const auto& lost = Event(r, "Lost");
  EXPECT_EQ(lost["count"], 2);
  EXPECT_EQ(lost["accounts"], 0);
  EXPECT_EQ(lost["users"], 1);            // the anonymous-only one is not a user
  EXPECT_EQ(lost["days_with_event"], 2);  // unattributed occurrences count for reliability

  EXPECT_EQ(r["unattributed_events"], 2);
  EXPECT_EQ(r["quarantined_messages"], 1);
  EXPECT_EQ(r["non_numeric_sum_values"]["upload_size"], 6);
}

}  // namespace
}  // namespace headroom::reports
