// The configured webhook endpoints as delivery sees them.
//
// Identity: an endpoint is (index in `webhooks`, url). Outbox rows carry both,
// so a row is delivered only to the endpoint it was written for; reordering or
// editing the list in the config makes the old rows orphans (kept, counted,
// never sent to a different endpoint). Subscribable event types are the six of
// SPEC 5; "*" subscribes to all six.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/config.h"

namespace headroom {

struct Endpoint {
  int index = 0;
  WebhookConfig config;
  // True when this endpoint receives effects of `type`.
  bool Subscribes(std::string_view type) const;
};

// signal.created, .routed, .escalated, .closed, trigger.fired, .urgent.
bool IsSubscribableEffect(std::string_view type);

std::vector<Endpoint> EndpointsOf(const Config& config);

}  // namespace headroom
