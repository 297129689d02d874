// Server-private: the Beast/Asio listener and HTTP/1.1 keep-alive sessions.
// Included only by server/*.cc. Each session reads one request at a time
// (header first, answering `Expect: 100-continue`), hands it to the Router as
// an HttpRequest, and writes the HttpResponse whenever the router completes it
// (possibly from the ingest thread; the write is posted back to the session).
// Body limit: 500 KB + slack on the received (maybe compressed) bytes (413).
#pragma once

#include <atomic>
#include <memory>

#include <boost/asio/ip/tcp.hpp>

#include "server/router.h"

namespace headroom::server {

struct SessionState {
  std::atomic<int64_t> in_flight{0};  // requests read and not yet answered
  std::atomic<bool> stopping{false};  // answer with Connection: close
};

class Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(boost::asio::io_context& ioc, boost::asio::ip::tcp::endpoint endpoint,
           const Router& router, SessionState& state);
  void Start();
  void Close();
  uint16_t port() const { return port_; }

 private:
  void Accept();

  boost::asio::io_context& ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  const Router& router_;
  SessionState& state_;
  uint16_t port_ = 0;
};

}  // namespace headroom::server
