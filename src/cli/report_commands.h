// `headroom report NAME`, `backtest TRIGGER`, `audit` (SPEC 4).
#pragma once

#include <ostream>
#include <string_view>

#include <nlohmann/json.hpp>

#include "cli/options.h"

namespace headroom {

int RunReportCommand(const CliOptions& options);
int RunBacktestCommand(const CliOptions& options);
int RunAuditCommand(const CliOptions& options);

// Human rendering (aligned tables, key figures first) of a report computed by
// reports::ComputeReport, and of reports::BacktestJson.
void PrintReportTables(std::string_view name, const nlohmann::json& report, std::ostream& out);
void PrintBacktestTable(const nlohmann::json& backtest, std::ostream& out);

}  // namespace headroom
