#include "cli/serve_command.h"

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/loader.h"
#include "server/server.h"

namespace headroom {

namespace {

int64_t EnvInt(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::atoll(v) : 0;
}

}  // namespace

int RunServeCommand(const CliOptions& o) {
  std::ifstream in(o.config_path, std::ios::binary);
  if (!in) {
    std::cerr << "headroom serve: cannot read config '" << o.config_path << "'\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  ConfigLoadResult r = LoadConfig(text.str());
  if (!r.config) {
    std::cerr << "headroom serve: invalid config " << o.config_path << ":\n";
    for (const auto& e : r.errors) std::cerr << "  " << e.ToString() << "\n";
    return 1;
  }
  const Config& config = *r.config;
  bool ok = true;
  if (config.server.write_keys.empty()) {
    std::cerr << "headroom serve: server.write_keys: at least one write key is required\n";
    ok = false;
  }
  if (config.server.api_tokens.empty()) {
    std::cerr << "headroom serve: server.api_tokens: at least one API token is required\n";
    ok = false;
  }
  server::ServerOptions options;
  if (!server::ParseListen(config.server.listen, options.host, options.port)) {
    std::cerr << "headroom serve: server.listen: must be <ip>:<port>, got '" << config.server.listen
              << "'\n";
    ok = false;
  }
  if (!ok) return 1;
  options.handle_signals = true;
  options.io_threads = 2;
  options.stall_engine_ms = EnvInt("HEADROOM_TEST_STALL_ENGINE_MS");
  const std::string dir = o.data_dir ? *o.data_dir : config.storage.path;

  server::Server srv(config, dir, options);
  const uint16_t port = srv.Start();
  std::cout << "headroom: listening on http://" << options.host << ":" << port << std::endl;
  srv.Wait();
  srv.Stop();
  std::cerr << "headroom serve: stopped\n";
  return 0;
}

}  // namespace headroom
