#include "server/read_endpoints.h"

#include <algorithm>
#include <chrono>

#include "delivery/api.h"
#include "engine/json.h"
#include "reports/backtest.h"
#include "reports/reports.h"

#include <charconv>
#include <optional>
#include <set>

#include <nlohmann/json.hpp>

#include "store/account_series.h"
#include "store/status.h"
#include "store/store.h"

namespace headroom::server {

using nlohmann::json;

ReaderPool::ReaderPool(std::string data_dir) : data_dir_(std::move(data_dir)) {}
ReaderPool::~ReaderPool() = default;

std::unique_ptr<Store> ReaderPool::Acquire() {
  {
    std::lock_guard lock(mu_);
    if (!free_.empty()) {
      auto s = std::move(free_.back());
      free_.pop_back();
      return s;
    }
  }
  return Store::Open(data_dir_, "normal");
}

void ReaderPool::Release(std::unique_ptr<Store> store) {
  std::lock_guard lock(mu_);
  free_.push_back(std::move(store));
}

namespace {

// Borrows a connection for one request; returns it unless the request threw.
class Lease {
 public:
  explicit Lease(ReaderPool& pool) : pool_(pool), store_(pool.Acquire()) {}
  ~Lease() {
    if (std::uncaught_exceptions() == 0) pool_.Release(std::move(store_));
  }
  Store* operator->() { return store_.get(); }
  Store* get() { return store_.get(); }

 private:
  ReaderPool& pool_;
  std::unique_ptr<Store> store_;
};

std::optional<std::string> Param(const HttpRequest& req, const std::string& name) {
  auto it = req.query.find(name);
  if (it == req.query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// Validates an enumerated parameter; fills `error` when invalid.
bool Enum(const HttpRequest& req, const std::string& name, const std::set<std::string>& allowed,
          const std::string& list, std::optional<std::string>& out, HttpResponse& error) {
  out = Param(req, name);
  if (out && !allowed.count(*out)) {
    error = JsonError(400, name + ": must be one of " + list);
    return false;
  }
  return true;
}

bool Limit(const HttpRequest& req, std::optional<int64_t>& out, HttpResponse& error) {
  const auto text = Param(req, "limit");
  if (!text) return true;
  int64_t v = 0;
  const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || p != text->data() + text->size() || v < 1) {
    error = JsonError(400, "limit: must be a positive integer");
    return false;
  }
  out = v;
  return true;
}

HttpResponse Json(const json& doc) {
  HttpResponse r;
  r.body = doc.dump();
  return r;
}

json Array(std::vector<json> docs) { return json(std::move(docs)); }

}  // namespace

HttpResponse ReadEndpoints::Accounts(const HttpRequest& req) {
  HttpResponse error;
  std::optional<std::string> route;
  std::optional<int64_t> limit;
  if (!Enum(req, "route", {"ae", "csm", "nurture", "suppressed"}, "ae, csm, nurture, suppressed",
            route, error) ||
      !Limit(req, limit, error))
    return error;
  if (const auto sort = Param(req, "sort"); sort && *sort != "-score")
    return JsonError(400, "sort: must be -score");
  Lease store(pool_);
  return Json(Array(store->Accounts(route, limit)));
}

HttpResponse ReadEndpoints::Account(const HttpRequest&, const std::string& id) {
  Lease store(pool_);
  auto doc = store->Account(id);
  if (!doc) return JsonError(404, "account '" + id + "' not found");
  return Json(*doc);
}

HttpResponse ReadEndpoints::Signals(const HttpRequest& req) {
  HttpResponse error;
  std::optional<std::string> status;
  if (!Enum(req, "status", {"open", "opportunity", "won", "lost", "expired", "suppressed"},
            "open, opportunity, won, lost, expired, suppressed", status, error))
    return error;
  Lease store(pool_);
  return Json(Array(store->Signals(status, Param(req, "owner"), Param(req, "account"))));
}

HttpResponse ReadEndpoints::Signal(const HttpRequest&, const std::string& id) {
  Lease store(pool_);
  auto doc = store->Signal(id);
  if (!doc) return JsonError(404, "signal '" + id + "' not found");
  return Json(*doc);
}

HttpResponse ReadEndpoints::Firings(const HttpRequest& req) {
  Lease store(pool_);
  return Json(Array(store->Firings(Param(req, "account"), Param(req, "trigger"))));
}

HttpResponse ReadEndpoints::Report(const HttpRequest& req, const std::string& name) {
  std::optional<int> horizon;
  if (const auto text = Param(req, "horizon")) {
    int v = 0;
    const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
    if (ec != std::errc() || p != text->data() + text->size() || v < 1)
      return JsonError(400, "horizon: must be a positive integer (days)");
    horizon = v;
  }
  const auto& names = reports::ReportNames();
  if (std::find(names.begin(), names.end(), name) == names.end())
    return JsonError(404, "report '" + name + "' not found");
  Lease store(pool_);
  return Json(
      reports::ComputeReport(name, reports::MakeReportContext(*store.get(), config_, horizon)));
}

namespace {
HttpResponse FromApi(const ApiResponse& r) {
  HttpResponse out;
  out.status = r.status;
  out.body = r.body.dump();
  return out;
}
}  // namespace

HttpResponse ReadEndpoints::WebhooksDead(const HttpRequest& req) {
  HttpResponse error;
  std::optional<int64_t> limit;
  if (!Limit(req, limit, error)) return error;
  Lease store(pool_);
  return FromApi(DeadLetters(*store.get(), limit.value_or(1000)));
}

HttpResponse ReadEndpoints::WebhooksRetry(const std::string& id) {
  Lease store(pool_);
  const TimeMs now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  return FromApi(RetryDead(*store.get(), id, now));
}

HttpResponse ReadEndpoints::WebhooksStats() {
  Lease store(pool_);
  return FromApi(Stats(*store.get(), config_));
}

HttpResponse ReadEndpoints::Quarantine(const HttpRequest& req) {
  HttpResponse error;
  std::optional<int64_t> limit;
  if (!Limit(req, limit, error)) return error;
  Lease store(pool_);
  return Json(Array(store->Quarantine(limit.value_or(1000))));
}

// --- Dashboard endpoints (issue 6) ---------------------------------------------

std::optional<TimeMs> ReadEndpoints::Clock() const {
  if (!metrics_.engine_clock_set.load()) return std::nullopt;
  return metrics_.engine_clock_ms.load();
}

HttpResponse ReadEndpoints::Status() {
  const auto w = Clock();
  Lease store(pool_);
  const StoreStatus s = ReadStoreStatus(*store.get());
  return Json({{"clock", TimeJson(w)},
               {"live_clock", live_clock_},
               {"inputs", s.inputs},
               {"accounts", s.accounts},
               {"open_signals", s.open_signals}});
}

HttpResponse ReadEndpoints::Series(const HttpRequest& req, const std::string& id) {
  int days = 90;
  if (const auto text = Param(req, "days")) {
    const auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), days);
    if (ec != std::errc() || p != text->data() + text->size() || days < 1 || days > 366)
      return JsonError(400, "days: must be an integer from 1 to 366");
  } else if (req.query.count("days")) {
    return JsonError(400, "days: must be an integer from 1 to 366");
  }
  const auto w = Clock();
  Lease store(pool_);
  if (!store->Account(id)) return JsonError(404, "account '" + id + "' not found");
  json out_days = json::array();
  json scores = json::array();
  std::vector<json> metric_values(config_.metrics.size(), json::array());
  if (w) {
    // The last `days` midnights up to the last one <= W, oldest first.
    const Day last = DayOf(*w);
    const Day first = last - days + 1;
    AccountSeries series(store->database());
    const auto points = series.Read(id, first, last);
    size_t next = 0;
    for (Day d = first; d <= last; ++d) {
      out_days.push_back(FormatIsoTime(DayStart(d)));
      if (next < points.size() && points[next].day == d) {
        const auto& point = points[next++];
        scores.push_back(NumberJson(point.score));
        const json metrics = json::parse(point.metrics, nullptr, false);
        for (size_t i = 0; i < config_.metrics.size(); ++i) {
          const auto it =
              metrics.is_object() ? metrics.find(config_.metrics[i].name) : metrics.end();
          metric_values[i].push_back(it != metrics.end() ? *it : json());
        }
      } else {
        scores.push_back(nullptr);
        for (auto& values : metric_values) values.push_back(nullptr);
      }
    }
  }
  json metrics = json::object();
  for (size_t i = 0; i < config_.metrics.size(); ++i)
    metrics[config_.metrics[i].name] = std::move(metric_values[i]);
  return Json({{"account_id", id}, {"days", out_days}, {"score", scores}, {"metrics", metrics}});
}

HttpResponse ReadEndpoints::Backtest(const HttpRequest& req) {
  // The CLI's parsing and error texts (reports/backtest.h), one implementation.
  const auto trigger = Param(req, "trigger");
  if (!trigger)
    return JsonError(400, "trigger: required (GET /v1/backtest?trigger=T&set=KEY=V1,V2)");
  std::vector<std::string> sets;
  for (const auto& [key, value] : req.query_list)
    if (key == "set") sets.push_back(value);
  std::string error;
  const auto grid = reports::ParseBacktestGrid(sets, error);
  if (!grid) return JsonError(400, error);
  if (grid->empty()) return JsonError(400, "set: at least one set=KEY=V1,V2,... is required");
  int horizon = config_.reports_horizon_days;
  if (const auto text = Param(req, "horizon")) {
    const auto h = reports::ParseHorizonDays(*text, error);
    if (!h) return JsonError(400, error);
    horizon = *h;
  }
  Lease store(pool_);
  try {
    return Json(reports::BacktestJson(
        reports::RunBacktest(*store.get(), config_, *trigger, *grid, horizon)));
  } catch (const std::invalid_argument& e) {
    return JsonError(400, e.what());
  }
}

}  // namespace headroom::server
