#include "server/metrics.h"

#include <malloc.h>

#include <cmath>
#include <sstream>

#include "store/store.h"

namespace headroom::server {

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1) {}

void Histogram::Observe(double value) {
  size_t i = 0;
  while (i < bounds_.size() && value > bounds_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_micro_.fetch_add(static_cast<uint64_t>(std::llround(std::max(0.0, value) * 1e6)),
                       std::memory_order_relaxed);
}

namespace {

std::string Num(double v) {
  std::ostringstream ss;
  ss << v;
  return ss.str();
}

void Line(std::string& out, const std::string& name, const std::string& type,
          const std::string& help, const std::string& value) {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n" + name + " " +
         value + "\n";
}

}  // namespace

void Histogram::Render(const std::string& name, const std::string& help, std::string& out) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  uint64_t cumulative = 0;
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    const std::string le = i < bounds_.size() ? Num(bounds_[i]) : "+Inf";
    out += name + "_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += name + "_sum " + Num(static_cast<double>(sum_micro_.load()) / 1e6) + "\n";
  out += name + "_count " + std::to_string(count_.load()) + "\n";
}

std::string Metrics::Render() const {
  std::string out;
  Line(out, "headroom_inputs_ingested_total", "counter", "Inputs stored in the log.",
       std::to_string(ingested.load()));
  Line(out, "headroom_inputs_rejected_total", "counter", "Inputs quarantined.",
       std::to_string(rejected.load()));
  Line(out, "headroom_inputs_duplicate_total", "counter",
       "Inputs ignored as duplicates (messageId or identical record).",
       std::to_string(duplicates.load()));
  Line(out, "headroom_ingest_throttled_total", "counter",
       "Ingestion requests answered 429 because the queue was full.",
       std::to_string(requests_429.load()));
  Line(out, "headroom_ingest_requests_total", "counter",
       "Ingestion requests received (Segment endpoints and /v1/records).",
       std::to_string(ingest_requests.load()));
  Line(out, "headroom_ingest_gzip_requests_total", "counter",
       "Ingestion requests with Content-Encoding: gzip.", std::to_string(gzip_requests.load()));
  Line(out, "headroom_commits_total", "counter", "Group commits.", std::to_string(commits.load()));
  Line(out, "headroom_commit_failures_total", "counter", "Group commits that failed (5xx).",
       std::to_string(commit_failures.load()));
  Line(out, "headroom_clock_inputs_total", "counter",
       "Live-clock advances recorded in the input log.", std::to_string(clock_inputs.load()));
  Line(out, "headroom_queue_depth", "gauge", "Inputs waiting for the ingest thread.",
       std::to_string(queue_depth.load()));
  Line(out, "headroom_queue_capacity", "gauge", "server.max_queue.",
       std::to_string(queue_capacity.load()));
  Line(out, "headroom_engine_lag_seconds", "gauge",
       "How long the oldest request of the last commit waited for the engine.",
       Num(static_cast<double>(engine_lag_ms.load()) / 1000.0));
  Line(out, "headroom_engine_clock_seconds", "gauge", "The engine clock W (Unix seconds).",
       Num(static_cast<double>(engine_clock_ms.load()) / 1000.0));
  Line(out, "headroom_message_ids_recent", "gauge",
       "MessageIds kept in memory since the last run moved to disk.",
       std::to_string(message_ids_recent.load()));
  Line(out, "headroom_message_ids_stored", "gauge",
       "MessageIds in runs on disk (behind the in-memory filter).",
       std::to_string(message_ids_stored.load()));
  Line(out, "headroom_message_id_memory_bytes", "gauge",
       "Heap bytes of the messageId tiers (recent set, newest run, filter).",
       std::to_string(message_id_memory_bytes.load()));
  Line(out, "headroom_message_id_disk_lookups_total", "counter",
       "MessageIds the filter could not rule out, looked up on disk.",
       std::to_string(message_id_disk_lookups.load()));
  Line(out, "headroom_engine_accounts", "gauge", "Accounts the engine holds.",
       std::to_string(engine_accounts.load()));
  Line(out, "headroom_engine_users", "gauge", "Users in the engine's directory.",
       std::to_string(engine_users.load()));
  Line(out, "headroom_engine_signals", "gauge", "Signals the engine holds (every state).",
       std::to_string(engine_signals.load()));
  Line(out, "headroom_engine_firings", "gauge", "Trigger episodes the engine holds.",
       std::to_string(engine_firings.load()));
  Line(out, "headroom_sqlite_memory_bytes", "gauge",
       "Heap bytes SQLite holds, every connection (sqlite3_memory_used).",
       std::to_string(Store::MemoryUsed()));
  const struct mallinfo2 heap = mallinfo2();
  Line(out, "headroom_heap_in_use_bytes", "gauge",
       "Heap bytes allocated and not freed (glibc mallinfo2: uordblks + hblkhd).",
       std::to_string(heap.uordblks + heap.hblkhd));
  Line(out, "headroom_heap_free_bytes", "gauge",
       "Heap bytes freed but kept by the allocator (glibc mallinfo2: fordblks).",
       std::to_string(heap.fordblks));
  commit_batch.Render("headroom_commit_batch_inputs", "Inputs per group commit.", out);
  evaluation_seconds.Render("headroom_evaluation_seconds",
                            "Engine time to apply and evaluate one request's inputs.", out);
  ack_seconds.Render("headroom_ingest_ack_seconds",
                     "Time from enqueue to durable acknowledgement of a request.", out);
  return out;
}

}  // namespace headroom::server
