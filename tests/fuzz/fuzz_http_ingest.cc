// libFuzzer target: the HTTP ingest path without sockets — the functions the
// /v1/batch, /v1/track, /v1/identify and /v1/records handlers run on the io
// thread (PrepareSegmentJob / PrepareRecordsJob in
// src/server/ingest_endpoint.h: gunzip with its cap, size limits, JSON, write
// key, batch split, clock-skew correction), then the Segment/record parser on
// every message, as the ingest thread does.
//
// Input: one flag byte, then the request body.
//   bits 0-1  Content-Encoding: 0 none; 1 gzip, the body is gzipped here first
//             (exercises decoding of valid streams); 2 gzip, the body is sent as
//             is (exercises the inflater on hostile bytes); 3 the body's next
//             line is the header's value (any bytes), the rest is the body.
//   bits 2-3  endpoint: 0 /v1/batch, 1 /v1/track, 2 /v1/records, 3 /v1/identify.
//   bits 4-5  Authorization: 0 none; 1 "Basic" with the valid write key
//             "wk_fuzz"; 2 "Basic " + the body's first line (the rest is the body).
// Contract checked: nothing crashes or throws; a refused request gets a 4xx
// with a JSON error; an accepted one yields items whose text is at most 32 KB
// unless rejected. docs/FUZZING.md.
#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "input/parser.h"
#include "server/auth.h"
#include "server/ingest_endpoint.h"

namespace {

namespace srv = headroom::server;

// 2026-03-01T12:00:00Z: a fixed receive time keeps runs reproducible.
constexpr headroom::TimeMs kReceivedAt = 1772366400000;

std::string Gzip(std::string_view in) {
  z_stream zs{};
  if (deflateInit2(&zs, Z_BEST_SPEED, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    std::abort();
  std::string out(deflateBound(&zs, static_cast<uLong>(in.size())) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  if (deflate(&zs, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const srv::KeySet write_keys({"wk_fuzz"});
  static headroom::InputParser parser;
  const uint8_t flags = data[0];
  std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);

  srv::HttpRequest req;
  req.method = "POST";
  switch ((flags >> 4) & 3) {
    case 1: req.headers["authorization"] = "Basic d2tfZnV6ejo="; break;  // "wk_fuzz:"
    case 2: {
      const size_t nl = body.find('\n');
      const std::string_view credentials = body.substr(0, nl);
      req.headers["authorization"] = "Basic " + std::string(credentials);
      body = nl == std::string_view::npos ? std::string_view() : body.substr(nl + 1);
      break;
    }
    default: break;
  }
  switch (flags & 3) {
    case 0: req.body = std::string(body); break;
    case 1:
      req.headers["content-encoding"] = "gzip";
      req.body = Gzip(body);
      break;
    case 2:
      req.headers["content-encoding"] = "gzip";
      req.body = std::string(body);
      break;
    default: {
      const size_t nl = body.find('\n');
      req.headers["content-encoding"] = std::string(body.substr(0, nl));
      req.body = nl == std::string_view::npos ? std::string() : std::string(body.substr(nl + 1));
      break;
    }
  }

  srv::IngestJob job;
  srv::HttpResponse error;
  bool ok = false;
  const int endpoint = (flags >> 2) & 3;
  switch (endpoint) {
    case 0:
      req.path = "/v1/batch";
      ok = srv::PrepareSegmentJob(req, "batch", write_keys, kReceivedAt, job, error);
      break;
    case 1:
      req.path = "/v1/track";
      ok = srv::PrepareSegmentJob(req, "track", write_keys, kReceivedAt, job, error);
      break;
    case 2:
      req.path = "/v1/records";
      ok = srv::PrepareRecordsJob(req, kReceivedAt, job, error);
      break;
    default:
      req.path = "/v1/identify";
      ok = srv::PrepareSegmentJob(req, "identify", write_keys, kReceivedAt, job, error);
      break;
  }
  if (!ok) {
    if (error.status < 400 || error.status > 499 || error.body.empty()) std::abort();
    return 0;
  }
  if (job.records != (endpoint == 2) || job.received_at != kReceivedAt) std::abort();
  for (const srv::IngestItem& item : job.items) {
    if (!item.reject.empty()) continue;
    if (item.text.size() > srv::kMaxMessageBytes) std::abort();
    // What the ingest thread does next with each message.
    const headroom::Result<headroom::Input> parsed = parser.Parse(item.text);
    if (!parsed.ok() && parsed.error().rule.empty()) std::abort();
  }
  return 0;
}
