// The read API (SPEC 6.1, 6.3): GET /v1/accounts, /v1/accounts/{id},
// /v1/signals, /v1/signals/{id}, /v1/firings, /v1/quarantine. Each request
// borrows one read connection from a pool (one SQLite connection per reading
// thread at a time; WAL readers never block the ingest thread's writes) and
// returns the stored SPEC 6.3 documents. Query parameters are validated
// ("route: must be one of ae, csm, nurture, suppressed").
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/http_types.h"

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
  ReadEndpoints(ReaderPool& pool, const Config& config) : pool_(pool), config_(config) {}
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

 private:
  ReaderPool& pool_;
  const Config& config_;
};

}  // namespace headroom::server
