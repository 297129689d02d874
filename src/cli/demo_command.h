// `headroom demo` (SPEC 6.2, docs/DEMO.md): generates (or reuses) the
// synthetic company of src/demo in <data>/demo/, imports it through the real
// Ingestor into the store at <data>, prints the top PQAs and the trigger
// report, and says how to serve the dashboard.
//
// Flags: --accounts N (default 500), --months M (default 12), --seed S
// (default 42). Config: the --config file when it exists; otherwise the demo
// config (src/demo/demo_config.h) written to <data>/headroom.yaml.
// Returns 0 on success, 2 on a bad flag, 1 on any other failure.
#pragma once

#include <string>

#include "cli/options.h"

namespace headroom {

int RunDemoCommand(const CliOptions& options);

// TODO(lead): serve the dashboard over the demo data with the clock at the end
// of the data (issue 6). Called last by `headroom demo`; returns the exit code.
int ServeDemo(const std::string& config_path, const std::string& data_dir);

}  // namespace headroom
