#include "delivery/clock.h"

#include <chrono>
#include <memory>
#include <random>

namespace headroom {

Clock SystemClock() {
  return [] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
}

JitterSource UniformJitter(uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng] { return std::uniform_real_distribution<double>(-0.1, 0.1)(*rng); };
}

}  // namespace headroom
