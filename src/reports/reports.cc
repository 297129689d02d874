#include "reports/reports.h"

#include <stdexcept>

#include "reports/history.h"
#include "reports/report_impl.h"

namespace headroom::reports {

namespace {

using H = HistoryReader;
using ReportFn = nlohmann::json (*)(const ReportContext&, const HistoryReader&);

struct ReportDef {
  const char* name;
  unsigned parts;  // what the report needs from the store
  ReportFn fn;
};

const ReportDef kReports[] = {
    {"triggers", H::kKnown | H::kRevenue | H::kFirings, TriggersReport},
    {"funnel", H::kSignals | H::kOpportunities, FunnelReport},
    {"nrr", H::kRevenue | H::kAccounts, NrrReport},
    {"attribution", H::kKnown | H::kRevenue | H::kFirings | H::kReleases | H::kEvents,
     AttributionReport},
    {"ttv", H::kKnown | H::kFirings, TtvReport},
    {"releases", H::kKnown | H::kEvents | H::kRevenue | H::kReleases, ReleasesReport},
    {"features", H::kKnown | H::kEvents | H::kRevenue, FeaturesReport},
    {"pilot", H::kOwners | H::kSignals, PilotReport},
    {"audit", H::kKnown | H::kEvents | H::kRevenue, AuditReport},
};

const ReportDef& Find(std::string_view name) {
  for (const auto& r : kReports)
    if (name == r.name) return r;
  throw std::invalid_argument("unknown report '" + std::string(name) + "'");
}

nlohmann::json Run(const ReportDef& def, const ReportContext& c, const HistoryReader& h) {
  nlohmann::json out = {
      {"report", def.name}, {"as_of", FormatIsoTime(c.w)}, {"horizon_days", c.horizon_days}};
  out.update(def.fn(c, h));
  return out;
}

}  // namespace

ReportContext MakeReportContext(Store& store, const Config& config, std::optional<int> horizon) {
  return ReportContext{store, config, horizon.value_or(config.reports_horizon_days),
                       LogClock(store).value_or(0)};
}

const std::vector<std::string>& ReportNames() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& r : kReports) names.emplace_back(r.name);
    return names;
  }();
  return kNames;
}

nlohmann::json ComputeReport(std::string_view name, const ReportContext& c) {
  const ReportDef& def = Find(name);
  const HistoryReader h(c.store, c.config, c.w, def.parts);
  return Run(def, c, h);
}

nlohmann::json ComputeReports(const std::vector<std::string>& names, const ReportContext& c) {
  unsigned parts = 0;
  for (const auto& n : names) parts |= Find(n).parts;
  const HistoryReader h(c.store, c.config, c.w, parts);
  nlohmann::json out = nlohmann::json::object();
  for (const auto& n : names) out[n] = Run(Find(n), c, h);
  return out;
}

}  // namespace headroom::reports
