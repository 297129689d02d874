// IngestService: the one engine/ingest thread of `headroom serve`.
//
// It owns the Ingestor and its Store connection (the only writer). Requests
// are queued as jobs; the thread drains every waiting job, applies their inputs
// in arrival order, commits them in ONE SQLite transaction (group commit, no
// fsync per request), and only then completes the jobs — so an acknowledged
// input is durable (SPEC 6.1). The derived rows (accounts, signals, firings)
// are persisted once traffic pauses (no request for 20 ms after a cycle), or
// every second under sustained load (Ingestor::CommitLog / Flush): reads lag
// writes by at most a second under load and ~20 ms when traffic pauses, and
// a request is answered without waiting for them — except that a cycle whose
// inputs produced effects writes everything before answering when no other
// request waits, so webhooks leave at once. The queue is bounded by the
// number of inputs waiting (server.max_queue): Submit refuses beyond it (the
// caller answers 429).
//
// Live clock: about once a second the thread offers the wall clock to
// Ingestor::AdvanceClock, which records a clock input in the log only when an
// evaluation point (midnight, live deadline) is crossed (SPEC 3). Off with
// IngestOptions::live_clock = false.
//
// Snapshots (store/snapshots.h): when the queue is idle right after a flush
// and storage.snapshot_every has passed since the last one (or since start),
// the thread stores a snapshot of the engine state; and once more when Stop()
// ends the thread (graceful shutdown, SIGTERM). A failed snapshot is logged
// and never fails the cycle (the inputs are already committed).
//
// A failed commit answers the jobs of that cycle with an error (5xx), rolls
// back and reloads the engine from the log, so memory never runs ahead of disk.
//
// Thread-safety: Submit and Stop may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/time.h"
#include "config/config.h"
#include "server/metrics.h"

namespace headroom {
class Store;
class Ingestor;
class OutboxWriter;
}  // namespace headroom

namespace headroom::server {

struct IngestItem {
  int64_t index = 0;   // position in the request (the "index" of a rejection)
  std::string text;    // one JSON message / record
  std::string reject;  // set: quarantine with this reason without parsing
};

struct IngestResult {
  bool ok = false;    // false: not stored (transient; answer 5xx)
  std::string error;  // when !ok
  std::vector<std::pair<int64_t, std::string>> rejected;  // (index, "field: rule")
};

struct IngestJob {
  std::vector<IngestItem> items;
  bool records = false;  // /v1/records (else Segment messages)
  TimeMs received_at = 0;
  std::function<void(IngestResult)> done;  // called once, on the ingest thread
  std::chrono::steady_clock::time_point enqueued{};
};

struct IngestOptions {
  int64_t max_queue = 100000;
  // Test hook (HEADROOM_TEST_STALL_ENGINE_MS): sleep this long before each cycle.
  int64_t stall_ms = 0;
  // Wall clock (UTC ms); replaceable in tests.
  std::function<TimeMs()> now;
  // false (`--no-live-clock`, `headroom demo`): W moves only with the inputs'
  // times, never with the wall clock; no clock input is recorded.
  bool live_clock = true;
};

class IngestService {
 public:
  enum class Submitted { kQueued, kFull, kStopping };

  // Opens the store under `data_dir` and replays the log (throws StoreError or
  // std::runtime_error on failure) on the calling thread.
  IngestService(const Config& config, std::string data_dir, Metrics& metrics,
                IngestOptions options);
  ~IngestService();

  void Start();
  Submitted Submit(IngestJob job);
  // Stops accepting, processes every queued job, commits, joins.
  void Stop();

 private:
  void Loop();
  // Applies and commits `jobs` (possibly none), then answers them; the
  // derived rows too when `write_derived` or kDerivedEvery has passed.
  void RunCycle(std::vector<IngestJob>& jobs, bool write_derived);
  void Reload();
  // Ingestor::SaveSnapshot, logging (not throwing) a failure.
  void SaveSnapshot();

  const Config& config_;
  const std::string data_dir_;
  Metrics& metrics_;
  IngestOptions options_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<OutboxWriter> outbox_;  // webhook rows, same transaction (SPEC 5)
  std::unique_ptr<Ingestor> ingestor_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<IngestJob> queue_;
  int64_t queued_inputs_ = 0;
  bool stopping_ = false;
  std::thread thread_;
  // Ingest thread only: derived rows not yet persisted, and when they last were.
  bool derived_dirty_ = false;
  std::chrono::steady_clock::time_point last_derived_{};
  std::chrono::steady_clock::time_point last_trim_{};      // last malloc_trim (kTrimEvery)
  std::chrono::steady_clock::time_point last_snapshot_{};  // or the last (re)load
};

}  // namespace headroom::server
