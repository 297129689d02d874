// Statistics helpers for the reports (SPEC 4): median, nearest-rank
// percentile, two-proportion z-test, Jaccard similarity. Pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace headroom::reports {

// Median: the middle value, or the mean of the two middle values; nullopt when empty.
std::optional<double> Median(std::vector<double> values);

// Nearest-rank percentile p in (0, 100]: the value at rank ceil(p/100 * n)
// (1-based) of the sorted values; nullopt when empty.
std::optional<double> Percentile(std::vector<double> values, double p);

// Two-sided p-value of the pooled two-proportion z-test of x1/n1 vs x2/n2;
// nullopt when a sample is empty or the pooled proportion is 0 or 1.
std::optional<double> TwoProportionPValue(int64_t x1, int64_t n1, int64_t x2, int64_t n2);

// |A ∩ B| / |A ∪ B| of two sorted, duplicate-free vectors (0 when both are empty).
double Jaccard(const std::vector<uint64_t>& a, const std::vector<uint64_t>& b);

// a / b, nullopt when b is 0.
std::optional<double> Ratio(double a, double b);

}  // namespace headroom::reports
