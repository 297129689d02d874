#include "server/ingest_service.h"

#include <malloc.h>

#include <iostream>

#include "delivery/outbox_writer.h"

#include "ingest/ingestor.h"
#include "store/store.h"

namespace headroom::server {

namespace {

TimeMs WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

constexpr const char* kSource = "http";
constexpr auto kDerivedEvery = std::chrono::seconds(1);
// How often, at most, freed heap pages go back to the system after a derived
// flush (malloc_trim): a flush frees what it built, and glibc would otherwise
// keep the high-water mark of a long-running server.
constexpr auto kTrimEvery = std::chrono::seconds(10);
// Blocks of this size or more (snapshot bodies, sealed messageId runs, flush
// batches) are mapped and unmapped on their own. glibc's default threshold is
// dynamic: once a ~10 MB snapshot body was freed it serves such blocks from
// the heap, where their pages stayed resident after being freed (the soak:
// +7 MB at the first snapshot, never returned). Setting it fixes it (and the
// trim threshold) for the process.
constexpr int kMmapThreshold = 1 << 20;
// Traffic counts as paused once no request arrived for this long after a
// cycle: then the derived rows are written (see the header).
constexpr auto kDerivedIdle = std::chrono::milliseconds(20);

}  // namespace

IngestService::IngestService(const Config& config, std::string data_dir, Metrics& metrics,
                             IngestOptions options)
    : config_(config),
      data_dir_(std::move(data_dir)),
      metrics_(metrics),
      options_(std::move(options)) {
  if (!options_.now) options_.now = WallClockMs;
  mallopt(M_MMAP_THRESHOLD, kMmapThreshold);  // a long-running process: see above
  metrics_.queue_capacity = options_.max_queue;
  Reload();
}

IngestService::~IngestService() { Stop(); }

void IngestService::Reload() {
  ingestor_.reset();
  outbox_.reset();
  store_.reset();
  auto store = Store::Open(data_dir_, config_.storage.synchronous);
  auto ingestor = std::make_unique<Ingestor>(config_, *store);
  ingestor->Open(false);
  outbox_ = std::make_unique<OutboxWriter>(config_, *store);
  ingestor->set_effect_listener([outbox = outbox_.get()](const Effect& e) { outbox->Write(e); });
  store_ = std::move(store);
  ingestor_ = std::move(ingestor);
  last_snapshot_ = std::chrono::steady_clock::now();
  if (const auto w = ingestor_->engine().clock()) {
    metrics_.engine_clock_ms = *w;
    metrics_.engine_clock_set = true;
  }
}

void IngestService::Start() {
  thread_ = std::thread([this] { Loop(); });
}

IngestService::Submitted IngestService::Submit(IngestJob job) {
  const auto n = static_cast<int64_t>(job.items.size());
  {
    std::lock_guard lock(mu_);
    if (stopping_) return Submitted::kStopping;
    // A request larger than the whole queue is still taken when the queue is
    // empty, so it cannot be refused forever.
    if (queued_inputs_ > 0 && queued_inputs_ + n > options_.max_queue) return Submitted::kFull;
    job.enqueued = std::chrono::steady_clock::now();
    queue_.push_back(std::move(job));
    queued_inputs_ += n;
    metrics_.queue_depth = queued_inputs_;
  }
  cv_.notify_one();
  return Submitted::kQueued;
}

void IngestService::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void IngestService::Loop() {
  auto last_tick = std::chrono::steady_clock::now();
  while (true) {
    std::vector<IngestJob> jobs;
    bool stop = false;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, last_tick + std::chrono::seconds(1),
                     [&] { return stopping_ || !queue_.empty(); });
      stop = stopping_;
    }
    if (options_.stall_ms > 0 && !stop)
      std::this_thread::sleep_for(std::chrono::milliseconds(options_.stall_ms));
    {
      std::lock_guard lock(mu_);
      while (!queue_.empty()) {
        jobs.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
      // queued_inputs_ stays counted until the cycle commits (bounded memory).
    }
    const auto now = std::chrono::steady_clock::now();
    const bool tick = now - last_tick >= std::chrono::seconds(1);
    if (tick) last_tick = now;
    if (!jobs.empty() || tick) RunCycle(jobs, false);
    // The derived rows follow when traffic pauses for kDerivedIdle (under
    // sustained load RunCycle writes them every kDerivedEvery): writing them
    // after every cycle would cost one account document per input or so.
    if (derived_dirty_ && !stop) {
      bool paused;
      {
        std::unique_lock lock(mu_);
        paused = !cv_.wait_for(lock, kDerivedIdle, [&] { return stopping_ || !queue_.empty(); });
      }
      if (paused) {
        std::vector<IngestJob> none;
        RunCycle(none, true);
      }
    }
    // After the cycle's jobs are answered: when idle with every derived row
    // committed and a snapshot is due (a no-op when nothing was stored since).
    if (!stop && !derived_dirty_ &&
        std::chrono::steady_clock::now() - last_snapshot_ >=
            std::chrono::milliseconds(config_.storage.snapshot_every)) {
      bool idle;
      {
        std::lock_guard lock(mu_);
        idle = queue_.empty();
      }
      if (idle) SaveSnapshot();
    }
    if (stop) {
      std::lock_guard lock(mu_);
      if (queue_.empty()) break;
    }
  }
  try {
    if (derived_dirty_ && ingestor_) ingestor_->Flush();
    derived_dirty_ = false;
  } catch (const std::exception& e) {
    std::cerr << "headroom serve: final flush failed (the log is intact): " << e.what() << "\n";
  }
  if (!derived_dirty_) SaveSnapshot();  // graceful shutdown: the next start loads it
}

void IngestService::SaveSnapshot() {
  if (!ingestor_) return;
  try {
    ingestor_->SaveSnapshot();
  } catch (const std::exception& e) {
    std::cerr << "headroom serve: snapshot failed (the log is intact): " << e.what() << "\n";
    try {
      if (store_ && store_->InTransaction()) store_->Rollback();
    } catch (const std::exception&) {
    }
  }
  last_snapshot_ = std::chrono::steady_clock::now();
}

void IngestService::RunCycle(std::vector<IngestJob>& jobs, bool write_derived) {
  std::vector<IngestResult> results(jobs.size());
  int64_t inputs = 0;
  bool clocked = false;
  bool ok = true;
  for (const IngestJob& job : jobs) inputs += static_cast<int64_t>(job.items.size());
  const int64_t taken = inputs;
  inputs = 0;
  IngestCounts before;
  try {
    if (!ingestor_) Reload();  // a previous reload failed: try again
    before = ingestor_->counts();
    for (size_t j = 0; j < jobs.size(); ++j) {
      IngestJob& job = jobs[j];
      const auto t0 = std::chrono::steady_clock::now();
      IngestChecks checks;
      checks.not_after = job.received_at + kMsPerDay;
      checks.messages = !job.records;
      checks.records = job.records;
      for (IngestItem& item : job.items) {
        ++inputs;
        if (!item.reject.empty()) {
          ingestor_->Quarantine(item.text, kSource, item.index, item.reject);
          results[j].rejected.emplace_back(item.index, std::move(item.reject));
          continue;
        }
        std::string error;
        if (ingestor_->Ingest(item.text, kSource, item.index, &error, checks) ==
            IngestOutcome::kQuarantined)
          results[j].rejected.emplace_back(item.index, std::move(error));
      }
      metrics_.evaluation_seconds.Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    clocked = options_.live_clock && ingestor_->AdvanceClock(options_.now());
    if (inputs > 0 || clocked) derived_dirty_ = true;
    // The log is committed every cycle (that is what an acknowledgement
    // promises); the derived rows the read API serves follow when traffic
    // pauses (write_derived, from Loop), or every kDerivedEvery under load.
    // Effects (webhooks) do not wait for a pause: a cycle that produced some
    // writes everything at once when no request is waiting.
    bool idle;
    {
      std::lock_guard lock(mu_);
      idle = queue_.empty();
    }
    const auto now = std::chrono::steady_clock::now();
    if (derived_dirty_ && (write_derived || now - last_derived_ >= kDerivedEvery ||
                           (idle && ingestor_->engine().HasPendingEffects()))) {
      ingestor_->Flush();
      derived_dirty_ = false;
      last_derived_ = now;
      if (now - last_trim_ >= kTrimEvery) {
        malloc_trim(0);
        last_trim_ = now;
      }
    } else {
      ingestor_->CommitLog();
    }
    for (auto& r : results) r.ok = true;
  } catch (const std::exception& e) {
    ok = false;
    derived_dirty_ = false;
    metrics_.commit_failures++;
    std::cerr << "headroom serve: commit failed, reloading from the log: " << e.what() << "\n";
    for (auto& r : results) {
      r.ok = false;
      r.error = "store: temporarily unavailable, retry";
      r.rejected.clear();
    }
    try {
      if (store_ && store_->InTransaction()) store_->Rollback();
    } catch (const std::exception&) {
    }
    try {
      Reload();
    } catch (const std::exception& reload_error) {
      std::cerr << "headroom serve: reload failed: " << reload_error.what() << "\n";
    }
  }
  if (ingestor_) {
    const IngestCounts& after = ingestor_->counts();
    if (ok) {
      metrics_.ingested += after.stored - before.stored;
      metrics_.rejected += after.quarantined - before.quarantined;
      metrics_.duplicates += after.duplicates - before.duplicates;
    }
    const MessageIdDedup::Stats ids = ingestor_->message_id_stats();
    metrics_.message_ids_recent = ids.recent;
    metrics_.message_ids_stored = ids.stored;
    metrics_.message_id_memory_bytes = ids.memory_bytes;
    metrics_.message_id_disk_lookups = ids.disk_lookups;
    const EngineCounts held = ingestor_->engine().Counts();
    metrics_.engine_accounts = held.accounts;
    metrics_.engine_users = held.users;
    metrics_.engine_signals = held.signals;
    metrics_.engine_firings = held.firings;
    if (const auto w = ingestor_->engine().clock()) {
      metrics_.engine_clock_ms = *w;
      metrics_.engine_clock_set = true;
    }
  }
  if (clocked) metrics_.clock_inputs++;
  if (inputs > 0) {
    metrics_.commits++;
    metrics_.commit_batch.Observe(static_cast<double>(inputs));
  }
  {
    std::lock_guard lock(mu_);
    queued_inputs_ -= taken;
    metrics_.queue_depth = queued_inputs_;
  }
  const auto done_at = std::chrono::steady_clock::now();
  if (!jobs.empty())
    metrics_.engine_lag_ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(done_at - jobs.front().enqueued)
            .count();
  for (size_t j = 0; j < jobs.size(); ++j) {
    metrics_.ack_seconds.Observe(std::chrono::duration<double>(done_at - jobs[j].enqueued).count());
    jobs[j].done(std::move(results[j]));
  }
}

}  // namespace headroom::server
