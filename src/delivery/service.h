// DeliveryService: the webhook delivery worker on a thread of its own, for
// `headroom serve`. Start() opens a second connection to <data>/headroom.db
// and runs a DeliveryWorker until Stop(). Ingestion writes outbox rows in its
// own transactions (OutboxWriter); the service polls the outbox every
// `poll_ms` and at once when Notify() is called.
//
// How `serve` wires it (after the Ingestor is open):
//   DeliveryService delivery(config, data_dir);
//   delivery.Start();
//   ingestor.set_effect_listener([w = OutboxWriter(config, store)](const Effect& e) mutable {
//     w.Write(e); });      // or keep the writer as a member and capture it by reference
//   ... after each ingest commit: delivery.Notify();
//   ... on shutdown: delivery.Stop();  // in-flight attempts are retried after restart
//
// Thread-safety: Start/Stop from one controlling thread; Notify from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "config/config.h"
#include "delivery/worker.h"

namespace headroom {

class DeliveryService {
 public:
  struct Options {
    WorkerOptions worker;
    int poll_ms = 100;  // longest wait between outbox scans without Notify()
  };
  DeliveryService(const Config& config, std::string data_dir);
  DeliveryService(const Config& config, std::string data_dir, Options options);
  ~DeliveryService();  // Stop()
  DeliveryService(const DeliveryService&) = delete;
  DeliveryService& operator=(const DeliveryService&) = delete;

  // Opens the worker's Store (throws StoreError) and starts the thread. No-op
  // when already started or when no webhook is configured.
  void Start();
  // Stops the thread and waits for it; transfers in flight are abandoned.
  void Stop();
  // Wakes the worker to look for due rows now.
  void Notify();
  bool running() const { return thread_.joinable(); }

 private:
  void Run();

  const Config& config_;
  std::string data_dir_;
  Options options_;
  std::unique_ptr<DeliveryWorker> worker_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace headroom
