// SPEC 4.2 funnel and leaderboard, from each signal's fields as they end.
#include <algorithm>
#include <map>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {

std::optional<TimeMs> TimeField(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  if (it == doc.end() || !it->is_string()) return std::nullopt;
  return ParseIsoTime(it->get<std::string>());
}

nlohmann::json Hours(const std::vector<double>& hours) {
  return {{"n", hours.size()}, {"median", Opt(Median(hours))}, {"p90", Opt(Percentile(hours, 90))}};
}

struct OwnerRow {
  int64_t signals = 0, within_sla = 0, won = 0;
  double credited = 0;
};

}  // namespace

nlohmann::json FunnelReport(const ReportContext& /*c*/, const HistoryReader& h) {
  std::map<std::string, int64_t> by_route;
  int64_t signals = 0, touched = 0, within_sla = 0, escalated = 0, with_opp = 0, won = 0, lost = 0;
  std::vector<double> to_touch, to_opp;
  std::map<std::string, OwnerRow> owners;
  for (const auto& s : h.signals()) {
    ++signals;
    ++by_route[s.value("route", "")];
    const TimeMs created = TimeField(s, "created_at").value_or(0);
    const auto first_touch = TimeField(s, "first_touch_at");
    const std::string status = s.value("status", "");
    const bool sla = s.contains("touched_within_sla") && s["touched_within_sla"].is_boolean() &&
                     s["touched_within_sla"].get<bool>();
    OwnerRow& o = owners[s.value("owner", "unassigned")];
    ++o.signals;
    if (first_touch) {
      ++touched;
      to_touch.push_back(static_cast<double>(*first_touch - created) / kMsPerHour);
    }
    if (sla) {
      ++within_sla;
      ++o.within_sla;
    }
    if (TimeField(s, "escalated_at")) ++escalated;
    if (s.contains("opportunity_id") && s["opportunity_id"].is_string()) {
      ++with_opp;
      const auto it = h.opportunities().find(s["opportunity_id"].get<std::string>());
      if (it != h.opportunities().end())
        to_opp.push_back(static_cast<double>(it->second.created_at - created) / kMsPerHour);
    }
    if (status == "won") {
      ++won;
      ++o.won;
    }
    if (status == "lost") ++lost;
    if (s.contains("credit") && s["credit"].is_object())
      for (const auto& [owner, amount] : s["credit"].items())
        if (amount.is_number()) owners[owner].credited += amount.get<double>();
  }
  auto d = [](int64_t v) { return static_cast<double>(v); };
  std::vector<std::pair<std::string, OwnerRow>> ranked(owners.begin(), owners.end());
  auto compliance = [](const OwnerRow& r) {
    return r.signals ? static_cast<double>(r.within_sla) / static_cast<double>(r.signals) : -1.0;
  };
  std::stable_sort(ranked.begin(), ranked.end(), [&](const auto& a, const auto& b) {
    return compliance(a.second) > compliance(b.second);
  });
  nlohmann::json leaderboard = nlohmann::json::array();
  int rank = 0;
  for (const auto& [owner, r] : ranked) {
    leaderboard.push_back({{"rank", ++rank},
                           {"owner_id", owner},
                           {"signals", r.signals},
                           {"touched_within_sla", r.within_sla},
                           {"sla_compliance", Opt(Ratio(d(r.within_sla), d(r.signals)))},
                           {"won", r.won},
                           {"conversion", Opt(Ratio(d(r.won), d(r.signals)))},
                           {"credited_expansion_arr", r.credited}});
  }
  return {{"signals", signals},
          {"by_route", by_route},
          {"touched", touched},
          {"touched_within_sla", within_sla},
          {"escalated", escalated},
          {"with_opportunity", with_opp},
          {"won", won},
          {"lost", lost},
          {"conversion",
           {{"touched_per_signal", Opt(Ratio(d(touched), d(signals)))},
            {"opportunities_per_touched", Opt(Ratio(d(with_opp), d(touched)))},
            {"won_per_opportunity", Opt(Ratio(d(won), d(with_opp)))},
            {"won_per_signal", Opt(Ratio(d(won), d(signals)))}}},
          {"hours_to_first_touch", Hours(to_touch)},
          {"hours_to_opportunity", Hours(to_opp)},
          {"leaderboard", leaderboard}};
}

}  // namespace headroom::reports
