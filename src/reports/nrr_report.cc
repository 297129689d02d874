// SPEC 4.3 net revenue retention per calendar month and trailing twelve months.
#include <map>

#include "reports/history.h"
#include "reports/outcomes.h"
#include "reports/report_impl.h"
#include "reports/stats.h"

namespace headroom::reports {

namespace {

struct Period {
  double start = 0, expansion = 0, contraction = 0, churn = 0, new_business = 0;
  int64_t cohort = 0;
  std::map<std::string, double> expansion_arr_by_ae;
  std::optional<double> nrr() const {
    return Ratio(start + expansion - contraction - churn, start);
  }
};

// Changes with at in [from, to) and at <= w, for accounts paying just before `from`.
Period Compute(const HistoryReader& h, TimeMs from, TimeMs to, TimeMs w) {
  Period p;
  for (const auto& [account, changes] : h.revenue()) {
    double before = 0;
    for (const auto& c : changes)
      if (c.at < from) before = c.mrr;
    for (const auto& c : changes) {
      if (c.at < from || c.at >= to || c.at > w) continue;
      if (c.prev_mrr == 0 && c.mrr > 0) p.new_business += c.mrr;  // reported, never in NRR
    }
    if (before <= 0) continue;
    ++p.cohort;
    p.start += before;
    for (const auto& c : changes) {
      if (c.at < from || c.at >= to || c.at > w) continue;
      if (c.prev_mrr == 0) continue;  // 0 -> positive: new business, excluded
      if (c.mrr > c.prev_mrr) {
        p.expansion += c.mrr - c.prev_mrr;
        p.expansion_arr_by_ae[h.AeAt(account, c.at).value_or("unassigned")] +=
            12 * (c.mrr - c.prev_mrr);
      } else if (c.mrr < c.prev_mrr && c.mrr > 0) {
        p.contraction += c.prev_mrr - c.mrr;
      } else if (c.mrr < c.prev_mrr) {
        p.churn += c.prev_mrr;
      }
    }
  }
  return p;
}

nlohmann::json PeriodJson(const Period& p) {
  return {{"cohort_accounts", p.cohort},
          {"start_mrr", p.start},
          {"expansion_mrr", p.expansion},
          {"contraction_mrr", p.contraction},
          {"churn_mrr", p.churn},
          {"new_business_mrr", p.new_business},
          {"end_mrr", p.start + p.expansion - p.contraction - p.churn},
          {"nrr", Opt(p.nrr())},
          {"expansion_arr_by_ae", p.expansion_arr_by_ae}};
}

Day AddMonths(Day month_start, int n) {
  int y;
  unsigned m, d;
  CivilFromDays(month_start, y, m, d);
  int total = y * 12 + static_cast<int>(m) - 1 + n;
  return DaysFromCivil(total / 12, static_cast<unsigned>(total % 12) + 1, 1);
}

}  // namespace

nlohmann::json NrrReport(const ReportContext& c, const HistoryReader& h) {
  std::optional<TimeMs> first;
  for (const auto& [account, changes] : h.revenue())
    if (!changes.empty() && (!first || changes.front().at < *first)) first = changes.front().at;
  nlohmann::json months = nlohmann::json::array();
  const Day last_month = MonthStart(DayOf(c.w));
  std::optional<double> prior;
  if (first) {
    for (Day m = MonthStart(DayOf(*first)); m <= last_month; m = AddMonths(m, 1)) {
      const Period p = Compute(h, DayStart(m), DayStart(AddMonths(m, 1)), c.w);
      int y;
      unsigned mo, d;
      CivilFromDays(m, y, mo, d);
      char label[16];
      std::snprintf(label, sizeof label, "%04d-%02u", y, mo);
      nlohmann::json j = {{"month", label}};
      j.update(PeriodJson(p));
      const auto nrr = p.nrr();
      j["change_vs_prior"] = nrr && prior ? nlohmann::json(*nrr - *prior) : nlohmann::json();
      prior = nrr;
      months.push_back(std::move(j));
    }
  }
  const Day ttm_from = AddMonths(last_month, -11);
  nlohmann::json ttm = {{"from", FormatIsoTime(DayStart(ttm_from))}};
  ttm.update(PeriodJson(Compute(h, DayStart(ttm_from), DayStart(AddMonths(last_month, 1)), c.w)));
  return {{"months", months}, {"trailing_twelve_months", ttm}};
}

}  // namespace headroom::reports
