// http_load: a small durable-ingest load driver for `headroom serve`
// (docs/PERFORMANCE.md). C connections, each HTTP/1.1 keep-alive, post
// Segment batches of B track messages (unique messageIds, A accounts) to
// /v1/batch for S seconds; a batch counts when answered 200 (committed).
//   http_load PORT WRITE_KEY [connections=8] [batch=100] [seconds=10] [accounts=1000]
// Prints: events/s acknowledged, requests, 429s, errors, latency p50/p99.
#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: http_load PORT WRITE_KEY [conns] [batch] [seconds] [accounts]\n");
    return 2;
  }
  const auto port = static_cast<uint16_t>(std::atoi(argv[1]));
  const std::string key = std::string(argv[2]) + ":";
  const int conns = argc > 3 ? std::atoi(argv[3]) : 8;
  const int batch = argc > 4 ? std::atoi(argv[4]) : 100;
  const int seconds = argc > 5 ? std::atoi(argv[5]) : 10;
  const int accounts = argc > 6 ? std::atoi(argv[6]) : 1000;
  std::string auth(beast::detail::base64::encoded_size(key.size()), '\0');
  auth.resize(beast::detail::base64::encode(auth.data(), key.data(), key.size()));
  auth = "Basic " + auth;

  std::atomic<uint64_t> events{0}, requests{0}, throttled{0}, errors{0};
  std::mutex mu;
  std::vector<double> latencies;
  const auto start = std::chrono::steady_clock::now();
  const auto end = start + std::chrono::seconds(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < conns; ++c) {
    threads.emplace_back([&, c] {
      asio::io_context ioc;
      beast::tcp_stream stream(ioc);
      stream.connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
      std::vector<double> mine;
      uint64_t n = 0;
      char ts[40];
      while (std::chrono::steady_clock::now() < end) {
        const auto now = std::chrono::system_clock::now();
        const std::time_t t = std::chrono::system_clock::to_time_t(now);
        std::tm tm{};
        gmtime_r(&t, &tm);
        std::strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
        std::string body = "{\"sentAt\":\"" + std::string(ts) + "\",\"batch\":[";
        for (int i = 0; i < batch; ++i, ++n) {
          if (i) body += ',';
          body += "{\"type\":\"track\",\"event\":\"API Request\",\"userId\":\"u" +
                  std::to_string(n % 97) + "\",\"messageId\":\"load-" + std::to_string(c) + "-" +
                  std::to_string(n) + "\",\"timestamp\":\"" + ts +
                  "\",\"properties\":{\"gb\":1.5},\"context\":{\"groupId\":\"acct" +
                  std::to_string((n * 7919) % accounts) + "\"}}";
        }
        body += "]}";
        http::request<http::string_body> req(http::verb::post, "/v1/batch", 11);
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, auth);
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
        const auto t0 = std::chrono::steady_clock::now();
        try {
          http::write(stream, req);
          beast::flat_buffer buf;
          http::response<http::string_body> res;
          http::read(stream, buf, res);
          ++requests;
          if (res.result_int() == 200) {
            events += static_cast<uint64_t>(batch);
            mine.push_back(
                std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                    .count());
          } else if (res.result_int() == 429) {
            ++throttled;
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
          } else {
            ++errors;
          }
        } catch (const std::exception&) {
          ++errors;
          break;
        }
      }
      std::lock_guard lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<size_t>(p * latencies.size()))];
  };
  std::printf(
      "connections %d, batch %d, %.1f s: %llu events acknowledged = %.0f events/s; %llu requests, "
      "%llu x 429, %llu errors; latency p50 %.1f ms, p99 %.1f ms\n",
      conns, batch, elapsed, static_cast<unsigned long long>(events.load()),
      static_cast<double>(events.load()) / elapsed,
      static_cast<unsigned long long>(requests.load()),
      static_cast<unsigned long long>(throttled.load()),
      static_cast<unsigned long long>(errors.load()), pct(0.5), pct(0.99));
  return errors.load() == 0 ? 0 : 1;
}
