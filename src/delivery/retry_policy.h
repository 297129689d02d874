// The retry schedule of SPEC 5 / delivery.retry_delays. With delays
// d[0..N-1]: the first attempt is due d[0] after the row is written; after the
// k-th failed attempt (k = 1..N-1) the next is due d[k] * (1 + jitter) after
// that failure; after the N-th failure the row is dead. Default: at once, 5 s,
// 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h (10 attempts, ~75 h).
#pragma once

#include <optional>
#include <vector>

#include "common/time.h"

namespace headroom {

// The delay before the next attempt after `attempts` attempts have failed,
// or nullopt when the row is dead. `jitter` is a fraction (e.g. in ±0.1).
std::optional<TimeMs> NextRetryDelay(const std::vector<TimeMs>& delays, int attempts,
                                     double jitter);

}  // namespace headroom
