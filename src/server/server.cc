#include "server/server.h"

#include "delivery/service.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <charconv>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "server/auth.h"
#include "server/http_session.h"
#include "server/ingest_endpoint.h"
#include "server/ingest_service.h"
#include "server/metrics.h"
#include "server/read_endpoints.h"
#include "server/router.h"
#include "server/static_files.h"

namespace headroom::server {

namespace asio = boost::asio;

std::string DefaultWebRoot() {
#ifdef HEADROOM_WEB_DIR
  return HEADROOM_WEB_DIR;
#else
  return "web/dist";
#endif
}

bool ParseListen(const std::string& listen, std::string& host, uint16_t& port) {
  const size_t colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  const std::string p = listen.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), value);
  if (ec != std::errc() || end != p.data() + p.size() || value > 65535) return false;
  port = static_cast<uint16_t>(value);
  boost::system::error_code bad;
  asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host, bad);
  return !bad;
}

class Server::Impl {
 public:
  Impl(const Config& config, std::string data_dir, ServerOptions options)
      : options_(std::move(options)),
        delivery_(config, data_dir),
        write_keys_(config.server.write_keys),
        api_tokens_(config.server.api_tokens),
        ingest_(config, data_dir, metrics_,
                IngestOptions{
                    config.server.max_queue, options_.stall_engine_ms, {}, options_.live_clock}),
        readers_(data_dir),
        ingest_endpoint_(ingest_, write_keys_, metrics_),
        reads_(readers_, config, metrics_, options_.live_clock),
        files_(options_.web_root),
        router_(ingest_endpoint_, reads_, metrics_, api_tokens_, files_),
        signals_(ioc_) {}

  uint16_t Start() {
    const std::string host = options_.host == "localhost" ? "127.0.0.1" : options_.host;
    listener_ = std::make_shared<Listener>(
        ioc_, asio::ip::tcp::endpoint(asio::ip::make_address(host), options_.port), router_,
        state_);
    listener_->Start();
    ingest_.Start();
    delivery_.Start();  // no-op without webhooks
    if (options_.handle_signals) {
      signals_.add(SIGINT);
      signals_.add(SIGTERM);
      signals_.async_wait([this](const boost::system::error_code& ec, int) {
        if (!ec) BeginShutdown();
      });
    }
    work_.emplace(ioc_.get_executor());
    for (int i = 0; i < std::max(1, options_.io_threads); ++i)
      threads_.emplace_back([this] { ioc_.run(); });
    return listener_->port();
  }

  // Stop accepting; once in-flight requests are answered (or after 10 s),
  // stop the io threads.
  void BeginShutdown() {
    {
      std::lock_guard lock(mu_);
      if (shutting_down_) return;
      shutting_down_ = true;
    }
    state_.stopping = true;
    boost::system::error_code ignored;
    signals_.cancel(ignored);
    listener_->Close();
    deadline_ = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    timer_ = std::make_unique<asio::steady_timer>(ioc_);
    PollInFlight();
  }

  void PollInFlight() {
    if (state_.in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline_) {
      work_.reset();
      ioc_.stop();
      std::lock_guard lock(mu_);
      stopped_ = true;
      cv_.notify_all();
      return;
    }
    timer_->expires_after(std::chrono::milliseconds(20));
    timer_->async_wait([this](const boost::system::error_code&) { PollInFlight(); });
  }

  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return stopped_; });
  }

  void Stop() {
    if (!threads_.empty()) {
      asio::post(ioc_, [this] { BeginShutdown(); });
      Wait();
      for (auto& t : threads_) t.join();
      threads_.clear();
    }
    ingest_.Stop();  // commits whatever is still queued
    delivery_.Stop();
  }

 private:
  ServerOptions options_;
  DeliveryService delivery_;
  Metrics metrics_;
  KeySet write_keys_;
  KeySet api_tokens_;
  IngestService ingest_;
  ReaderPool readers_;
  IngestEndpoint ingest_endpoint_;
  ReadEndpoints reads_;
  StaticFiles files_;
  Router router_;
  asio::io_context ioc_;
  asio::signal_set signals_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::shared_ptr<Listener> listener_;
  SessionState state_;
  std::vector<std::thread> threads_;
  std::unique_ptr<asio::steady_timer> timer_;
  std::chrono::steady_clock::time_point deadline_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool shutting_down_ = false;
  bool stopped_ = false;
};

Server::Server(const Config& config, std::string data_dir, ServerOptions options)
    : impl_(std::make_unique<Impl>(config, std::move(data_dir), std::move(options))) {}
Server::~Server() { impl_->Stop(); }
uint16_t Server::Start() { return impl_->Start(); }
void Server::Wait() { impl_->Wait(); }
void Server::Stop() { impl_->Stop(); }

}  // namespace headroom::server
