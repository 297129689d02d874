// Test harness for tests/server: a temporary data directory and config, the
// real `headroom serve` binary as a child process (HEADROOM_BINARY), and a
// small blocking keep-alive HTTP client (Beast).
#pragma once

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace headroom::server::testing {

inline constexpr const char* kWriteKey = "wk_test_123";
inline constexpr const char* kToken = "tok_test_456";

// A fresh directory under /tmp, removed at the end.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("headroom-server-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The config of every server test: `events` counts "Test Event" over all time,
// per account (the per-account count the tests check).
inline std::string WriteConfig(const TempDir& dir, int64_t max_queue = 100000) {
  const std::string path = dir / "headroom.yaml";
  std::ofstream out(path);
  out << "server:\n  listen: 127.0.0.1:0\n  write_keys: [" << kWriteKey << "]\n  api_tokens: ["
      << kToken << "]\n  max_queue: " << max_queue << "\nstorage:\n  path: " << (dir / "data")
      << "\n"
      << "metrics:\n  events: { count: \"Test Event\", window: all }\n"
      << "triggers:\n  busy: { class: adoption, metric: events, at: 1000000000 }\n";
  return path;
}

// `headroom serve` as a child process; reads the bound port from its stdout.
class ServerProcess {
 public:
  // `args` are appended to `serve --config CONFIG` (e.g. --no-live-clock).
  ServerProcess(const std::string& config, std::vector<std::string> env = {},
                std::vector<std::string> args = {}) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv = {const_cast<char*>(HEADROOM_BINARY), const_cast<char*>("serve"),
                                 const_cast<char*>("--config"), const_cast<char*>(config.c_str())};
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(HEADROOM_BINARY, argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    FILE* f = ::fdopen(out[0], "r");
    char line[256];
    if (std::fgets(line, sizeof line, f)) {
      const std::string s(line);
      const auto colon = s.rfind(':');
      if (s.find("listening on") != std::string::npos && colon != std::string::npos)
        port_ = static_cast<uint16_t>(std::stoi(s.substr(colon + 1)));
    }
    std::fclose(f);
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  uint16_t port() const { return port_; }
  pid_t pid() const { return pid_; }
  void Kill9() {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
  // SIGTERM; returns the exit status (or -1 when killed by a signal).
  int Terminate() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  // Resident memory in KB (from /proc).
  int64_t RssKb() const {
    std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
    std::string key;
    while (in >> key) {
      if (key == "VmRSS:") {
        int64_t kb = 0;
        in >> kb;
        return kb;
      }
      std::getline(in, key);
    }
    return -1;
  }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

struct Reply {
  int status = 0;  // 0: connection failed
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

// A keep-alive HTTP/1.1 client; reconnects after a closed connection.
class HttpClient {
 public:
  explicit HttpClient(uint16_t port) : port_(port) {}

  Reply Send(const std::string& method, const std::string& target, const std::string& body = "",
             const std::map<std::string, std::string>& headers = {}) {
    namespace beast = boost::beast;
    namespace http = beast::http;
    Reply reply;
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!stream_) Connect();
        http::request<http::string_body> req(http::string_to_verb(method), target, 11);
        req.set(http::field::host, "127.0.0.1");
        for (const auto& [k, v] : headers) req.set(k, v);
        req.body() = body;
        req.prepare_payload();
        http::write(*stream_, req);
        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(64 * 1024 * 1024);
        parser.skip(method == "HEAD");  // a HEAD answer has Content-Length but no body
        http::read(*stream_, buffer, parser);
        auto res = parser.release();
        reply.status = res.result_int();
        reply.body = res.body();
        for (const auto& f : res)
          reply.headers[std::string(f.name_string())] = std::string(f.value());
        if (!res.keep_alive()) stream_.reset();
        return reply;
      } catch (const std::exception&) {
        stream_.reset();
        if (attempt == 1 || !retry_on_stale_) return reply;
      }
    }
    return reply;
  }
  Reply Get(const std::string& target, bool auth = true) {
    return Send("GET", target, "",
                auth ? std::map<std::string, std::string>{{"Authorization",
                                                           std::string("Bearer ") + kToken}}
                     : std::map<std::string, std::string>{});
  }
  // POST with the write key as HTTP Basic user.
  Reply PostSegment(const std::string& target, const std::string& body) {
    return Send("POST", target, body, {{"Authorization", BasicAuth(kWriteKey)}});
  }
  void set_retry_on_stale(bool retry) { retry_on_stale_ = retry; }

  static std::string BasicAuth(const std::string& user) {
    std::string in = user + ":";
    std::string out(boost::beast::detail::base64::encoded_size(in.size()), '\0');
    out.resize(boost::beast::detail::base64::encode(out.data(), in.data(), in.size()));
    return "Basic " + out;
  }

 private:
  void Connect() {
    stream_.emplace(ioc_);
    stream_->connect(
        boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), port_));
    stream_->expires_never();
  }

  boost::asio::io_context ioc_;
  std::optional<boost::beast::tcp_stream> stream_;
  uint16_t port_;
  bool retry_on_stale_ = true;
};

inline std::string NowIso(int64_t offset_ms = 0) {
  const auto now = std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms);
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  char out[40];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
  return out;
}

// One Segment track message counted by the `events` metric of `account`.
inline nlohmann::json TrackMessage(const std::string& message_id, const std::string& account,
                                   const std::string& user = "u1") {
  return {{"type", "track"},         {"event", "Test Event"}, {"userId", user},
          {"messageId", message_id}, {"timestamp", NowIso()}, {"context", {{"groupId", account}}}};
}

inline std::string BatchBody(const std::vector<nlohmann::json>& messages) {
  return nlohmann::json{{"batch", messages}, {"sentAt", NowIso()}}.dump();
}

// The `events` metric of an account through the API; -1 when unknown.
inline int64_t EventsOf(HttpClient& client, const std::string& account) {
  const Reply r = client.Get("/v1/accounts/" + account);
  if (r.status != 200) return -1;
  const auto doc = r.json();
  if (!doc.contains("metrics") || !doc["metrics"].contains("events")) return -2;
  return doc["metrics"]["events"].get<int64_t>();
}

// EventsOf once it equals `expected`, polling for up to 10 s: reads may trail
// acknowledged writes (derived documents are written when the ingest queue
// idles, at the latest once a second; docs/API.md), more so on a loaded machine.
// Returns the last value read, so a mismatch still fails with the figure.
inline int64_t SettledEventsOf(HttpClient& client, const std::string& account, int64_t expected) {
  int64_t got = EventsOf(client, account);
  for (int i = 0; i < 200 && got != expected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    got = EventsOf(client, account);
  }
  return got;
}

// A Prometheus sample value from /metrics ("headroom_queue_depth").
inline double MetricValue(HttpClient& client, const std::string& name) {
  const Reply r = client.Get("/metrics", false);
  const std::string needle = "\n" + name + " ";
  const auto pos = r.body.find(needle);
  if (pos == std::string::npos) return -1;
  return std::stod(r.body.substr(pos + needle.size()));
}

}  // namespace headroom::server::testing
