#include "reports/outcomes.h"

#include <algorithm>
#include <set>

#include "reports/stats.h"

namespace headroom::reports {

UpgradeIndex IndexUpgrades(const std::vector<RevenueChange>& upgrades) {
  UpgradeIndex index;
  for (const auto& u : upgrades) index[u.account_id].push_back(u.at);
  for (auto& [account, times] : index) std::sort(times.begin(), times.end());
  return index;
}

std::optional<double> BaseRate(const std::map<std::string, Day>& known_since, Day first_day,
                               Day w_day, const UpgradeIndex& upgrades, int horizon_days) {
  int64_t pairs = 0, positive = 0;
  for (const auto& [account, since] : known_since) {
    const Day from = std::max(first_day, since);
    if (from > w_day) continue;
    pairs += w_day - from + 1;
    const auto it = upgrades.find(account);
    if (it == upgrades.end()) continue;
    // Day d is positive when an upgrade day u has d+1 <= u <= d+H, i.e.
    // d in [u-H, u-1]; count the union of those intervals within [from, w_day].
    std::set<Day> days;
    for (const TimeMs t : it->second) {
      const Day u = DayOf(t);
      for (Day d = std::max(from, u - horizon_days); d <= std::min(w_day, u - 1); ++d)
        days.insert(d);
    }
    positive += static_cast<int64_t>(days.size());
  }
  if (pairs == 0) return std::nullopt;
  return static_cast<double>(positive) / static_cast<double>(pairs);
}

TriggerOutcome EvaluateFirings(const std::vector<FiringPoint>& firings,
                               const UpgradeIndex& upgrades, std::optional<double> base_rate,
                               int horizon_days) {
  TriggerOutcome o;
  const TimeMs h = static_cast<TimeMs>(horizon_days) * kMsPerDay;
  std::map<std::string, std::vector<TimeMs>, std::less<>> by_account;
  for (const auto& f : firings) by_account[f.account_id].push_back(f.fired_at);
  for (auto& [account, times] : by_account) std::sort(times.begin(), times.end());
  o.episodes = static_cast<int64_t>(firings.size());
  o.accounts = static_cast<int64_t>(by_account.size());
  std::vector<double> leads;
  for (const auto& f : firings) {
    const auto it = upgrades.find(f.account_id);
    if (it == upgrades.end()) continue;
    // The first upgrade u with f < u.
    const auto u = std::upper_bound(it->second.begin(), it->second.end(), f.fired_at);
    if (u != it->second.end() && *u <= f.fired_at + h) {
      ++o.converting;
      leads.push_back(static_cast<double>(*u - f.fired_at) / static_cast<double>(kMsPerDay));
    }
  }
  for (const auto& [account, times] : upgrades) {
    o.upgrades += static_cast<int64_t>(times.size());
    const auto fit = by_account.find(account);
    if (fit == by_account.end()) continue;
    for (const TimeMs u : times) {
      // A firing f with u - H <= f < u.
      const auto f = std::lower_bound(fit->second.begin(), fit->second.end(), u - h);
      if (f != fit->second.end() && *f < u) ++o.upgrades_preceded;
    }
  }
  o.precision = Ratio(static_cast<double>(o.converting), static_cast<double>(o.episodes));
  o.recall = Ratio(static_cast<double>(o.upgrades_preceded), static_cast<double>(o.upgrades));
  if (o.precision && base_rate && *base_rate > 0) o.lift = *o.precision / *base_rate;
  o.median_lead_days = Median(leads);
  if (o.precision && o.recall) {
    const double sum = *o.precision + *o.recall;
    o.f1 = sum > 0 ? 2 * *o.precision * *o.recall / sum : 0.0;
  }
  return o;
}

nlohmann::json Opt(const std::optional<double>& v) {
  return v ? nlohmann::json(*v) : nlohmann::json();
}

nlohmann::json OptTime(const std::optional<TimeMs>& t) {
  return t ? nlohmann::json(FormatIsoTime(*t)) : nlohmann::json();
}

nlohmann::json OutcomeJson(const TriggerOutcome& o) {
  return {{"episodes", o.episodes},
          {"accounts", o.accounts},
          {"converting_firings", o.converting},
          {"upgrades", o.upgrades},
          {"upgrades_preceded", o.upgrades_preceded},
          {"precision", Opt(o.precision)},
          {"recall", Opt(o.recall)},
          {"lift", Opt(o.lift)},
          {"median_lead_days", Opt(o.median_lead_days)},
          {"f1", Opt(o.f1)}};
}

}  // namespace headroom::reports
