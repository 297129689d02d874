// Injectable time sources for delivery. Every place in src/delivery that needs
// the wall clock or randomness takes one of these, so tests drive the retry
// schedule without sleeping. Times are UTC milliseconds since the epoch.
#pragma once

#include <functional>

#include "common/time.h"

namespace headroom {

// Returns the current wall-clock time (UTC ms). Must be callable from the
// thread that owns the object it was given to.
using Clock = std::function<TimeMs()>;

// Returns a jitter fraction in [-0.1, 0.1]: a retry delay d becomes
// d * (1 + fraction). Tests inject a constant; the default is random.
using JitterSource = std::function<double()>;

// std::chrono::system_clock in UTC ms.
Clock SystemClock();

// Uniform in [-0.1, 0.1] from a Mersenne Twister seeded with `seed`.
// Not thread-safe: one per worker.
JitterSource UniformJitter(uint64_t seed);

}  // namespace headroom
