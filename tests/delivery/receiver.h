// A real HTTP/1.1 receiver for delivery tests: a blocking socket server on
// 127.0.0.1 (ephemeral port) in a thread. Each request is recorded; the
// response status comes from a policy (e.g. fail the first K, then accept),
// optionally after a delay (a slow endpoint). One request per connection.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace headroom::testing {

struct ReceivedRequest {
  std::string method, path;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  int status = 0;                                  // what the receiver answered
  std::chrono::steady_clock::time_point received;  // when the body was complete
};

class TestReceiver {
 public:
  // (request number from 1) -> HTTP status.
  using Policy = std::function<int(int n, const ReceivedRequest&)>;

  explicit TestReceiver(Policy policy = [](int, const ReceivedRequest&) { return 200; })
      : policy_(std::move(policy)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    ::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(fd_, 64);
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Loop(); });
  }
  static Policy FailFirst(int k, int status = 500) {
    return [k, status](int n, const ReceivedRequest&) { return n <= k ? status : 200; };
  }
  ~TestReceiver() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::string url(const std::string& path = "/hook") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void set_policy(Policy p) {
    std::lock_guard<std::mutex> lock(mu_);
    policy_ = std::move(p);
  }
  // Delay before answering (real time); the receiver checks for shutdown meanwhile.
  void set_delay_ms(int ms) { delay_ms_ = ms; }
  std::vector<ReceivedRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_.size();
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 20) <= 0) continue;
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      Handle(c);
      ::close(c);
    }
  }

  // Reads with a 2 s real-time limit; false on EOF, error or shutdown.
  bool ReadSome(int c, std::string& buf) {
    pollfd p{c, POLLIN, 0};
    for (int waited = 0; waited < 2000 && !stop_; waited += 20) {
      if (::poll(&p, 1, 20) > 0) {
        char tmp[8192];
        const ssize_t n = ::read(c, tmp, sizeof tmp);
        if (n <= 0) return false;
        buf.append(tmp, static_cast<size_t>(n));
        return true;
      }
    }
    return false;
  }

  void Handle(int c) {
    std::string buf;
    size_t header_end;
    while ((header_end = buf.find("\r\n\r\n")) == std::string::npos)
      if (!ReadSome(c, buf)) return;
    ReceivedRequest req;
    const std::string head = buf.substr(0, header_end);
    size_t pos = head.find("\r\n");
    const std::string line = head.substr(0, pos);
    req.method = line.substr(0, line.find(' '));
    req.path = line.substr(line.find(' ') + 1, line.rfind(' ') - line.find(' ') - 1);
    while (pos != std::string::npos && pos < head.size()) {
      const size_t next = head.find("\r\n", pos + 2);
      const std::string h =
          head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
      const size_t colon = h.find(':');
      if (colon != std::string::npos) {
        std::string name = h.substr(0, colon);
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char ch) { return std::tolower(ch); });
        std::string value = h.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        req.headers[name] = value;
      }
      pos = next;
    }
    const size_t length =
        req.headers.count("content-length") ? std::stoul(req.headers["content-length"]) : 0;
    while (buf.size() < header_end + 4 + length)
      if (!ReadSome(c, buf)) return;
    req.body = buf.substr(header_end + 4, length);
    req.received = std::chrono::steady_clock::now();
    int n;
    {
      std::lock_guard<std::mutex> lock(mu_);
      n = ++served_;
      req.status = policy_(n, req);
      requests_.push_back(req);
    }
    for (int waited = 0; waited < delay_ms_ && !stop_; waited += 10)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const std::string resp = "HTTP/1.1 " + std::to_string(req.status) +
                             " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    (void)!::write(c, resp.data(), resp.size());
  }

  Policy policy_;
  int fd_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> delay_ms_{0};
  std::mutex mu_;
  int served_ = 0;
  std::vector<ReceivedRequest> requests_;
  std::thread thread_;
};

}  // namespace headroom::testing
