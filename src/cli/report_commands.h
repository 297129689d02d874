// `headroom report NAME`, `backtest TRIGGER`, `audit` (SPEC 4).
#pragma once

#include "cli/options.h"

namespace headroom {

int RunReportCommand(const CliOptions& options);
int RunBacktestCommand(const CliOptions& options);
int RunAuditCommand(const CliOptions& options);

}  // namespace headroom
