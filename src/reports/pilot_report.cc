// SPEC 4.8 pilot vs control: owners' group from their current owner record;
// signals by final owner.
#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {

struct Group {
  int64_t owners = 0, signals = 0, opportunities = 0, won = 0, touched = 0, within_sla = 0;
  std::vector<double> hours_to_touch;
};

nlohmann::json GroupJson(const Group& g) {
  auto d = [](int64_t v) { return static_cast<double>(v); };
  return {{"owners", g.owners},
          {"signals", g.signals},
          {"opportunities", g.opportunities},
          {"won", g.won},
          {"touched", g.touched},
          {"touched_within_sla", g.within_sla},
          {"signal_to_opportunity", Opt(Ratio(d(g.opportunities), d(g.signals)))},
          {"opportunity_to_won", Opt(Ratio(d(g.won), d(g.opportunities)))},
          {"sla_compliance", Opt(Ratio(d(g.within_sla), d(g.signals)))},
          {"median_hours_to_first_touch", Opt(Median(g.hours_to_touch))}};
}

}  // namespace

nlohmann::json PilotReport(const ReportContext& /*c*/, const HistoryReader& h) {
  Group pilot, control;
  auto group_of = [&](const std::string& owner) -> Group* {
    const auto it = h.owners().find(owner);
    if (it == h.owners().end() || !it->second.group) return nullptr;
    if (*it->second.group == "pilot") return &pilot;
    if (*it->second.group == "control") return &control;
    return nullptr;
  };
  for (const auto& [id, o] : h.owners())
    if (Group* g = group_of(id)) ++g->owners;
  for (const auto& s : h.signals()) {
    Group* g = group_of(s.value("owner", ""));
    if (!g) continue;
    ++g->signals;
    if (s.contains("opportunity_id") && s["opportunity_id"].is_string()) ++g->opportunities;
    if (s.value("status", "") == "won") ++g->won;
    const auto created = ParseIsoTime(s.value("created_at", ""));
    const auto& ft = s.contains("first_touch_at") ? s["first_touch_at"] : nlohmann::json();
    if (ft.is_string() && created) {
      ++g->touched;
      if (const auto t = ParseIsoTime(ft.get<std::string>()))
        g->hours_to_touch.push_back(static_cast<double>(*t - *created) / kMsPerHour);
    }
    if (s.contains("touched_within_sla") && s["touched_within_sla"].is_boolean() &&
        s["touched_within_sla"].get<bool>())
      ++g->within_sla;
  }
  return {
      {"pilot", GroupJson(pilot)},
      {"control", GroupJson(control)},
      {"p_values",
       {{"signal_to_opportunity", Opt(TwoProportionPValue(pilot.opportunities, pilot.signals,
                                                          control.opportunities, control.signals))},
        {"opportunity_to_won", Opt(TwoProportionPValue(pilot.won, pilot.opportunities, control.won,
                                                       control.opportunities))},
        {"sla_compliance", Opt(TwoProportionPValue(pilot.within_sla, pilot.signals,
                                                   control.within_sla, control.signals))}}}};
}

}  // namespace headroom::reports
