// The routing table of `headroom serve` (SPEC 6.1) and the one place where
// authentication is decided per route:
//   none      /healthz, /metrics, and every other GET/HEAD path outside /v1:
//             the dashboard's files (server/static_files.h)
//   write key Segment endpoints (checked by IngestEndpoint: Basic or body)
//   bearer    everything under /v1 else
// Unknown path: 404; known path, wrong method: 405 with Allow. Every error is
// JSON {"error": "<field>: <rule>"}. A handler's exception becomes 503
// (transient), never a 4xx.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "server/auth.h"
#include "server/http_types.h"

namespace headroom::server {

class IngestEndpoint;
class ReadEndpoints;
class StaticFiles;
struct Metrics;

class Router {
 public:
  Router(IngestEndpoint& ingest, ReadEndpoints& reads, Metrics& metrics, const KeySet& api_tokens,
         const StaticFiles& files);
  void Handle(const HttpRequest& req, const Respond& respond) const;

  enum class Auth { kNone, kWriteKey, kBearer };
  // Path segments of the {placeholders}, in order.
  using Params = std::vector<std::string>;
  using Handler = std::function<void(const HttpRequest&, const Params&, const Respond&)>;
  struct Route {
    std::string method;
    std::string pattern;  // "/v1/accounts/{id}"; a trailing "*" matches any rest
    Auth auth;
    Handler handler;
  };

 private:
  static bool Match(const std::string& pattern, const std::string& path, Params& params);

  std::vector<Route> routes_;
  const KeySet& api_tokens_;
  const StaticFiles& files_;
};

}  // namespace headroom::server
