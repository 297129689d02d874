// The read API (SPEC 6.1, 6.3): GET /v1/accounts, /v1/accounts/{id},
// /v1/signals, /v1/signals/{id}, /v1/firings, /v1/quarantine. Each request
// borrows one read connection from a pool (one SQLite connection per reading
// thread at a time; WAL readers never block the ingest thread's writes) and
// returns the stored SPEC 6.3 documents. Query parameters are validated
// ("route: must be one of ae, csm, nurture, suppressed").
//
// Dashboard endpoints (issue 6, docs/API.md): GET /v1/status (clock W, counts),
// GET /v1/accounts/{id}/series (store/account_series.h), GET /v1/backtest (the
// CLI's backtest, run synchronously on the calling io thread).
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "server/http_types.h"
#include "server/metrics.h"

namespace headroom {
class Store;
struct Config;
}  // namespace headroom

namespace headroom::server {

class ReaderPool {
 public:
  explicit ReaderPool(std::string data_dir);
  ~ReaderPool();
  std::unique_ptr<Store> Acquire();
  void Release(std::unique_ptr<Store> store);

 private:
  std::string data_dir_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Store>> free_;
};

class ReadEndpoints {
 public:
  // `metrics` supplies the engine clock W (set by the ingest thread).
  ReadEndpoints(ReaderPool& pool, const Config& config, const Metrics& metrics, bool live_clock)
      : pool_(pool), config_(config), metrics_(metrics), live_clock_(live_clock) {}
  HttpResponse Accounts(const HttpRequest& req);
  HttpResponse Account(const HttpRequest& req, const std::string& id);
  HttpResponse Signals(const HttpRequest& req);
  HttpResponse Signal(const HttpRequest& req, const std::string& id);
  HttpResponse Firings(const HttpRequest& req);
  HttpResponse Quarantine(const HttpRequest& req);
  // GET /v1/reports/{name}?horizon=D (SPEC 4).
  HttpResponse Report(const HttpRequest& req, const std::string& name);
  // GET /v1/webhooks/dead, POST /v1/webhooks/dead/{id}/retry, GET /v1/webhooks/stats.
  HttpResponse WebhooksDead(const HttpRequest& req);
  HttpResponse WebhooksRetry(const std::string& id);
  HttpResponse WebhooksStats();
  // GET /v1/status, /v1/accounts/{id}/series?days=N, /v1/backtest?trigger=&set=&horizon=.
  HttpResponse Status();
  HttpResponse Series(const HttpRequest& req, const std::string& id);
  HttpResponse Backtest(const HttpRequest& req);

 private:
  std::optional<TimeMs> Clock() const;

  ReaderPool& pool_;
  const Config& config_;
  const Metrics& metrics_;
  bool live_clock_;
};

}  // namespace headroom::server
