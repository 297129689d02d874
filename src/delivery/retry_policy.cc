#include "delivery/retry_policy.h"

#include <cmath>

namespace headroom {

std::optional<TimeMs> NextRetryDelay(const std::vector<TimeMs>& delays, int attempts,
                                     double jitter) {
  if (attempts < 1 || static_cast<size_t>(attempts) >= delays.size()) return std::nullopt;
  const double d = static_cast<double>(delays[static_cast<size_t>(attempts)]) * (1.0 + jitter);
  return static_cast<TimeMs>(std::llround(std::max(0.0, d)));
}

}  // namespace headroom
