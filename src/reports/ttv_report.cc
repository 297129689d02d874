// SPEC 4.5 time to value: days from activation (the account's first event)
// to its first firing, any trigger and per class.
#include <map>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {

nlohmann::json Summary(const std::vector<double>& days, int64_t activated) {
  auto within = [&](double n) {
    int64_t k = 0;
    for (const double d : days)
      if (d <= n) ++k;
    return Opt(Ratio(static_cast<double>(k), static_cast<double>(activated)));
  };
  return {{"accounts_fired", days.size()},         {"median_days", Opt(Median(days))},
          {"p75_days", Opt(Percentile(days, 75))}, {"p90_days", Opt(Percentile(days, 90))},
          {"share_within_30d", within(30)},        {"share_within_60d", within(60)},
          {"share_within_90d", within(90)}};
}

}  // namespace

nlohmann::json TtvReport(const ReportContext& /*c*/, const HistoryReader& h) {
  // First firing per account, overall and per class (firings are by fired_at).
  std::map<std::string, TimeMs> first_any;
  std::map<std::string, std::map<std::string, TimeMs>> first_by_class;
  for (const auto& f : h.firings()) {
    auto [it, fresh] = first_any.emplace(f.account_id, f.fired_at);
    if (!fresh) it->second = std::min(it->second, f.fired_at);
    auto [ci, cfresh] = first_by_class[f.cls].emplace(f.account_id, f.fired_at);
    if (!cfresh) ci->second = std::min(ci->second, f.fired_at);
  }
  int64_t activated = 0;
  for (const auto& a : h.accounts())
    if (h.Activation(a)) ++activated;
  auto days = [&](const std::map<std::string, TimeMs>& first) {
    std::vector<double> out;
    for (const auto& [account, t] : first)
      if (const auto act = h.Activation(account))
        out.push_back(static_cast<double>(t - *act) / static_cast<double>(kMsPerDay));
    return out;
  };
  nlohmann::json by_class = nlohmann::json::object();
  for (const char* cls : {"capacity", "adoption", "value"}) {
    const auto it = first_by_class.find(cls);
    by_class[cls] =
        Summary(it == first_by_class.end() ? std::vector<double>{} : days(it->second), activated);
  }
  nlohmann::json out = {{"activated_accounts", activated}};
  out["any"] = Summary(days(first_any), activated);
  out["by_class"] = by_class;
  return out;
}

}  // namespace headroom::reports
