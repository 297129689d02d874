// Server metrics (GET /metrics, Prometheus text format 0.0.4). Counters and
// histograms are lock-free atomics, updated by the threads that do the work
// (the ingest thread, the io threads) and read by any io thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

namespace headroom::server {

// A fixed-bucket histogram (upper bounds inclusive, +Inf implied).
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);
  // Appends the _bucket/_sum/_count lines of `name`.
  void Render(const std::string& name, const std::string& help, std::string& out) const;

 private:
  std::vector<double> bounds_;
  std::vector<std::atomic<uint64_t>> counts_;  // one per bound, plus +Inf
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_micro_{0};  // sum * 1e6, rounded
};

struct Metrics {
  std::atomic<uint64_t> ingested{0};         // inputs stored
  std::atomic<uint64_t> rejected{0};         // inputs quarantined
  std::atomic<uint64_t> duplicates{0};       // inputs ignored as seen before
  std::atomic<uint64_t> requests_429{0};     // ingestion requests refused: queue full
  std::atomic<uint64_t> ingest_requests{0};  // Segment + records requests received
  std::atomic<uint64_t> gzip_requests{0};    // ... of which gzip-encoded
  std::atomic<uint64_t> commits{0};          // group commits
  std::atomic<uint64_t> commit_failures{0};
  std::atomic<uint64_t> clock_inputs{0};  // live-clock advances recorded in the log
  std::atomic<int64_t> queue_depth{0};    // inputs waiting for the ingest thread
  std::atomic<int64_t> queue_capacity{0};
  std::atomic<int64_t> engine_lag_ms{0};      // age of the oldest request in the last commit
  std::atomic<int64_t> engine_clock_ms{0};    // W (UTC ms), 0 before the first input
  std::atomic<bool> engine_clock_set{false};  // false before the first input (W null)
  // The messageId tiers (ingest/message_id_dedup.h), after each commit.
  std::atomic<uint64_t> message_ids_recent{0};
  std::atomic<uint64_t> message_ids_stored{0};
  std::atomic<uint64_t> message_id_memory_bytes{0};
  std::atomic<uint64_t> message_id_disk_lookups{0};
  std::atomic<uint64_t> engine_accounts{0};
  std::atomic<uint64_t> engine_users{0};
  std::atomic<uint64_t> engine_signals{0};
  std::atomic<uint64_t> engine_firings{0};
  Histogram commit_batch{{1, 10, 100, 1000, 2500, 10000, 50000, 100000}};
  Histogram evaluation_seconds{{0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5}};
  Histogram ack_seconds{{0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10}};

  // Adds the process gauges read at render time (heap in use, glibc).
  std::string Render() const;
};

}  // namespace headroom::server
