// `headroom serve` (SPEC 6.1): runs the HTTP service (ingestion, REST API and
// the dashboard, docs/API.md) until SIGTERM/SIGINT, then stops cleanly and
// returns 0.
//
// Flags: --listen HOST:PORT (default server.listen; port 0 = ephemeral),
// --web DIR (the dashboard's files; default the compiled-in web/dist),
// --no-live-clock (W moves only with the inputs' times).
#pragma once

#include <string>

#include "cli/options.h"
#include "config/config.h"

namespace headroom {

int RunServeCommand(const CliOptions& options);

// How `RunServer` serves; shared by `serve` and `demo`.
struct ServeSettings {
  std::string listen;                           // HOST:PORT
  std::string listen_source = "server.listen";  // names it in the error message
  std::string web_root;                         // "" = the compiled-in default
  bool live_clock = true;
  // Printed once listening: "dashboard: http://HOST:PORT/" plus this suffix
  // (the demo adds " (API token tok_demo)").
  std::string dashboard_suffix;
  // The first line "headroom: listening on http://HOST:PORT" (serve).
  bool print_listening = true;
};

// Validates the credentials and the listen address (messages prefixed with
// `who`), serves `data_dir` until SIGTERM/SIGINT. Returns the exit code.
int RunServer(const Config& config, const std::string& data_dir, const ServeSettings& settings,
              const std::string& who);

}  // namespace headroom
