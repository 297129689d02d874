// SPEC 4 event audit: the event inventory and its trigger-grade flags.
#include <algorithm>
#include <set>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {

constexpr double kReliableShare = 0.9;
constexpr int kGapDays = 3;
constexpr int kRecentDays = 30;
constexpr double kPropertyShare = 0.10;
constexpr double kRevenueLift = 1.5;
constexpr int64_t kRevenueMinAccounts = 10;
constexpr double kDistinctJaccard = 0.9;

}  // namespace

nlohmann::json AuditReport(const ReportContext& c, const HistoryReader& h) {
  const UpgradeIndex upgrades = IndexUpgrades(h.upgrades());
  const Day w_day = DayOf(c.w);
  const auto& accounts = h.accounts();
  // Accounts with any upgrade, by index.
  std::vector<char> upgraded(accounts.size(), 0);
  for (size_t i = 0; i < accounts.size(); ++i) upgraded[i] = upgrades.count(accounts[i]) ? 1 : 0;

  nlohmann::json events = nlohmann::json::array();
  for (const EventStats& e : h.events()) {
    // Fires reliably: distinct days with the event / days in its span, and no
    // run of >= 3 days without it in [max(first day, W's day - 29), W's day].
    const std::set<Day> days(e.days.begin(), e.days.end());
    std::set<uint32_t> with_accounts;
    for (const uint64_t k : e.account_days) with_accounts.insert(KeyAccount(k));
    const Day first = DayOf(e.first_seen), last = DayOf(e.last_seen);
    const double span = static_cast<double>(last - first + 1);
    const double day_share = days.empty() ? 0 : static_cast<double>(days.size()) / span;
    int longest_gap = 0, gap = 0;
    for (Day d = std::max(first, w_day - kRecentDays + 1); d <= w_day; ++d) {
      gap = days.count(d) ? 0 : gap + 1;
      longest_gap = std::max(longest_gap, gap);
    }
    const bool reliable = day_share >= kReliableShare && longest_gap < kGapDays;

    // Properties seen on >= 10% of occurrences: the share missing.
    nlohmann::json props = nlohmann::json::array();
    for (const auto& [key, present] : e.properties) {
      const double share = static_cast<double>(present) / static_cast<double>(e.count);
      if (share + 1e-12 < kPropertyShare) continue;
      props.push_back({{"property", key}, {"present", present}, {"missing_share", 1 - share}});
    }

    // Maps to revenue: accounts with the event that upgrade within H days
    // after one of its days (e_day < u_day <= e_day + H), vs the other known
    // accounts that upgrade at all.
    int64_t with_up = 0;
    for (const uint32_t a : with_accounts) {
      const auto it = upgrades.find(accounts[a]);
      if (it == upgrades.end()) continue;
      const auto lo =
          std::lower_bound(e.account_days.begin(), e.account_days.end(), AccountDayKey(a, 0));
      bool hit = false;
      for (auto k = lo; k != e.account_days.end() && KeyAccount(*k) == a && !hit; ++k)
        for (const TimeMs u : it->second) {
          const Day ud = DayOf(u);
          if (ud > KeyDay(*k) && ud <= KeyDay(*k) + c.horizon_days) hit = true;
        }
      if (hit) ++with_up;
    }
    int64_t without = 0, without_up = 0;
    for (size_t i = 0; i < accounts.size(); ++i) {
      if (with_accounts.count(static_cast<uint32_t>(i))) continue;
      ++without;
      without_up += upgraded[i];
    }
    const auto n_with = static_cast<int64_t>(with_accounts.size());
    const auto rate_with = Ratio(static_cast<double>(with_up), static_cast<double>(n_with));
    const auto rate_without = Ratio(static_cast<double>(without_up), static_cast<double>(without));
    // No comparison group (every known account has the event): not mapped.
    const bool revenue = n_with >= kRevenueMinAccounts && rate_with && rate_without &&
                         *rate_with > 0 && *rate_with >= kRevenueLift * *rate_without - 1e-12;

    // Distinct: Jaccard of (account, day) sets with every other event < 0.9.
    double max_jaccard = 0;
    std::string closest;
    for (const EventStats& other : h.events()) {
      if (&other == &e) continue;
      const double j = Jaccard(e.account_days, other.account_days);
      if (j > max_jaccard) {
        max_jaccard = j;
        closest = other.name;
      }
    }
    const bool distinct = max_jaccard < kDistinctJaccard;

    events.push_back(
        {{"event", e.name},
         {"count", e.count},
         {"accounts", e.accounts},
         {"users", e.users},
         {"first_seen", FormatIsoTime(e.first_seen)},
         {"last_seen", FormatIsoTime(e.last_seen)},
         {"days_with_event", days.size()},
         {"span_days", static_cast<int64_t>(span)},
         {"day_share", day_share},
         {"longest_recent_gap_days", longest_gap},
         {"fires_reliably", reliable},
         {"properties", props},
         {"upgrade_rate_with", Opt(rate_with)},
         {"upgrade_rate_without", Opt(rate_without)},
         {"maps_to_revenue", revenue},
         {"max_jaccard", max_jaccard},
         {"most_similar", closest.empty() ? nlohmann::json() : nlohmann::json(closest)},
         {"distinct", distinct},
         {"trigger_grade", reliable && revenue && distinct}});
  }
  return {{"events", events},
          {"unattributed_events", h.unattributed_events()},
          {"quarantined_messages", h.quarantined()},
          {"duplicate_messages", h.duplicates()},
          {"non_numeric_sum_values", h.non_numeric()}};
}

}  // namespace headroom::reports
