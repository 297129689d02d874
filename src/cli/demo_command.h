// `headroom demo` (SPEC 6.2, docs/DEMO.md): generates (or reuses) the
// synthetic company of src/demo in <data>/demo/, imports it through the real
// Ingestor into the store at <data>, prints the top PQAs and the trigger
// report, then serves the API and dashboard over that data with the live
// clock off (W stays at the end of the data) until SIGINT/SIGTERM.
//
// Flags: --accounts N (default 500), --months M (default 12), --seed S
// (default 42), --listen HOST:PORT (default the config's server.listen, the
// demo config's 127.0.0.1:8080; port 0 = ephemeral), --web DIR (the
// dashboard's files), --no-serve (exit after printing). Config: the --config
// file when it exists; otherwise the demo config (src/demo/demo_config.h)
// written to <data>/headroom.yaml. Once listening it prints exactly one line
// "dashboard: http://127.0.0.1:<port>/ (API token tok_demo)" to stdout.
// Returns 0 on success (also after a signal), 2 on a bad flag, 1 on any
// other failure.
#pragma once

#include <string>

#include "cli/options.h"
#include "config/config.h"

namespace headroom {

int RunDemoCommand(const CliOptions& options);

// Serves the dashboard over the demo data with the clock at the end of the
// data (issue 6); with --no-serve prints how to serve and returns 0. Called
// last by `headroom demo`; returns the exit code.
int ServeDemo(const CliOptions& options, const Config& config, const std::string& config_path,
              const std::string& data_dir);

}  // namespace headroom
