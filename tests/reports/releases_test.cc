// SPEC 4.6 releases: adopters vs non-adopters on the same tier; tier upgrades
// before vs after the release.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = testing::kPingRules;

// H = 10. Release "exports" on 03-10T00:00, tier pro, adoption event Export.
// p1..p5 on pro (100 from 03-01), q1 on basic.
//   p1: Export 03-12 (adopter), upgrade 03-15 -> adopter upgraded
//   p2: Export 03-25 (adopter: day 15 <= 30), no upgrade
//   p3: non-adopter, upgrade 03-18 (within (03-10, 03-20])
//   p4: non-adopter, no upgrade
//   p5: non-adopter, upgrade 03-05 (before the release)
//   q1: basic, Export 03-11: an adopter on another tier (adopters_all_tiers only);
//       its upgrade 03-12 is not a pro upgrade
// Adopters on pro 2 (p1, p2), upgraded 1 -> 0.5; non-adopters on pro 3 (p3, p4, p5), upgraded 1
// (p3) -> 1/3; lift 1.5. Pro upgrades in (02-28, 03-10]: p5 -> 1; in (03-10, 03-20]:
// p1, p3 -> 2.
TEST(ReleasesReport, AdoptersVersusNonAdoptersOnTheTier) {
  Dataset d(
      kConfig,
      {
          Revenue("p1", "2026-03-01T00:00:00Z", 100, "pro"),
          Revenue("p2", "2026-03-01T00:00:00Z", 100, "pro"),
          Revenue("p3", "2026-03-01T00:00:00Z", 100, "pro"),
          Revenue("p4", "2026-03-01T00:00:00Z", 100, "pro"),
          Revenue("p5", "2026-03-01T00:00:00Z", 100, "pro"),
          Revenue("q1", "2026-03-01T00:00:00Z", 100, "basic"),
          Revenue("p5", "2026-03-05T00:00:00Z", 200, "pro"),
          R"({"type":"release","feature":"exports","released_at":"2026-03-10T00:00:00Z","tier":"pro","adoption_event":"Export"})",
          Track("Export", "q1", "2026-03-11T00:00:00Z"),
          Track("Export", "p1", "2026-03-12T00:00:00Z"),
          Revenue("q1", "2026-03-12T00:00:00Z", 200, "basic"),
          Revenue("p1", "2026-03-15T00:00:00Z", 200, "pro"),
          Revenue("p3", "2026-03-18T00:00:00Z", 200, "pro"),
          Track("Export", "p2", "2026-03-25T00:00:00Z"),
      });
  const auto r = d.Report("releases", 10);
  ASSERT_EQ(r["releases"].size(), 1u);
  const auto& rel = r["releases"][0];
  EXPECT_EQ(rel["feature"], "exports");
  EXPECT_EQ(rel["adopters_all_tiers"], 3);  // p1, p2 and q1
  EXPECT_EQ(rel["adopters"], 2);            // on pro at release: p1, p2
  EXPECT_EQ(rel["adopters_upgraded"], 1);   // p1 (03-15)
  EXPECT_DOUBLE_EQ(rel["adopter_upgrade_rate"].get<double>(), 0.5);
  EXPECT_EQ(rel["non_adopters"], 3);
  EXPECT_EQ(rel["non_adopters_upgraded"], 1);
  EXPECT_NEAR(rel["non_adopter_upgrade_rate"].get<double>(), 1.0 / 3.0, 1e-12);
  EXPECT_NEAR(rel["lift"].get<double>(), 1.5, 1e-12);
  EXPECT_EQ(rel["tier_upgrades_before"], 1);
  EXPECT_EQ(rel["tier_upgrades_after"], 2);
}

}  // namespace
}  // namespace headroom::reports
