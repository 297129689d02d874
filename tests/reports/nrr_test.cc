// SPEC 4.3 NRR: expansion, contraction, churn, reactivation, new business.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = testing::kPingRules;

// n1: 100 (01-10, new) -> 150 (02-15, expansion +50, AE alice)
// n2: 200 (01-05, new) -> 120 (02-10, contraction 80)
// n3: 300 (01-05, new) -> 0 (02-20, churn 300) -> 250 (03-10, reactivation: new business)
// n4: 80 (02-12, new business)
// n5: 100 (01-20, new) -> 130 (03-05, expansion +30, AE bob)
// W = 2026-03-20.
// Jan: nobody pays before 01-01 -> start 0, NRR null; new business 700.
// Feb: cohort n1 100, n2 200, n3 300, n5 100 -> start 700; expansion 50,
//      contraction 80, churn 300 -> NRR 370/700 = 0.528571; new business 80 (n4);
//      expansion ARR alice 12 x 50 = 600.
// Mar: cohort n1 150, n2 120, n4 80, n5 100 -> start 450 (n3 pays 0); expansion 30
//      -> NRR 480/450 = 1.066667; change vs Feb +0.538095; new business 250 (n3);
//      expansion ARR bob 360.
// TTM (2025-04 .. 2026-03): nobody paid before 2025-04-01 -> start 0, NRR null.
TEST(NrrReport, MonthsWithEveryKindOfChange) {
  Dataset d(
      kConfig,
      {
          R"({"type":"account","account_id":"n1","name":"N1","owners":{"ae":"alice"},"timestamp":"2026-01-01T00:00:00Z"})",
          R"({"type":"account","account_id":"n5","name":"N5","owners":{"ae":"bob"},"timestamp":"2026-01-01T00:00:00Z"})",
          Revenue("n2", "2026-01-05T00:00:00Z", 200),
          Revenue("n3", "2026-01-05T00:00:00Z", 300),
          Revenue("n1", "2026-01-10T00:00:00Z", 100),
          Revenue("n5", "2026-01-20T00:00:00Z", 100),
          Revenue("n2", "2026-02-10T00:00:00Z", 120),
          Revenue("n4", "2026-02-12T00:00:00Z", 80),
          Revenue("n1", "2026-02-15T00:00:00Z", 150),
          Revenue("n3", "2026-02-20T00:00:00Z", 0),
          Revenue("n5", "2026-03-05T00:00:00Z", 130),
          Revenue("n3", "2026-03-10T00:00:00Z", 250),
          Track("Other", "n1", "2026-03-20T00:00:00Z"),
      });
  const auto r = d.Report("nrr", 60);
  const auto& m = r["months"];
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[0]["month"], "2026-01");
  EXPECT_EQ(m[0]["start_mrr"], 0.0);
  EXPECT_TRUE(m[0]["nrr"].is_null());
  EXPECT_DOUBLE_EQ(m[0]["new_business_mrr"].get<double>(), 700);

  EXPECT_EQ(m[1]["month"], "2026-02");
  EXPECT_EQ(m[1]["cohort_accounts"], 4);
  EXPECT_DOUBLE_EQ(m[1]["start_mrr"].get<double>(), 700);
  EXPECT_DOUBLE_EQ(m[1]["expansion_mrr"].get<double>(), 50);
  EXPECT_DOUBLE_EQ(m[1]["contraction_mrr"].get<double>(), 80);
  EXPECT_DOUBLE_EQ(m[1]["churn_mrr"].get<double>(), 300);
  EXPECT_DOUBLE_EQ(m[1]["new_business_mrr"].get<double>(), 80);
  EXPECT_NEAR(m[1]["nrr"].get<double>(), 370.0 / 700.0, 1e-12);
  EXPECT_TRUE(m[1]["change_vs_prior"].is_null());
  EXPECT_EQ(m[1]["expansion_arr_by_ae"], (nlohmann::json{{"alice", 600.0}}));

  EXPECT_EQ(m[2]["month"], "2026-03");
  EXPECT_EQ(m[2]["cohort_accounts"], 4);
  EXPECT_DOUBLE_EQ(m[2]["start_mrr"].get<double>(), 450);
  EXPECT_DOUBLE_EQ(m[2]["expansion_mrr"].get<double>(), 30);
  EXPECT_DOUBLE_EQ(m[2]["churn_mrr"].get<double>(), 0);
  EXPECT_DOUBLE_EQ(m[2]["new_business_mrr"].get<double>(), 250);
  EXPECT_NEAR(m[2]["nrr"].get<double>(), 480.0 / 450.0, 1e-12);
  EXPECT_NEAR(m[2]["change_vs_prior"].get<double>(), 480.0 / 450.0 - 370.0 / 700.0, 1e-12);
  EXPECT_EQ(m[2]["expansion_arr_by_ae"], (nlohmann::json{{"bob", 360.0}}));

  const auto& ttm = r["trailing_twelve_months"];
  EXPECT_EQ(ttm["from"], "2025-04-01T00:00:00.000Z");
  EXPECT_DOUBLE_EQ(ttm["start_mrr"].get<double>(), 0);
  EXPECT_TRUE(ttm["nrr"].is_null());
}

// A trailing twelve months with a cohort. W = 2026-03-10: the window is
// 2025-04-01 .. 2026-03-31. p1: 100 (2025-03-15) -> 200 (2025-06-01, expansion
// 100) -> 50 (2026-01-01, contraction 150); p2: 100 (2025-03-20) -> 0
// (2025-12-01, churn 100). Start = 100 + 100 = 200 ->
// NRR (200 + 100 - 150 - 100) / 200 = 0.25; no AE: expansion ARR 1200 unassigned.
TEST(NrrReport, TrailingTwelveMonths) {
  Dataset d(kConfig, {
                         Revenue("p1", "2025-03-15T00:00:00Z", 100),
                         Revenue("p2", "2025-03-20T00:00:00Z", 100),
                         Revenue("p1", "2025-06-01T00:00:00Z", 200),
                         Revenue("p2", "2025-12-01T00:00:00Z", 0),
                         Revenue("p1", "2026-01-01T00:00:00Z", 50),
                         Track("Other", "p1", "2026-03-10T00:00:00Z"),
                     });
  const auto r = d.Report("nrr", 60);
  EXPECT_EQ(r["months"].size(), 13u);  // 2025-03 .. 2026-03
  const auto& ttm = r["trailing_twelve_months"];
  EXPECT_EQ(ttm["cohort_accounts"], 2);
  EXPECT_DOUBLE_EQ(ttm["start_mrr"].get<double>(), 200);
  EXPECT_DOUBLE_EQ(ttm["expansion_mrr"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(ttm["contraction_mrr"].get<double>(), 150);
  EXPECT_DOUBLE_EQ(ttm["churn_mrr"].get<double>(), 100);
  EXPECT_DOUBLE_EQ(ttm["nrr"].get<double>(), 0.25);
  EXPECT_EQ(ttm["expansion_arr_by_ae"], (nlohmann::json{{"unassigned", 1200.0}}));
}

}  // namespace
}  // namespace headroom::reports
