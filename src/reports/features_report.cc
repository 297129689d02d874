// SPEC 4.7 sticky features: per event name, adopting accounts (the event on
// at least kAdoptionDays distinct days) vs the rest: upgrade rate, churn
// rate, lift; ranked by upgrade lift.
#include <algorithm>
#include <set>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {
constexpr int kAdoptionDays = 3;
}

nlohmann::json FeaturesReport(const ReportContext& /*c*/, const HistoryReader& h) {
  const auto& accounts = h.accounts();
  std::vector<char> upgraded(accounts.size(), 0), churned(accounts.size(), 0),
      active(accounts.size(), 0);
  for (size_t i = 0; i < accounts.size(); ++i) {
    active[i] = h.Activation(accounts[i]) ? 1 : 0;
    const auto it = h.revenue().find(accounts[i]);
    if (it == h.revenue().end()) continue;
    for (const auto& ch : it->second) {
      if (ch.is_upgrade()) upgraded[i] = 1;
      if (ch.prev_mrr > 0 && ch.mrr == 0) churned[i] = 1;
    }
  }
  struct Row {
    nlohmann::json json;
    double lift;
  };
  std::vector<Row> rows;
  for (const EventStats& e : h.events()) {
    std::vector<int> days(accounts.size(), 0);
    for (const uint64_t k : e.account_days) ++days[KeyAccount(k)];
    int64_t n_a = 0, up_a = 0, ch_a = 0, n_r = 0, up_r = 0, ch_r = 0;
    for (size_t i = 0; i < accounts.size(); ++i) {
      if (!active[i]) continue;
      if (days[i] >= kAdoptionDays) {
        ++n_a;
        up_a += upgraded[i];
        ch_a += churned[i];
      } else {
        ++n_r;
        up_r += upgraded[i];
        ch_r += churned[i];
      }
    }
    auto d = [](int64_t v) { return static_cast<double>(v); };
    const auto ur_a = Ratio(d(up_a), d(n_a)), ur_r = Ratio(d(up_r), d(n_r));
    const auto cr_a = Ratio(d(ch_a), d(n_a)), cr_r = Ratio(d(ch_r), d(n_r));
    const auto lift =
        ur_a && ur_r && *ur_r > 0 ? std::optional<double>(*ur_a / *ur_r) : std::nullopt;
    const auto churn_lift =
        cr_a && cr_r && *cr_r > 0 ? std::optional<double>(*cr_a / *cr_r) : std::nullopt;
    rows.push_back({{{"event", e.name},
                     {"adopters", n_a},
                     {"others", n_r},
                     {"adopter_upgrade_rate", Opt(ur_a)},
                     {"other_upgrade_rate", Opt(ur_r)},
                     {"upgrade_lift", Opt(lift)},
                     {"adopter_churn_rate", Opt(cr_a)},
                     {"other_churn_rate", Opt(cr_r)},
                     {"churn_lift", Opt(churn_lift)}},
                    lift.value_or(-1)});
  }
  std::stable_sort(rows.begin(), rows.end(),
                   [](const Row& a, const Row& b) { return a.lift > b.lift; });
  nlohmann::json out = nlohmann::json::array();
  int rank = 0;
  for (auto& r : rows) {
    r.json["rank"] = ++rank;
    out.push_back(std::move(r.json));
  }
  return {{"adoption_min_days", kAdoptionDays}, {"features", out}};
}

}  // namespace headroom::reports
