// `headroom serve` (SPEC 6.1): runs the HTTP service until SIGTERM/SIGINT.
#pragma once

#include "cli/options.h"

namespace headroom {

int RunServeCommand(const CliOptions& options);

}  // namespace headroom
