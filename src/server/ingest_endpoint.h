// The ingestion endpoints (SPEC 1.1, 1.3, 6.1):
//   POST /v1/track /v1/identify /v1/group /v1/page /v1/screen /v1/alias
//   POST /v1/batch (and its aliases /v1/import, /v1/import/)  — write key
//   POST /v1/records (JSON array or NDJSON)                    — bearer token
//
// Per request, on the io thread: gunzip when Content-Encoding: gzip (capped),
// size limits on the decompressed body (500 KB a request, 32 KB a message),
// JSON whatever the Content-Type, write-key check (HTTP Basic user or
// `writeKey` in the body), split into messages, Segment clock-skew correction
// (the corrected time is written into the stored message's `timestamp`, so a
// replay of the log reproduces it). Then one job goes to the IngestService and
// the response is sent once the job is committed.
//
// A Segment body is parsed once (simdjson DOM, full validation); a message's
// stored text is its own bytes from the body (whitespace between tokens
// removed), rewritten only where it must change: every `writeKey` member
// dropped, the single-message endpoint's `type` and a skew-corrected
// `timestamp` appended last in place of the members of that name. The stored
// text parses (input/parser.h, the last member winning when a key repeats) to
// the Input the old nlohmann::json parse-and-dump gave; the rare messages where
// the text alone cannot promise that are still dumped the old way
// (ingest_endpoint.cc says which).
#pragma once

#include <string>

#include "server/auth.h"
#include "server/http_types.h"
#include "server/ingest_service.h"
#include "server/metrics.h"

namespace headroom::server {

inline constexpr size_t kMaxRequestBytes = 500 * 1024;
inline constexpr size_t kMaxMessageBytes = 32 * 1024;
inline constexpr size_t kMaxBatchMessages = 2500;

class IngestEndpoint {
 public:
  IngestEndpoint(IngestService& service, const KeySet& write_keys, Metrics& metrics)
      : service_(service), write_keys_(write_keys), metrics_(metrics) {}

  // `type`: "track" ... "alias" for the single-message endpoints, "batch".
  void Segment(const HttpRequest& req, const std::string& type, const Respond& respond);
  // Authentication (bearer) is done by the router.
  void Records(const HttpRequest& req, const Respond& respond);

 private:
  void Submit(IngestJob job, const Respond& respond);

  IngestService& service_;
  const KeySet& write_keys_;
  Metrics& metrics_;
};

// The pure part of IngestEndpoint::Segment (no I/O, no clock; the fuzz target
// tests/fuzz/fuzz_http_ingest.cc drives it): decode the body, parse it, check the
// write key, split it into messages and correct clock skew against `received_at`.
// Returns false with the error response when the whole request is refused.
bool PrepareSegmentJob(const HttpRequest& req, const std::string& type, const KeySet& write_keys,
                       TimeMs received_at, IngestJob& job, HttpResponse& error);
// The pure part of IngestEndpoint::Records (authentication is the router's).
bool PrepareRecordsJob(const HttpRequest& req, TimeMs received_at, IngestJob& job,
                       HttpResponse& error);

// The decoded body (gunzipped when Content-Encoding says gzip), or the error
// response (413 over 500 KB, 400 bad gzip, 415 unknown encoding).
bool DecodeBody(const HttpRequest& req, std::string& body, HttpResponse& error);

// Segment clock-skew correction (SPEC 1.1), applied to one message's JSON text
// fields: returns the corrected time or nullopt when it does not apply.
//   timestamp = received_at - (sent_at - (originalTimestamp or timestamp))
TimeMs SkewCorrected(TimeMs received_at, TimeMs sent_at, TimeMs client_time);

}  // namespace headroom::server
