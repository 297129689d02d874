// The `headroom` command line (SPEC 6.2): argument parsing and dispatch to the
// commands. Returns the process exit code: 0 success, 1 a failure the user
// can fix (bad config, unknown id), 2 a usage error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/options.h"

namespace headroom {

int RunCli(int argc, char** argv);

// Parses argv (without the program name); nullopt and a message on error.
std::optional<CliOptions> ParseCliOptions(const std::vector<std::string>& args, std::string& error);

}  // namespace headroom
