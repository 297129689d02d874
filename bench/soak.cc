// soak: a steady, paced load against a running `headroom serve`, with the
// server's resident memory sampled (issue 7, docs/PERFORMANCE.md "Soak").
//
//   soak PORT WRITE_KEY SERVER_PID [--minutes 10] [--rate 5000] [--accounts 2000]
//        [--users 50] [--conns 2] [--batch 100] [--sample 10] [--seed 1]
//        [--message-ids 1]
//
// CONNS keep-alive connections post Segment `/v1/batch` requests of BATCH messages,
// paced to RATE events/s in total (each connection on its own absolute schedule, so
// a slow reply does not lower the average rate). Messages are a realistic mix over
// the SPEC 2 example rules (bench/headroom.yaml): ACCOUNTS accounts with USERS users
// each, UUID-like unique messageIds, `timestamp` and `sentAt` = the wall clock when
// the batch is built (time advances in real time, so windows and the live clock
// move). Property values come from bounded sets, so after the first minutes every
// (account, user) pair and every distinct value already exists: what still grows is
// what the server keeps per message — by design the set of messageIds seen (SPEC 1.1:
// never counted twice, also across restarts). `--message-ids 0` sends messages
// without a messageId (valid; never deduplicated), which isolates everything else:
// then any growth is a leak.
//
// Every SAMPLE seconds it reads VmRSS from /proc/SERVER_PID/status and prints it with
// the events acknowledged so far; at the end:
//   RSS minute 2: X MB, minute 10: Y MB, change Z%
// (minute 10 = the last minute of the run). Exit status: 0 when the last minute's RSS
// is at most 5% above minute 2's, no request failed and at least 95% of the target
// events were acknowledged; 1 otherwise; 2 on bad arguments.
#include <algorithm>
#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/core/detail/base64.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

struct Options {
  uint16_t port = 0;
  std::string write_key;
  long pid = 0;
  double minutes = 10;
  int rate = 5000;
  int accounts = 2000;
  int users = 50;
  int conns = 2;
  int batch = 100;
  int sample_s = 10;
  uint64_t seed = 1;
  bool message_ids = true;  // --message-ids 0: messages without one (never deduplicated)
};

// splitmix64: small, fast, deterministic per connection.
struct Rng {
  uint64_t s;
  uint64_t Next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
};

int64_t RssKb(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
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

std::string NowIso() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  char day[32];
  std::strftime(day, sizeof day, "%Y-%m-%dT%H:%M:%S", &tm);
  const auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", day, static_cast<int>(ms));
  return out;
}

// A UUID-shaped unique id: 128 random bits from the connection's generator.
std::string MessageId(Rng& rng) {
  const uint64_t a = rng.Next(), b = rng.Next();
  char out[40];
  std::snprintf(out, sizeof out,
                "%08" PRIx64 "-%04" PRIx64 "-4%03" PRIx64 "-%04" PRIx64 "-%012" PRIx64, a >> 32,
                (a >> 16) & 0xffff, a & 0xfff, b >> 48, b & uint64_t{0xffffffffffff});
  return out;
}

// One message of the mix; `a` account, `u` user within it.
void AppendMessage(std::string& body, Rng& rng, const Options& o, const std::string& ts) {
  const uint64_t a = rng.Below(static_cast<uint64_t>(o.accounts));
  const uint64_t u = rng.Below(static_cast<uint64_t>(o.users));
  const uint64_t kind = rng.Below(100);
  std::string event, props;
  if (kind < 70) {
    event = "API Request";
  } else if (kind < 80) {
    event = "Data Ingested";
    props = "\"gb\":" + std::to_string(1 + rng.Below(20)) + ".5";
  } else if (kind < 88) {
    event = "Workflow Started";
  } else if (kind < 94) {
    event = "Workflow Completed";
  } else if (kind < 96) {
    event = "Paywall Hit";
  } else if (kind < 98) {
    event = "Module Activated";
    props = "\"module\":\"m" + std::to_string(rng.Below(8)) + "\"";
  } else if (kind < 99) {
    event = "Workspace Created";
    props = "\"workspace_id\":\"ws" + std::to_string(a) + "-" + std::to_string(rng.Below(3)) + "\"";
  } else {
    event = "Seats Synced";
    props = "\"seats_in_use\":" + std::to_string(10 + rng.Below(40));
  }
  body += "{\"type\":\"track\",\"event\":\"" + event + "\",\"userId\":\"acct" + std::to_string(a) +
          "-u" + std::to_string(u) +
          (o.message_ids ? "\",\"messageId\":\"" + MessageId(rng) : std::string()) +
          "\",\"timestamp\":\"" + ts + "\",\"properties\":{" + props +
          "},\"context\":{\"groupId\":\"acct" + std::to_string(a) + "\"}}";
}

bool ParseArgs(int argc, char** argv, Options& o) {
  if (argc < 4) return false;
  o.port = static_cast<uint16_t>(std::atoi(argv[1]));
  o.write_key = argv[2];
  o.pid = std::atol(argv[3]);
  for (int i = 4; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const char* v = argv[i + 1];
    if (flag == "--minutes")
      o.minutes = std::atof(v);
    else if (flag == "--rate")
      o.rate = std::atoi(v);
    else if (flag == "--accounts")
      o.accounts = std::atoi(v);
    else if (flag == "--users")
      o.users = std::atoi(v);
    else if (flag == "--conns")
      o.conns = std::atoi(v);
    else if (flag == "--batch")
      o.batch = std::atoi(v);
    else if (flag == "--sample")
      o.sample_s = std::atoi(v);
    else if (flag == "--seed")
      o.seed = std::strtoull(v, nullptr, 10);
    else if (flag == "--message-ids")
      o.message_ids = std::atoi(v) != 0;
    else
      return false;
  }
  if ((argc - 4) % 2 != 0) return false;
  return o.port != 0 && o.pid > 0 && o.minutes > 0 && o.rate > 0 && o.accounts > 0 && o.users > 0 &&
         o.conns > 0 && o.batch > 0 && o.sample_s > 0;
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!ParseArgs(argc, argv, o)) {
    std::fprintf(stderr,
                 "usage: soak PORT WRITE_KEY SERVER_PID [--minutes 10] [--rate 5000] "
                 "[--accounts 2000] [--users 50] [--conns 2] [--batch 100] [--sample 10] "
                 "[--seed 1] [--message-ids 1]\n");
    return 2;
  }
  const std::string key = o.write_key + ":";
  std::string auth(beast::detail::base64::encoded_size(key.size()), '\0');
  auth.resize(beast::detail::base64::encode(auth.data(), key.data(), key.size()));
  auth = "Basic " + auth;

  std::atomic<uint64_t> events{0}, requests{0}, throttled{0}, errors{0};
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<double> latencies;
  const auto start = Clock::now();
  const auto run_for =
      std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.minutes * 60.0));
  const auto end = start + run_for;
  // Each connection sends one batch every `period`, staggered across connections.
  const auto period = std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(static_cast<double>(o.conns) * o.batch / o.rate));

  std::vector<std::thread> threads;
  for (int c = 0; c < o.conns; ++c) {
    threads.emplace_back([&, c] {
      Rng rng{o.seed * 1000003 + static_cast<uint64_t>(c)};
      asio::io_context ioc;
      std::optional<beast::tcp_stream> stream;
      std::vector<double> mine;
      auto next = start + period * c / o.conns;
      // Stops at the end even when behind schedule (a server slower than RATE).
      while (next < end && Clock::now() < end && !stop) {
        std::this_thread::sleep_until(next);
        next += period;
        const std::string ts = NowIso();
        std::string body = "{\"sentAt\":\"" + ts + "\",\"batch\":[";
        for (int i = 0; i < o.batch; ++i) {
          if (i) body += ',';
          AppendMessage(body, rng, o, ts);
        }
        body += "]}";
        http::request<http::string_body> req(http::verb::post, "/v1/batch", 11);
        req.set(http::field::host, "127.0.0.1");
        req.set(http::field::authorization, auth);
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
        const auto t0 = Clock::now();
        try {
          if (!stream) {
            stream.emplace(ioc);
            stream->connect(asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), o.port));
          }
          http::write(*stream, req);
          beast::flat_buffer buf;
          http::response<http::string_body> res;
          http::read(*stream, buf, res);
          ++requests;
          if (res.result_int() == 200) {
            events += static_cast<uint64_t>(o.batch);
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
          } else if (res.result_int() == 429) {
            ++throttled;
          } else {
            ++errors;
          }
          if (!res.keep_alive()) stream.reset();
        } catch (const std::exception& e) {
          ++errors;
          std::fprintf(stderr, "soak: connection %d: %s\n", c, e.what());
          stream.reset();
        }
      }
      std::lock_guard lock(mu);
      latencies.insert(latencies.end(), mine.begin(), mine.end());
    });
  }

  // Samples at 0, SAMPLE, 2*SAMPLE, ... seconds, and at the end.
  std::map<int, int64_t> rss_at;  // second -> KB
  std::printf("%8s %10s %14s %10s %8s\n", "time_s", "rss_mb", "events_acked", "events/s", "errors");
  for (int t = 0;; t += o.sample_s) {
    const auto when = start + std::chrono::seconds(t);
    if (when > end) break;
    std::this_thread::sleep_until(when);
    const int64_t kb = RssKb(o.pid);
    if (kb < 0) {
      std::fprintf(stderr, "soak: server process %ld is gone\n", o.pid);
      stop = true;
      break;
    }
    rss_at[t] = kb;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    std::printf("%8d %10.1f %14llu %10.0f %8llu\n", t, static_cast<double>(kb) / 1024.0,
                static_cast<unsigned long long>(events.load()),
                elapsed > 0 ? static_cast<double>(events.load()) / elapsed : 0.0,
                static_cast<unsigned long long>(errors.load()));
    std::fflush(stdout);
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) {
    return latencies.empty() ? 0.0
                             : latencies[std::min(latencies.size() - 1,
                                                  static_cast<size_t>(p * latencies.size()))];
  };
  std::printf(
      "%.1f s: %llu events acknowledged = %.0f events/s (target %d); %llu requests, %llu x 429, "
      "%llu errors; latency p50 %.1f ms, p99 %.1f ms\n",
      elapsed, static_cast<unsigned long long>(events.load()),
      static_cast<double>(events.load()) / elapsed, o.rate,
      static_cast<unsigned long long>(requests.load()),
      static_cast<unsigned long long>(throttled.load()),
      static_cast<unsigned long long>(errors.load()), pct(0.5), pct(0.99));

  bool ok = errors.load() == 0 && !stop &&
            static_cast<double>(events.load()) >= 0.95 * o.rate * o.minutes * 60.0;
  // Minute 2 = the sample at 120 s; the last minute = the last sample.
  const int last_minute = static_cast<int>(o.minutes);
  if (rss_at.count(120) && !rss_at.empty() && last_minute > 2) {
    const double m2 = static_cast<double>(rss_at.at(120)) / 1024.0;
    const double mlast = static_cast<double>(rss_at.rbegin()->second) / 1024.0;
    const double change = (mlast - m2) / m2 * 100.0;
    std::printf("RSS minute 2: %.1f MB, minute %d: %.1f MB, change %+.1f%%\n", m2, last_minute,
                mlast, change);
    if (change > 5.0) ok = false;
  } else {
    std::printf("RSS: run shorter than 3 minutes, no minute-2 comparison\n");
    ok = false;
  }
  std::printf("soak: %s\n", ok ? "PASS" : "FAIL");
  return ok ? 0 : 1;
}
