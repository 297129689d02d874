#include "engine/suppression.h"

#include <string_view>

namespace headroom {

namespace {

uint32_t TraitBits(const SuppressConfig& s, const AccountState& account) {
  uint32_t mask = 0;
  for (size_t i = 0; i < s.traits.size() && i < 29; ++i) {
    auto it = account.traits.find(s.traits[i].trait);
    if (it != account.traits.end() && it->second.value.present() &&
        it->second.value == s.traits[i].equals)
      mask |= 8u << i;
  }
  return mask;
}

// Bits 0-2: contract and tickets at t.
uint32_t TimeBits(const SuppressConfig& s, const AccountState& account, TimeMs t) {
  uint32_t mask = 0;
  const ContractRecord* contract = account.ContractAt(t);
  // Rule 7: a start after t is young too (t - start < 0).
  if (contract &&
      t - contract->start < static_cast<TimeMs>(s.contract_younger_than_days) * kMsPerDay)
    mask |= 1u;
  // Rule 22: the JSON number 1, current version, 0 <= t - opened_at < N days.
  for (const auto& [id, ticket] : account.RareOrNone().tickets) {
    const TicketRecord& tr = ticket.rec;
    if (!tr.severity.is_number() || tr.severity.number() != 1) continue;
    const TimeMs age = t - tr.opened_at;
    if (age >= 0 && age < static_cast<TimeMs>(s.sev1_ticket_within_days) * kMsPerDay) {
      mask |= 2u;
      break;
    }
  }
  if (s.renewal_in_negotiation && contract &&
      contract->renewal_status == std::string_view("negotiating"))
    mask |= 4u;
  return mask;
}

}  // namespace

uint32_t SuppressionMask(const Config& config, const AccountState& account, TimeMs t) {
  return TimeBits(config.suppress, account, t) | TraitBits(config.suppress, account);
}

uint32_t SuppressionMaskCached(const Config& config, AccountState& account, TimeMs t) {
  if (account.suppress_trait_key != account.traits_version) {
    account.suppress_trait_key = account.traits_version;
    account.suppress_trait_bits = TraitBits(config.suppress, account);
  }
  return TimeBits(config.suppress, account, t) | account.suppress_trait_bits;
}

std::vector<std::string> SuppressionNames(const Config& config, uint32_t mask) {
  std::vector<std::string> names;
  if (mask & 1u) names.emplace_back("contract_young");
  if (mask & 2u) names.emplace_back("sev1_ticket");
  if (mask & 4u) names.emplace_back("renewal_negotiating");
  for (size_t i = 0; i < config.suppress.traits.size() && i < 29; ++i)
    if (mask & (8u << i)) names.push_back("trait:" + config.suppress.traits[i].trait);
  return names;
}

Route RouteOf(const RoutingConfig& routing, bool suppressed, double score) {
  if (suppressed) return Route::kSuppressed;
  if (score >= routing.ae_at) return Route::kAe;
  if (score >= routing.csm_at) return Route::kCsm;
  return Route::kNurture;
}

const char* RouteName(Route route) {
  switch (route) {
    case Route::kSuppressed: return "suppressed";
    case Route::kAe: return "ae";
    case Route::kCsm: return "csm";
    case Route::kNurture: return "nurture";
  }
  return "nurture";
}

}  // namespace headroom
