// Reading the config file for the CLI commands: every problem is printed to
// stderr with its path (SPEC 2) and nullopt returned.
#pragma once

#include <optional>
#include <string>

#include "cli/options.h"
#include "config/config.h"

namespace headroom {

std::optional<std::string> ReadTextFile(const std::string& path);
std::optional<Config> LoadConfigOrReport(const CliOptions& options);

}  // namespace headroom
