// Statistics helpers against hand and textbook values.
#include "reports/stats.h"

#include <gtest/gtest.h>

namespace headroom::reports {
namespace {

TEST(Stats, MedianIsMeanOfTheTwoMiddleValues) {
  EXPECT_FALSE(Median({}).has_value());
  EXPECT_DOUBLE_EQ(*Median({5}), 5);
  EXPECT_DOUBLE_EQ(*Median({3, 1, 2}), 2);
  EXPECT_DOUBLE_EQ(*Median({4, 1, 3, 2}), 2.5);  // (2 + 3) / 2
}

TEST(Stats, PercentileIsNearestRank) {
  // n = 10: p90 is rank ceil(9) = 9 -> 9; p75 rank ceil(7.5) = 8 -> 8.
  const std::vector<double> v = {10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  EXPECT_DOUBLE_EQ(*Percentile(v, 90), 9);
  EXPECT_DOUBLE_EQ(*Percentile(v, 75), 8);
  EXPECT_DOUBLE_EQ(*Percentile(v, 100), 10);
  // n = 3: p90 rank ceil(2.7) = 3.
  EXPECT_DOUBLE_EQ(*Percentile({24, 72, 48}, 90), 72);
  EXPECT_DOUBLE_EQ(*Percentile({7}, 90), 7);
  EXPECT_FALSE(Percentile({}, 90).has_value());
}

TEST(Stats, TwoProportionZTestMatchesTextbookValue) {
  // 45/100 vs 30/100: pooled p = 0.375, SE = sqrt(0.375 * 0.625 * (1/100 + 1/100))
  // = 0.0684653, z = 0.15 / 0.0684653 = 2.19089, two-sided p = 0.02846.
  EXPECT_NEAR(*TwoProportionPValue(45, 100, 30, 100), 0.02846, 1e-5);
  // Symmetric, and p = 1 for equal rates.
  EXPECT_NEAR(*TwoProportionPValue(30, 100, 45, 100), 0.02846, 1e-5);
  EXPECT_DOUBLE_EQ(*TwoProportionPValue(5, 10, 10, 20), 1.0);
  // 1 of 1 vs 0 of 1: pooled 0.5, SE = sqrt(0.5), z = sqrt(2), p = erfc(1) = 0.157299.
  EXPECT_NEAR(*TwoProportionPValue(1, 1, 0, 1), 0.157299, 1e-6);
  EXPECT_FALSE(TwoProportionPValue(0, 10, 0, 10).has_value());  // pooled 0: undefined
  EXPECT_FALSE(TwoProportionPValue(1, 0, 1, 10).has_value());
}

TEST(Stats, Jaccard) {
  EXPECT_DOUBLE_EQ(Jaccard({1, 2, 3}, {2, 3, 4}), 0.5);  // 2 of 4
  EXPECT_DOUBLE_EQ(Jaccard({1, 2}, {1, 2}), 1.0);
  EXPECT_DOUBLE_EQ(Jaccard({1}, {2}), 0.0);
  EXPECT_DOUBLE_EQ(Jaccard({}, {}), 0.0);
}

}  // namespace
}  // namespace headroom::reports
