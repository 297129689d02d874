#include "cli/report_commands.h"

#include <iostream>

namespace headroom {

int RunReportCommand(const CliOptions&) {
  std::cerr << "headroom report: not available in this build yet\n";
  return 2;
}
int RunBacktestCommand(const CliOptions&) {
  std::cerr << "headroom backtest: not available in this build yet\n";
  return 2;
}
int RunAuditCommand(const CliOptions&) {
  std::cerr << "headroom audit: not available in this build yet\n";
  return 2;
}

}  // namespace headroom
