// Plain HTTP request/response values passed between the Beast session layer
// (http_session.cc) and the router, so that no Beast type leaks into headers.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace headroom::server {

struct HttpRequest {
  std::string method;                        // "GET", "POST", ...
  std::string path;                          // "/v1/accounts/acme" (percent-decoded)
  std::map<std::string, std::string> query;  // decoded ?key=value pairs (last one wins)
  std::vector<std::pair<std::string, std::string>> query_list;  // every pair, in order
  std::map<std::string, std::string> headers;                   // lower-case names
  std::string body;                                             // as received (maybe gzipped)

  const std::string* Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? nullptr : &it->second;
  }
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers
};

// Completes a request; may be called from any thread, exactly once.
using Respond = std::function<void(HttpResponse)>;

// {"error": message} with `status` (and "success": false, as Segment answers).
HttpResponse JsonError(int status, const std::string& message);
// Percent-decodes a URL component ('+' stays '+' in paths, becomes ' ' in queries).
std::string PercentDecode(std::string_view in, bool plus_is_space);
// Splits "a/b?x=1&y=2" into path and decoded query pairs (`all`, when given,
// receives every pair in order, repeated keys included).
void SplitTarget(std::string_view target, std::string& path,
                 std::map<std::string, std::string>& query,
                 std::vector<std::pair<std::string, std::string>>* all = nullptr);

}  // namespace headroom::server
