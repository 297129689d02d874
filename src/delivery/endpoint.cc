#include "delivery/endpoint.h"

#include <algorithm>
#include <array>

namespace headroom {

bool IsSubscribableEffect(std::string_view type) {
  static constexpr std::array<std::string_view, 6> kTypes = {"signal.created",   "signal.routed",
                                                             "signal.escalated", "signal.closed",
                                                             "trigger.fired",    "trigger.urgent"};
  return std::find(kTypes.begin(), kTypes.end(), type) != kTypes.end();
}

bool Endpoint::Subscribes(std::string_view type) const {
  if (!IsSubscribableEffect(type)) return false;
  for (const std::string& e : config.events)
    if (e == "*" || e == type) return true;
  return false;
}

std::vector<Endpoint> EndpointsOf(const Config& config) {
  std::vector<Endpoint> out;
  for (size_t i = 0; i < config.webhooks.size(); ++i)
    out.push_back({static_cast<int>(i), config.webhooks[i]});
  return out;
}

}  // namespace headroom
