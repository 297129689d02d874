// Suppression and routing (SPEC 3.5, 3.7 rule 22): the reasons an account must
// not be pitched at t, in the fixed order contract_young, sev1_ticket,
// renewal_negotiating, trait:<name> (config order), and the route that follows.
#pragma once

#include <string>
#include <vector>

#include "config/config.h"
#include "engine/account_state.h"

namespace headroom {

// Bit 0 contract_young, 1 sev1_ticket, 2 renewal_negotiating, 3+i the i-th
// suppress.traits condition. Allocates nothing (the hot path).
uint32_t SuppressionMask(const Config& config, const AccountState& account, TimeMs t);
// The same mask, with the trait bits (which read only account.traits) kept in
// account.suppress_trait_bits while account.traits_version does not move.
uint32_t SuppressionMaskCached(const Config& config, AccountState& account, TimeMs t);
// The reason names of a mask, in SPEC order.
std::vector<std::string> SuppressionNames(const Config& config, uint32_t mask);
inline std::vector<std::string> SuppressionReasons(const Config& config,
                                                   const AccountState& account, TimeMs t) {
  return SuppressionNames(config, SuppressionMask(config, account, t));
}

// suppressed | ae | csm | nurture. Thresholds compare exactly (rule 16).
enum class Route { kSuppressed, kAe, kCsm, kNurture };
Route RouteOf(const RoutingConfig& routing, bool suppressed, double score);
const char* RouteName(Route route);
inline std::string RouteFor(const RoutingConfig& routing, bool suppressed, double score) {
  return RouteName(RouteOf(routing, suppressed, score));
}

}  // namespace headroom
