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

int RunServer(const Config& config, const std::string& data_dir, const ServeSettings& settings,
              const std::string& who) {
  bool ok = true;
  if (config.server.write_keys.empty()) {
    std::cerr << who << ": server.write_keys: at least one write key is required\n";
    ok = false;
  }
  if (config.server.api_tokens.empty()) {
    std::cerr << who << ": server.api_tokens: at least one API token is required\n";
    ok = false;
  }
  server::ServerOptions options;
  if (!server::ParseListen(settings.listen, options.host, options.port)) {
    std::cerr << who << ": " << settings.listen_source << ": must be <ip>:<port>, got '"
              << settings.listen << "'\n";
    ok = false;
  }
  if (!ok) return 1;
  options.handle_signals = true;
  options.io_threads = 2;
  options.stall_engine_ms = EnvInt("HEADROOM_TEST_STALL_ENGINE_MS");
  options.live_clock = settings.live_clock;
  if (!settings.web_root.empty()) options.web_root = settings.web_root;

  server::Server srv(config, data_dir, options);
  const uint16_t port = srv.Start();
  const std::string host = options.host.find(':') != std::string::npos
                               ? "[" + options.host + "]"
                               : (options.host == "localhost" ? "127.0.0.1" : options.host);
  if (settings.print_listening)
    std::cout << "headroom: listening on http://" << host << ":" << port << "\n";
  std::cout << "dashboard: http://" << host << ":" << port << "/" << settings.dashboard_suffix
            << std::endl;
  srv.Wait();
  srv.Stop();
  std::cerr << who << ": stopped\n";
  return 0;
}

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
  ServeSettings settings;
  settings.listen = o.Flag("listen").value_or(config.server.listen);
  if (o.Flag("listen")) settings.listen_source = "--listen";
  settings.web_root = o.Flag("web").value_or("");
  settings.live_clock = !o.Flag("no-live-clock");
  const std::string dir = o.data_dir ? *o.data_dir : config.storage.path;
  return RunServer(config, dir, settings, "headroom serve");
}

}  // namespace headroom
