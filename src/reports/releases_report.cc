// SPEC 4.6 releases: adopters within 30 days of release, their upgrade rate
// within H days vs non-adopters on the same tier, and the tier's upgrades in
// the H days before vs after the release.
#include <set>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {
constexpr int kAdoptionDays = 30;
}

nlohmann::json ReleasesReport(const ReportContext& c, const HistoryReader& h) {
  const TimeMs hz = static_cast<TimeMs>(c.horizon_days) * kMsPerDay;
  nlohmann::json rows = nlohmann::json::array();
  for (const ReleaseRecord& r : h.releases()) {
    const TimeMs rel = r.released_at;
    auto on_tier = [&](const std::string& account, TimeMs t) {
      return r.tier.empty() || h.PlanAt(account, t) == r.tier;
    };
    auto upgrades_in = [&](const std::string& account, TimeMs from, TimeMs to) {
      const auto it = h.revenue().find(account);
      if (it == h.revenue().end()) return false;
      for (const auto& ch : it->second)
        if (ch.is_upgrade() && ch.at > from && ch.at <= to) return true;
      return false;
    };
    // Adopters on any tier; the rates compare those on the tier at release.
    std::set<std::string> all_adopters, adopters;
    if (const EventStats* e = h.FindEvent(r.adoption_event)) {
      for (const uint64_t k : e->account_days)
        if (KeyDay(k) >= DayOf(rel) && KeyDay(k) <= DayOf(rel) + kAdoptionDays)
          all_adopters.insert(h.accounts()[KeyAccount(k)]);
    }
    for (const auto& a : all_adopters)
      if (on_tier(a, rel)) adopters.insert(a);
    int64_t adopters_up = 0, non = 0, non_up = 0;
    for (const auto& a : adopters)
      if (upgrades_in(a, rel, rel + hz)) ++adopters_up;
    for (const auto& a : h.accounts()) {
      if (all_adopters.count(a) || !on_tier(a, rel)) continue;
      if (h.known_since().at(a) > DayOf(rel)) continue;  // not known at release
      ++non;
      if (upgrades_in(a, rel, rel + hz)) ++non_up;
    }
    int64_t before = 0, after = 0;
    for (const RevenueChange& u : h.upgrades()) {
      if (!r.tier.empty() && u.prev_plan != r.tier) continue;
      if (u.at > rel - hz && u.at <= rel) ++before;
      if (u.at > rel && u.at <= rel + hz) ++after;
    }
    const auto rate_a =
        Ratio(static_cast<double>(adopters_up), static_cast<double>(adopters.size()));
    const auto rate_n = Ratio(static_cast<double>(non_up), static_cast<double>(non));
    rows.push_back(
        {{"feature", r.feature},
         {"released_at", FormatIsoTime(rel)},
         {"tier", r.tier},
         {"adoption_event", r.adoption_event},
         {"adopters_all_tiers", all_adopters.size()},
         {"adopters", adopters.size()},
         {"adopters_upgraded", adopters_up},
         {"adopter_upgrade_rate", Opt(rate_a)},
         {"non_adopters", non},
         {"non_adopters_upgraded", non_up},
         {"non_adopter_upgrade_rate", Opt(rate_n)},
         {"lift", Opt(rate_a && rate_n && *rate_n > 0 ? std::optional<double>(*rate_a / *rate_n)
                                                      : std::nullopt)},
         {"tier_upgrades_before", before},
         {"tier_upgrades_after", after}});
  }
  return {{"releases", rows}};
}

}  // namespace headroom::reports
