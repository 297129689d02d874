// SPEC 4.7 sticky features: adopters (>= 3 distinct days) vs the rest.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = testing::kPingRules;

// f1..f6 each Login once on 03-01 (active accounts) and pay 100 from 03-01.
// Dash on 3 distinct days: f1, f2, f3 (adopters); f4 on 1 day (not an adopter).
// Upgrades: f1, f2, f4. Churn (100 -> 0): f3, f6.
// Dash: adopters 3, upgrade 2/3, churn 1/3; others (f4, f5, f6) upgrade 1/3,
// churn 1/3 -> lift 2, churn lift 1. Login: no adopter (1 day each) -> lift null,
// ranked after Dash.
TEST(FeaturesReport, AdoptersVersusTheRest) {
  std::vector<std::string> l;
  for (const char* a : {"f1", "f2", "f3", "f4", "f5", "f6"}) {
    l.push_back(Revenue(a, "2026-03-01T00:00:00Z", 100));
    l.push_back(Track("Login", a, "2026-03-01T08:00:00Z"));
  }
  for (const char* a : {"f1", "f2", "f3"})
    for (const char* day : {"02", "03", "04"})
      l.push_back(Track("Dash", a, std::string("2026-03-") + day + "T09:00:00Z"));
  l.push_back(Track("Dash", "f4", "2026-03-02T09:00:00Z"));
  l.push_back(Revenue("f1", "2026-03-10T00:00:00Z", 200));
  l.push_back(Revenue("f2", "2026-03-10T00:00:00Z", 200));
  l.push_back(Revenue("f4", "2026-03-10T00:00:00Z", 200));
  l.push_back(Revenue("f3", "2026-03-11T00:00:00Z", 0));
  l.push_back(Revenue("f6", "2026-03-11T00:00:00Z", 0));
  Dataset d(kConfig, l);
  const auto r = d.Report("features", 60);
  EXPECT_EQ(r["adoption_min_days"], 3);
  const auto& f = r["features"];
  ASSERT_EQ(f.size(), 2u);
  EXPECT_EQ(f[0]["event"], "Dash");
  EXPECT_EQ(f[0]["rank"], 1);
  EXPECT_EQ(f[0]["adopters"], 3);
  EXPECT_EQ(f[0]["others"], 3);
  EXPECT_NEAR(f[0]["adopter_upgrade_rate"].get<double>(), 2.0 / 3.0, 1e-12);
  EXPECT_NEAR(f[0]["other_upgrade_rate"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(f[0]["upgrade_lift"].get<double>(), 2.0, 1e-12);
  EXPECT_NEAR(f[0]["adopter_churn_rate"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(f[0]["churn_lift"].get<double>(), 1.0, 1e-12);
  EXPECT_EQ(f[1]["event"], "Login");
  EXPECT_EQ(f[1]["adopters"], 0);
  EXPECT_TRUE(f[1]["upgrade_lift"].is_null());
}

}  // namespace
}  // namespace headroom::reports
