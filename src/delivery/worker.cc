#include "delivery/worker.h"

#include <chrono>
#include <cstdio>
#include <random>

#include "delivery/retry_policy.h"
#include "delivery/signing.h"

namespace headroom {

namespace {

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

}  // namespace

// One attempt in flight: the easy handle and everything it points to.
struct DeliveryWorker::Transfer {
  OutboxRow row;
  int endpoint_index = 0;
  CURL* easy = nullptr;
  curl_slist* headers = nullptr;
  char error[CURL_ERROR_SIZE] = {};
  ~Transfer() {
    if (easy) curl_easy_cleanup(easy);
    curl_slist_free_all(headers);
  }
};

DeliveryWorker::DeliveryWorker(const Config& config, std::unique_ptr<Store> store,
                               WorkerOptions options)
    : config_(config),
      store_(std::move(store)),
      outbox_(std::make_unique<Outbox>(store_->database())),
      options_(std::move(options)),
      endpoints_(EndpointsOf(config)) {
  // Never stall the delivery loop behind a long ingest transaction: outcomes
  // that cannot be recorded within 20 ms are kept and recorded next step.
  store_->database().Exec("PRAGMA busy_timeout = 20");
  static const bool curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)curl_ready;
  if (!options_.jitter) options_.jitter = UniformJitter(std::random_device{}());
  if (options_.max_in_flight < 1) options_.max_in_flight = 1;
  if (options_.max_per_endpoint < 1) options_.max_per_endpoint = 1;
  multi_ = curl_multi_init();
}

DeliveryWorker::~DeliveryWorker() {
  for (auto& [id, t] : transfers_) curl_multi_remove_handle(multi_, t->easy);
  transfers_.clear();
  try {
    FlushResults();
  } catch (const StoreError&) {
    // The rows stay pending: they are attempted again after restart.
  }
  curl_multi_cleanup(multi_);
}

void DeliveryWorker::Wake() { curl_multi_wakeup(multi_); }

int DeliveryWorker::StartDue() {
  int started = 0;
  const TimeMs now = options_.clock();
  // Start from a different endpoint each time, so the global cap is shared fairly.
  const size_t first = endpoints_.empty() ? 0 : rotation_++ % endpoints_.size();
  for (size_t i = 0; i < endpoints_.size(); ++i) {
    const Endpoint& ep = endpoints_[(first + i) % endpoints_.size()];
    const int busy = per_endpoint_[ep.index];
    const int room = std::min(options_.max_per_endpoint - busy,
                              options_.max_in_flight - static_cast<int>(transfers_.size()));
    if (room <= 0) continue;
    // Rows already in flight or awaiting their record come back first: skip them.
    auto due = outbox_->Due(ep.index, ep.config.url, now,
                            room + busy + static_cast<int64_t>(unrecorded_.size()));
    for (OutboxRow& row : due) {
      if (per_endpoint_[ep.index] >= options_.max_per_endpoint ||
          static_cast<int>(transfers_.size()) >= options_.max_in_flight)
        break;
      if (transfers_.count(row.id) || unrecorded_.count(row.id)) continue;
      Start(ep, std::move(row));
      ++started;
    }
  }
  return started;
}

void DeliveryWorker::Start(const Endpoint& ep, OutboxRow row) {
  auto t = std::make_unique<Transfer>();
  t->row = std::move(row);
  t->endpoint_index = ep.index;
  const int64_t timestamp = options_.clock() / 1000;
  auto add = [&](const std::string& h) { t->headers = curl_slist_append(t->headers, h.c_str()); };
  add("Content-Type: application/json");
  add("User-Agent: Headroom-Webhooks/1");
  add("Expect:");  // no 100-continue round trip
  add("webhook-id: " + t->row.webhook_id);
  add("webhook-timestamp: " + std::to_string(timestamp));
  if (ep.config.format == "json" && !ep.config.secret.empty()) {
    auto sig = SignWebhook(ep.config.secret, t->row.webhook_id, timestamp, t->row.body);
    if (sig.ok()) add("webhook-signature: " + *sig);
  }
  CURL* e = curl_easy_init();
  t->easy = e;
  const long timeout = static_cast<long>(config_.delivery.timeout);
  curl_easy_setopt(e, CURLOPT_URL, t->row.endpoint_url.c_str());
  curl_easy_setopt(e, CURLOPT_POST, 1L);
  curl_easy_setopt(e, CURLOPT_POSTFIELDS, t->row.body.data());
  curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(t->row.body.size()));
  curl_easy_setopt(e, CURLOPT_HTTPHEADER, t->headers);
  curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout);
  curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout);
  curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &Discard);
  curl_easy_setopt(e, CURLOPT_ERRORBUFFER, t->error);
  curl_easy_setopt(e, CURLOPT_PRIVATE, t.get());
  curl_multi_add_handle(multi_, e);
  ++per_endpoint_[ep.index];
  transfers_.emplace(t->row.id, std::move(t));
}

int DeliveryWorker::Collect() {
  int finished = 0;
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Transfer* t = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &t);
    AttemptResult r;
    r.id = t->row.id;
    r.at = options_.clock();
    if (msg->data.result == CURLE_OK) {
      long code = 0;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &code);
      r.status = static_cast<int>(code);
      r.ok = code >= 200 && code < 300;
      if (!r.ok) r.error = "HTTP " + std::to_string(code);
    } else {
      r.error = t->error[0] != '\0' ? std::string(t->error)
                                    : std::string(curl_easy_strerror(msg->data.result));
    }
    curl_multi_remove_handle(multi_, msg->easy_handle);
    --per_endpoint_[t->endpoint_index];
    unrecorded_.insert(r.id);
    results_.push_back(std::move(r));
    transfers_.erase(t->row.id);
    ++finished;
  }
  return finished;
}

void DeliveryWorker::FlushResults() {
  if (results_.empty()) return;
  Transaction txn(*store_);
  for (const AttemptResult& r : results_) {
    std::optional<TimeMs> next;
    if (!r.ok) {
      const auto row = outbox_->Get(r.id);
      const int attempts = (row ? row->attempts : 0) + 1;
      next = NextRetryDelay(config_.delivery.retry_delays, attempts, options_.jitter());
    }
    outbox_->Record(r, next);
  }
  txn.Commit();
  results_.clear();
  unrecorded_.clear();
}

void DeliveryWorker::TryFlushResults() {
  try {
    FlushResults();
  } catch (const StoreError& e) {
    // Store busy or failing: keep the outcomes (their rows are not started
    // again meanwhile) and try again next step.
    if (!warned_) std::fprintf(stderr, "headroom delivery: cannot record attempts: %s\n", e.what());
    warned_ = true;
    return;
  }
  warned_ = false;
}

DeliveryWorker::StepResult DeliveryWorker::Step(int wait_ms) {
  StepResult s;
  TryFlushResults();  // outcomes a busy store refused last time
  s.started = StartDue();
  int running = 0;
  curl_multi_perform(multi_, &running);
  s.finished = Collect();
  if (s.finished == 0) {
    curl_multi_poll(multi_, nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(multi_, &running);
    s.finished = Collect();
  }
  TryFlushResults();
  return s;
}

int DeliveryWorker::RunUntilIdle(int max_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(max_ms);
  int finished = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    const StepResult s = Step(20);
    finished += s.finished;
    if (s.started == 0 && s.finished == 0 && transfers_.empty() && results_.empty()) break;
  }
  return finished;
}

}  // namespace headroom
