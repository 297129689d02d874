// ComputeReport / ComputeReports: names, envelope, one load for many reports.
#include <gtest/gtest.h>

#include "fixture.h"

namespace headroom::reports {
namespace {

using testing::Dataset;
using testing::Revenue;
using testing::Track;

constexpr const char* kConfig = R"(
metrics:
  pings: { count: "Ping", window: 1d }
triggers:
  ping: { class: adoption, metric: pings, at: 1 }
reports: { horizon_days: 45 }
)";

TEST(Reports, EveryReportFromOneLoadEqualsEachAlone) {
  Dataset d(kConfig,
            {Revenue("a", "2026-03-01T00:00:00Z", 100), Track("Ping", "a", "2026-03-02T00:00:00Z"),
             Revenue("a", "2026-03-05T00:00:00Z", 200)});
  const auto context = MakeReportContext(d.store(), d.config());
  EXPECT_EQ(context.horizon_days, 45);  // reports.horizon_days
  EXPECT_EQ(context.w, testing::T("2026-03-05T00:00:00Z"));
  const auto all = ComputeReports(ReportNames(), context);
  ASSERT_EQ(ReportNames().size(), 9u);
  for (const auto& name : ReportNames()) {
    const auto one = ComputeReport(name, context);
    EXPECT_EQ(one["report"], name);
    EXPECT_EQ(one["horizon_days"], 45);
    EXPECT_EQ(one["as_of"], "2026-03-05T00:00:00.000Z");
    EXPECT_EQ(all[name], one) << name;
  }
  EXPECT_THROW(ComputeReport("nope", context), std::invalid_argument);
}

TEST(Reports, EmptyStoreGivesNullsNotErrors) {
  Dataset d(kConfig, {});
  const auto all = ComputeReports(ReportNames(), MakeReportContext(d.store(), d.config()));
  EXPECT_TRUE(all["triggers"]["triggers"][0]["precision"].is_null());
  EXPECT_TRUE(all["nrr"]["months"].empty());
  EXPECT_EQ(all["funnel"]["signals"], 0);
  EXPECT_TRUE(all["audit"]["events"].empty());
}

}  // namespace
}  // namespace headroom::reports
