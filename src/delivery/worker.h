// DeliveryWorker: sends due outbox rows with libcurl (one curl multi handle)
// and records each attempt's outcome in the outbox.
//
// * Own connection: the worker owns a Store of its own (WAL: the ingesting
//   connection never waits for it beyond one short UPDATE transaction).
// * Bounded concurrency: at most `max_in_flight` transfers, at most
//   `max_per_endpoint` per endpoint, so a slow or dead endpoint holds at most
//   its own slots and never delays the others (nor ingestion).
// * Timeouts: connect and total timeout = delivery.timeout (real time, curl).
// * Schedule: every time it reads (due rows, webhook-timestamp, next attempt)
//   comes from the injected Clock; jitter from the injected JitterSource.
// * Success is any 2xx. Redirects are not followed. Anything else (status,
//   connect failure, timeout) is a failure retried per retry_policy.h.
// * Crash safety: a row stays 'pending' until its outcome is committed, so an
//   attempt interrupted by a crash is made again after restart (at least
//   once). Outcomes that cannot be written (store busy: the worker's
//   connection waits at most 20 ms for the write lock) are kept, their rows
//   are not attempted again meanwhile, and they are recorded on a later step.
// * Rows of endpoints no longer in the config are left alone.
//
// Threading: one thread drives a worker (Step / RunUntilIdle); Wake() may be
// called from any thread.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "config/config.h"
#include "delivery/clock.h"
#include "delivery/endpoint.h"
#include "delivery/outbox.h"
#include "store/store.h"

#include <curl/curl.h>

namespace headroom {

struct WorkerOptions {
  Clock clock = SystemClock();
  JitterSource jitter;  // default: UniformJitter(random seed)
  int max_in_flight = 16;
  int max_per_endpoint = 4;
};

class DeliveryWorker {
 public:
  // `store` is the worker's own connection. Config must outlive the worker.
  DeliveryWorker(const Config& config, std::unique_ptr<Store> store, WorkerOptions options = {});
  ~DeliveryWorker();  // abandons transfers in flight (their rows stay pending)
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  struct StepResult {
    int started = 0;
    int finished = 0;
  };
  // Starts due attempts, then waits up to `wait_ms` (real time) for transfer
  // activity or Wake(), and records finished attempts.
  StepResult Step(int wait_ms);
  // Steps until nothing is due and nothing is in flight (real-time guard:
  // `max_ms`). Returns attempts finished.
  int RunUntilIdle(int max_ms = 30000);
  // Interrupts a Step waiting in curl (thread-safe).
  void Wake();

  size_t in_flight() const { return transfers_.size(); }
  Store& store() { return *store_; }
  Outbox& outbox() { return *outbox_; }

 private:
  struct Transfer;
  int StartDue();
  void Start(const Endpoint& ep, OutboxRow row);
  int Collect();
  void FlushResults();     // throws StoreError
  void TryFlushResults();  // keeps the results when the store refuses

  const Config& config_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Outbox> outbox_;
  WorkerOptions options_;
  std::vector<Endpoint> endpoints_;
  CURLM* multi_ = nullptr;
  std::map<int64_t, std::unique_ptr<Transfer>> transfers_;  // by outbox id
  std::map<int, int> per_endpoint_;                         // in flight per endpoint index
  std::vector<AttemptResult> results_;                      // finished, not yet recorded
  std::set<int64_t> unrecorded_;                            // ids in results_
  bool warned_ = false;
  size_t rotation_ = 0;  // first endpoint StartDue serves
};

}  // namespace headroom
