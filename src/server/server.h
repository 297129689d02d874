// Server: `headroom serve` as an object (SPEC 6.1). Wires the ingest thread,
// the reader pool, the router and the Beast listener; no Beast type appears
// here.
//
// Lifecycle: construct (opens the store and replays the log; throws on
// failure) -> Start() (binds, starts the threads; returns the bound port) ->
// Wait() (until Stop() or, with handle_signals, SIGTERM/SIGINT) -> Stop():
// stop accepting, finish in-flight requests (up to 10 s), commit what is
// queued, join. Stop() is idempotent and may be called from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "config/config.h"

namespace headroom::server {

// The compiled-in web root, HEADROOM_WEB_DIR.
std::string DefaultWebRoot();

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port
  int io_threads = 2;
  bool handle_signals = false;
  int64_t stall_engine_ms = 0;  // test hook, see IngestOptions
  // false: W moves only with the inputs' times (`--no-live-clock`, the demo).
  bool live_clock = true;
  // The dashboard's files (server/static_files.h); default the compiled-in
  // HEADROOM_WEB_DIR (<source>/web/dist).
  std::string web_root = DefaultWebRoot();
};

class Server {
 public:
  Server(const Config& config, std::string data_dir, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  uint16_t Start();
  void Wait();
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// "host:port" -> (host, port); false when malformed.
bool ParseListen(const std::string& listen, std::string& host, uint16_t& port);

}  // namespace headroom::server
