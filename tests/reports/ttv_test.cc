// SPEC 4.5 time to value: percentiles and shares, any trigger and per class.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Track;

constexpr const char* kConfig = R"(
metrics:
  pings:  { count: "Ping", window: 1d }
  cpings: { count: "CPing", window: 1d }
triggers:
  ping:  { class: adoption, metric: pings, at: 1, hold_days: 1 }
  cping: { class: capacity, metric: cpings, at: 1, hold_days: 1 }
)";

// Activation 03-01T00:00 for t1..t5 (first event "Hello").
//   t1: Ping 03-11 -> 10 days; t2: Ping 03-21 -> 20; t3: CPing 03-31 -> 30;
//   t4: Ping 04-10 -> 40 (and CPing 04-15, a later capacity firing); t5: never fires.
// Any: [10, 20, 30, 40]: median 25, p75 rank ceil(3) = 3 -> 30, p90 rank
// ceil(3.6) = 4 -> 40; within 30 days 3/5 = 0.6, 60 and 90 days 4/5 = 0.8.
// Adoption: [10, 20, 40]: median 20, p75 rank ceil(2.25) = 3 -> 40, p90 40;
// within 30 days 2/5. Capacity: t3 30, t4 45 -> median 37.5, p90 45.
TEST(TtvReport, PercentilesAndShares) {
  std::vector<std::string> lines;
  for (const char* a : {"t1", "t2", "t3", "t4", "t5"})
    lines.push_back(Track("Hello", a, "2026-03-01T00:00:00Z"));
  lines.push_back(Track("Ping", "t1", "2026-03-11T00:00:00Z"));
  lines.push_back(Track("Ping", "t2", "2026-03-21T00:00:00Z"));
  lines.push_back(Track("CPing", "t3", "2026-03-31T00:00:00Z"));
  lines.push_back(Track("Ping", "t4", "2026-04-10T00:00:00Z"));
  lines.push_back(Track("CPing", "t4", "2026-04-15T00:00:00Z"));
  Dataset d(kConfig, lines);
  const auto r = d.Report("ttv", 60);
  EXPECT_EQ(r["activated_accounts"], 5);
  const auto& any = r["any"];
  EXPECT_EQ(any["accounts_fired"], 4);
  EXPECT_DOUBLE_EQ(any["median_days"].get<double>(), 25);
  EXPECT_DOUBLE_EQ(any["p75_days"].get<double>(), 30);
  EXPECT_DOUBLE_EQ(any["p90_days"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(any["share_within_30d"].get<double>(), 0.6);
  EXPECT_DOUBLE_EQ(any["share_within_60d"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(any["share_within_90d"].get<double>(), 0.8);
  const auto& adoption = r["by_class"]["adoption"];
  EXPECT_DOUBLE_EQ(adoption["median_days"].get<double>(), 20);
  EXPECT_DOUBLE_EQ(adoption["p75_days"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(adoption["p90_days"].get<double>(), 40);
  EXPECT_DOUBLE_EQ(adoption["share_within_30d"].get<double>(), 0.4);
  const auto& capacity = r["by_class"]["capacity"];
  EXPECT_DOUBLE_EQ(capacity["median_days"].get<double>(), 37.5);
  EXPECT_DOUBLE_EQ(capacity["p90_days"].get<double>(), 45);
  EXPECT_EQ(r["by_class"]["value"]["accounts_fired"], 0);
  EXPECT_TRUE(r["by_class"]["value"]["median_days"].is_null());
}

}  // namespace
}  // namespace headroom::reports
