#include "server/router.h"

#include <nlohmann/json.hpp>

#include "server/ingest_endpoint.h"
#include "server/metrics.h"
#include "server/read_endpoints.h"
#include "server/static_files.h"

namespace headroom::server {

namespace {

HttpResponse Ok(std::string content_type, std::string body) {
  HttpResponse r;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// Wraps a synchronous handler: its exceptions are transient store problems.
Router::Handler Sync(std::function<HttpResponse(const HttpRequest&, const Router::Params&)> fn) {
  return [fn = std::move(fn)](const HttpRequest& req, const Router::Params& params,
                              const Respond& respond) { respond(fn(req, params)); };
}

}  // namespace

Router::Router(IngestEndpoint& ingest, ReadEndpoints& reads, Metrics& metrics,
               const KeySet& api_tokens, const StaticFiles& files)
    : api_tokens_(api_tokens), files_(files) {
  auto segment = [&ingest](std::string type) -> Handler {
    return [&ingest, type](const HttpRequest& req, const Params&, const Respond& respond) {
      ingest.Segment(req, type, respond);
    };
  };
  routes_ = {
      // --- Segment-compatible ingestion (SPEC 1.1) ---------------------------
      {"POST", "/v1/track", Auth::kWriteKey, segment("track")},
      {"POST", "/v1/identify", Auth::kWriteKey, segment("identify")},
      {"POST", "/v1/group", Auth::kWriteKey, segment("group")},
      {"POST", "/v1/page", Auth::kWriteKey, segment("page")},
      {"POST", "/v1/screen", Auth::kWriteKey, segment("screen")},
      {"POST", "/v1/alias", Auth::kWriteKey, segment("alias")},
      {"POST", "/v1/batch", Auth::kWriteKey, segment("batch")},
      {"POST", "/v1/import", Auth::kWriteKey, segment("batch")},
      {"POST", "/v1/import/", Auth::kWriteKey, segment("batch")},
      // --- Business records (SPEC 1.2) ------------------------------------------
      {"POST", "/v1/records", Auth::kBearer,
       [&ingest](const HttpRequest& req, const Params&, const Respond& respond) {
         ingest.Records(req, respond);
       }},
      // --- Reads (SPEC 6.3) --------------------------------------------------------
      {"GET", "/v1/accounts", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.Accounts(req); })},
      {"GET", "/v1/accounts/{id}", Auth::kBearer,
       Sync(
           [&reads](const HttpRequest& req, const Params& p) { return reads.Account(req, p[0]); })},
      {"GET", "/v1/accounts/{id}/series", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params& p) { return reads.Series(req, p[0]); })},
      {"GET", "/v1/status", Auth::kBearer,
       Sync([&reads](const HttpRequest&, const Params&) { return reads.Status(); })},
      {"GET", "/v1/backtest", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.Backtest(req); })},
      {"GET", "/v1/signals", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.Signals(req); })},
      {"GET", "/v1/signals/{id}", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params& p) { return reads.Signal(req, p[0]); })},
      {"GET", "/v1/firings", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.Firings(req); })},
      {"GET", "/v1/quarantine", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.Quarantine(req); })},
      // --- Reports (SPEC 4) and webhook outbox (SPEC 5) ----------------------
      {"GET", "/v1/reports/{name}", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params& p) { return reads.Report(req, p[0]); })},
      {"GET", "/v1/webhooks/dead", Auth::kBearer,
       Sync([&reads](const HttpRequest& req, const Params&) { return reads.WebhooksDead(req); })},
      {"POST", "/v1/webhooks/dead/{id}/retry", Auth::kBearer,
       Sync([&reads](const HttpRequest&, const Params& p) { return reads.WebhooksRetry(p[0]); })},
      {"GET", "/v1/webhooks/stats", Auth::kBearer,
       Sync([&reads](const HttpRequest&, const Params&) { return reads.WebhooksStats(); })},
      // --- Unauthenticated: liveness, metrics, dashboard ---------------------------
      {"GET", "/healthz", Auth::kNone, Sync([](const HttpRequest&, const Params&) {
         return Ok("application/json", R"({"ok":true})");
       })},
      {"GET", "/metrics", Auth::kNone, Sync([&metrics](const HttpRequest&, const Params&) {
         return Ok("text/plain; version=0.0.4", metrics.Render());
       })},
  };
}

bool Router::Match(const std::string& pattern, const std::string& path, Params& params) {
  params.clear();
  size_t p = 0, s = 0;
  while (p < pattern.size()) {
    if (pattern[p] == '{') {
      const size_t close = pattern.find('}', p);
      size_t end = path.find('/', s);
      if (end == std::string::npos) end = path.size();
      if (end == s) return false;  // an empty id
      params.push_back(path.substr(s, end - s));
      p = close + 1;
      s = end;
      continue;
    }
    if (s >= path.size() || pattern[p] != path[s]) return false;
    ++p;
    ++s;
  }
  return s == path.size();
}

void Router::Handle(const HttpRequest& req, const Respond& respond) const {
  Params params;
  std::string allowed;
  for (const Route& route : routes_) {
    if (!Match(route.pattern, req.path, params)) continue;
    if (route.method != req.method && !(route.method == "GET" && req.method == "HEAD")) {
      if (allowed.find(route.method) == std::string::npos)
        allowed += (allowed.empty() ? "" : ", ") + route.method;
      continue;
    }
    if (route.auth == Auth::kBearer) {
      const std::string* authorization = req.Header("authorization");
      const auto token = authorization ? BearerToken(*authorization) : std::nullopt;
      if (!token) return respond(JsonError(401, "token: required (Authorization: Bearer <token>)"));
      if (!api_tokens_.Contains(*token)) return respond(JsonError(401, "token: unknown"));
    }
    try {
      route.handler(req, params, respond);
    } catch (const std::exception&) {
      HttpResponse r = JsonError(503, "store: temporarily unavailable, retry");
      r.headers.emplace_back("Retry-After", "1");
      respond(std::move(r));
    }
    return;
  }
  if (!allowed.empty()) {
    HttpResponse r = JsonError(405, "method: " + req.method + " not allowed on " + req.path);
    r.headers.emplace_back("Allow", allowed);
    return respond(std::move(r));
  }
  // The dashboard: every other GET/HEAD outside /v1 is a file of the web root.
  if ((req.method == "GET" || req.method == "HEAD") && req.path != "/v1" &&
      req.path.rfind("/v1/", 0) != 0) {
    try {
      if (auto file = files_.Serve(req.path)) return respond(std::move(*file));
    } catch (const std::exception&) {
      return respond(JsonError(503, "file: temporarily unavailable, retry"));
    }
  }
  respond(JsonError(404, "path: unknown '" + req.path.substr(0, 200) + "'"));
}

HttpResponse JsonError(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  // Messages may echo request bytes (a path, a header): invalid UTF-8 becomes
  // U+FFFD instead of an exception from dump().
  r.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                   nlohmann::json::error_handler_t::replace);
  return r;
}

namespace {
int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string PercentDecode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%' && i + 2 < in.size() && HexValue(in[i + 1]) >= 0 && HexValue(in[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(in[i + 1]) * 16 + HexValue(in[i + 2]));
      i += 2;
    } else if (in[i] == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += in[i];
    }
  }
  return out;
}

void SplitTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query,
                 std::vector<std::pair<std::string, std::string>>* all) {
  const size_t q = target.find('?');
  path = PercentDecode(target.substr(0, q), false);
  query.clear();
  if (all) all->clear();
  if (q == std::string_view::npos) return;
  std::string_view rest = target.substr(q + 1);
  while (!rest.empty()) {
    const size_t amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    const size_t eq = pair.find('=');
    const std::string key = PercentDecode(pair.substr(0, eq), true);
    const std::string value =
        eq == std::string_view::npos ? "" : PercentDecode(pair.substr(eq + 1), true);
    if (!key.empty()) {
      query[key] = value;
      if (all) all->emplace_back(key, value);
    }
    if (amp == std::string_view::npos) break;
    rest.remove_prefix(amp + 1);
  }
}

}  // namespace headroom::server
