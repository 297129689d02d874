// SPEC 4.1 triggers: per trigger episodes, accounts, precision, recall, lift,
// median lead days.
#include "engine/views.h"
#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"

namespace headroom::reports {

nlohmann::json TriggersReport(const ReportContext& c, const HistoryReader& h) {
  const UpgradeIndex upgrades = IndexUpgrades(h.upgrades());
  const auto base = BaseRate(h.known_since(), h.first_day(), DayOf(c.w), upgrades, c.horizon_days);
  nlohmann::json rows = nlohmann::json::array();
  for (const TriggerDef& t : c.config.triggers) {
    std::vector<FiringPoint> points;
    for (const auto& f : h.firings())
      if (f.trigger == t.name) points.push_back({f.account_id, f.fired_at});
    nlohmann::json row = {{"trigger", t.name}, {"class", TriggerClassName(t.cls)}};
    row.update(OutcomeJson(EvaluateFirings(points, upgrades, base, c.horizon_days)));
    rows.push_back(std::move(row));
  }
  return {{"upgrades", static_cast<int64_t>(h.upgrades().size())},
          {"base_rate", Opt(base)},
          {"triggers", rows}};
}

}  // namespace headroom::reports
