// Link-time stand-ins for fuzz_http_ingest, so that the target compiles only
// the request-decoding sources of src/server (ingest_endpoint.cc, gzip.cc,
// auth.cc) instead of the whole server with its Beast sessions, reports and
// delivery (an instrumented build of those takes most of an hour on 2 cores).
//  * JsonError: a verbatim copy of the one in src/server/router.cc (its JSON
//    dump is part of what is fuzzed: it throws on invalid UTF-8). Keep in sync.
//  * IngestService::Submit: never reached from PrepareSegmentJob /
//    PrepareRecordsJob; aborts if it ever is.
#include <cstdlib>
#include <nlohmann/json.hpp>

#include "server/http_types.h"
#include "server/ingest_service.h"

namespace headroom::server {

HttpResponse JsonError(int status, const std::string& message) {
  HttpResponse r;
  r.status = status;
  // Messages may echo request bytes (a path, a header): invalid UTF-8 becomes
  // U+FFFD instead of an exception from dump().
  r.body = nlohmann::json{{"error", message}}.dump(-1, ' ', false,
                                                   nlohmann::json::error_handler_t::replace);
  return r;
}

IngestService::Submitted IngestService::Submit(IngestJob) { std::abort(); }

}  // namespace headroom::server
