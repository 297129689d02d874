#include "engine/suppression.h"

namespace headroom {

std::vector<std::string> SuppressionReasons(const Config& config, const AccountState& account,
                                            TimeMs t) {
  const SuppressConfig& s = config.suppress;
  std::vector<std::string> reasons;
  const ContractRecord* contract = account.ContractAt(t);
  // Rule 7: a start after t is young too (t - start < 0).
  if (contract &&
      t - contract->start < static_cast<TimeMs>(s.contract_younger_than_days) * kMsPerDay)
    reasons.push_back("contract_young");
  // Rule 22: the JSON number 1, current version, 0 <= t - opened_at < N days.
  for (const auto& [id, ticket] : account.tickets) {
    const TicketRecord& tr = ticket.rec;
    if (!tr.severity.is_number() || tr.severity.number() != 1) continue;
    const TimeMs age = t - tr.opened_at;
    if (age >= 0 && age < static_cast<TimeMs>(s.sev1_ticket_within_days) * kMsPerDay) {
      reasons.push_back("sev1_ticket");
      break;
    }
  }
  if (s.renewal_in_negotiation && contract && contract->renewal_status == "negotiating")
    reasons.push_back("renewal_negotiating");
  for (const auto& cond : s.traits) {
    auto it = account.traits.find(cond.trait);
    if (it != account.traits.end() && it->second.value.present() && it->second.value == cond.equals)
      reasons.push_back("trait:" + cond.trait);
  }
  return reasons;
}

std::string RouteFor(const RoutingConfig& routing, bool suppressed, double score) {
  if (suppressed) return "suppressed";
  if (score >= routing.ae_at) return "ae";
  if (score >= routing.csm_at) return "csm";
  return "nurture";
}

}  // namespace headroom
