// Reports (SPEC 4): computed from the stored history as of W with horizon H.
// The CLI (`headroom report NAME`, `audit`) and the server
// (GET /v1/reports/{name}) both call ComputeReport; formulas are in
// docs/REPORTS.md.
//
// Contract: read-only on the store; same threading rules as the Store. Every
// number is in the returned JSON (absent values null, times ISO-8601 UTC).
// Throws std::invalid_argument for an unknown report name.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/config.h"
#include "store/store.h"

namespace headroom::reports {

struct ReportContext {
  Store& store;
  const Config& config;
  int horizon_days = 60;  // H
  TimeMs w = 0;           // the engine clock as of the store (LogClock)
};

// A context for `store` as of its log's clock, with H = horizon or the
// config's reports.horizon_days.
ReportContext MakeReportContext(Store& store, const Config& config,
                                std::optional<int> horizon = std::nullopt);

// triggers, funnel, nrr, attribution, ttv, releases, features, pilot, audit.
const std::vector<std::string>& ReportNames();

// One report: {"report", "as_of", "horizon_days", ...its figures}.
nlohmann::json ComputeReport(std::string_view name, const ReportContext& context);

// Several reports from ONE load of the history (the dashboard's view, `report
// all`): {name: ComputeReport(name)} with identical contents.
nlohmann::json ComputeReports(const std::vector<std::string>& names, const ReportContext& context);

}  // namespace headroom::reports
