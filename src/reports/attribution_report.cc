// SPEC 4.4 attribution: for each upgrade, the triggers that fired within H
// days before it (f < u <= f + H) and the releases adopted; first-touch,
// last-touch and linear credit of the expansion MRR per trigger.
#include <algorithm>
#include <map>
#include <set>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

nlohmann::json AttributionReport(const ReportContext& c, const HistoryReader& h) {
  const TimeMs hz = static_cast<TimeMs>(c.horizon_days) * kMsPerDay;
  struct Credit {
    double first = 0, last = 0, linear = 0;
    int64_t upgrades = 0;
  };
  std::map<std::string, Credit> credit;
  for (const auto& t : c.config.triggers) credit[t.name];
  nlohmann::json rows = nlohmann::json::array();
  int64_t blind = 0;
  double blind_mrr = 0, total_mrr = 0;
  for (const RevenueChange& u : h.upgrades()) {
    const double delta = u.mrr - u.prev_mrr;
    total_mrr += delta;
    std::vector<const FiringFact*> related;
    for (const auto& f : h.firings())
      if (f.account_id == u.account_id && f.fired_at < u.at && u.at <= f.fired_at + hz)
        related.push_back(&f);
    std::sort(related.begin(), related.end(), [](const FiringFact* a, const FiringFact* b) {
      return a->fired_at != b->fired_at ? a->fired_at < b->fired_at : a->trigger < b->trigger;
    });
    std::set<std::string> triggers;
    for (const auto* f : related) triggers.insert(f->trigger);
    nlohmann::json fired = nlohmann::json::array();
    for (const auto* f : related)
      fired.push_back({{"trigger", f->trigger}, {"fired_at", FormatIsoTime(f->fired_at)}});
    if (related.empty()) {
      ++blind;
      blind_mrr += delta;
    } else {
      credit[related.front()->trigger].first += delta;
      credit[related.back()->trigger].last += delta;
      for (const auto& t : triggers) {
        credit[t].linear += delta / static_cast<double>(triggers.size());
        ++credit[t].upgrades;
      }
    }
    // Releases adopted: the adoption event used on a day in
    // [release day, upgrade day) and within H days before the upgrade.
    nlohmann::json adopted = nlohmann::json::array();
    const int a = h.AccountIndex(u.account_id);
    for (const auto& r : h.releases()) {
      const EventStats* e = h.FindEvent(r.adoption_event);
      if (!e || a < 0 || r.released_at >= u.at) continue;
      const Day from = std::max(DayOf(r.released_at), DayOf(u.at) - c.horizon_days);
      const auto lo = std::lower_bound(e->account_days.begin(), e->account_days.end(),
                                       AccountDayKey(static_cast<uint32_t>(a), from));
      if (lo != e->account_days.end() && KeyAccount(*lo) == static_cast<uint32_t>(a) &&
          KeyDay(*lo) <= DayOf(u.at))
        adopted.push_back(r.feature);
    }
    rows.push_back({{"account_id", u.account_id},
                    {"at", FormatIsoTime(u.at)},
                    {"from_mrr", u.prev_mrr},
                    {"to_mrr", u.mrr},
                    {"expansion_mrr", delta},
                    {"triggers", fired},
                    {"releases_adopted", adopted}});
  }
  nlohmann::json per_trigger = nlohmann::json::array();
  for (const auto& [t, cr] : credit)
    per_trigger.push_back({{"trigger", t},
                           {"upgrades", cr.upgrades},
                           {"first_touch_mrr", cr.first},
                           {"last_touch_mrr", cr.last},
                           {"linear_mrr", cr.linear}});
  const auto n = static_cast<double>(h.upgrades().size());
  return {{"upgrades", h.upgrades().size()},
          {"expansion_mrr", total_mrr},
          {"blind_spot", blind},
          {"blind_spot_share", Opt(Ratio(static_cast<double>(blind), n))},
          {"blind_spot_mrr", blind_mrr},
          {"per_trigger", per_trigger},
          {"per_upgrade", rows}};
}

}  // namespace headroom::reports
