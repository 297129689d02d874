// Trigger outcomes (SPEC 4.1): precision, recall, lift and lead time of a set
// of firings against the upgrades. Shared by the triggers report and the
// backtest so both compute exactly the same figures.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/time.h"
#include "reports/history.h"

namespace headroom::reports {

// Upgrade times per account, sorted.
using UpgradeIndex = std::map<std::string, std::vector<TimeMs>, std::less<>>;
UpgradeIndex IndexUpgrades(const std::vector<RevenueChange>& upgrades);

// Share of (known account, day d) pairs, d from first_day (or the day the
// account became known, if later) to w_day, with an upgrade on one of the days
// d+1 ... d+H. nullopt when there is no pair.
std::optional<double> BaseRate(const std::map<std::string, Day>& known_since, Day first_day,
                               Day w_day, const UpgradeIndex& upgrades, int horizon_days);

struct FiringPoint {
  std::string account_id;
  TimeMs fired_at = 0;
};

struct TriggerOutcome {
  int64_t episodes = 0;
  int64_t accounts = 0;
  int64_t converting = 0;         // firings followed by an upgrade within H days
  int64_t upgrades = 0;           // all upgrades
  int64_t upgrades_preceded = 0;  // upgrades with a firing within H days before
  std::optional<double> precision, recall, lift, median_lead_days, f1;
};

TriggerOutcome EvaluateFirings(const std::vector<FiringPoint>& firings,
                               const UpgradeIndex& upgrades, std::optional<double> base_rate,
                               int horizon_days);

nlohmann::json OutcomeJson(const TriggerOutcome& o);

// JSON helpers shared by the reports.
nlohmann::json Opt(const std::optional<double>& v);
nlohmann::json OptTime(const std::optional<TimeMs>& t);

}  // namespace headroom::reports
