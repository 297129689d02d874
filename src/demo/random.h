// DemoRng: the demo generator's only source of randomness. std::mt19937_64 is
// specified bit-exactly by the standard, but std:: distributions are not (they
// differ between libstdc++/libc++ versions), so every distribution here is
// written out: same seed, same numbers, on every platform.
//
// Not thread-safe; one generator per simulation stream.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace headroom::demo {

class DemoRng {
 public:
  explicit DemoRng(uint64_t seed) : engine_(seed) {}
  // A generator for sub-stream `stream` of `seed` (e.g. one per account), so
  // adding draws to one stream never shifts another.
  static DemoRng Derive(uint64_t seed, uint64_t stream) {
    return DemoRng(Mix(seed * 0x9E3779B97F4A7C15ULL + stream + 1));
  }

  uint64_t Next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double Uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  // Uniform integer in [lo, hi] (inclusive); the modulo bias is < 2^-40 for
  // the small ranges used here.
  int64_t Int(int64_t lo, int64_t hi) {
    if (hi <= lo) return lo;
    return lo + static_cast<int64_t>(engine_() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return Uniform() < p; }
  // Standard normal by Box-Muller (one value per call; the pair's second is dropped).
  double Normal(double mean, double sd) {
    const double u1 = 1.0 - Uniform();  // (0, 1]
    const double u2 = Uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Poisson: Knuth's product method below 30, a rounded normal above.
  int Poisson(double lambda) {
    if (lambda <= 0) return 0;
    if (lambda >= 30) {
      const double x = std::round(Normal(lambda, std::sqrt(lambda)));
      return x < 0 ? 0 : static_cast<int>(x);
    }
    const double limit = std::exp(-lambda);
    double p = Uniform();
    int k = 0;
    while (p > limit) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  // Index drawn with the given non-negative weights.
  size_t Weighted(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    double x = Uniform() * total;
    for (size_t i = 0; i < weights.size(); ++i) {
      if (x < weights[i]) return i;
      x -= weights[i];
    }
    return weights.empty() ? 0 : weights.size() - 1;
  }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[static_cast<size_t>(Int(0, static_cast<int64_t>(v.size()) - 1))];
  }

 private:
  static uint64_t Mix(uint64_t x) {  // splitmix64 finalizer
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
  }
  std::mt19937_64 engine_;
};

}  // namespace headroom::demo
