#include "server/ingest_endpoint.h"

#include <nlohmann/json.hpp>

#include "server/gzip.h"

namespace headroom::server {

using nlohmann::json;

namespace {

constexpr size_t kMaxBodyDepth = 64 + 2;  // a message's 64 levels inside {"batch": [...]}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// True when objects/arrays nest deeper than `limit` (strings are skipped), so
// that no recursive code ever sees a hostile depth.
bool TooDeep(std::string_view text, size_t limit) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > limit) return true;
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return false;
}

// At most `max` bytes of a header value for an error message, every byte that
// is not printable ASCII as '?': the JSON dump of the message throws on invalid
// UTF-8 (found by tests/fuzz/fuzz_http_ingest; regressions/fuzz_http_ingest/).
std::string Printable(std::string_view s, size_t max) {
  std::string out(s.substr(0, max));
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) c = '?';
  }
  return out;
}

bool IsBlank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// The 400 message for an exception of json::parse. Besides parse_error it
// throws out_of_range for a number beyond double ("1e999"; found by
// tests/fuzz/fuzz_http_ingest, it used to escape the handler); the wording is
// the input parser's (docs/INPUT.md).
std::string ParseErrorMessage(const json::exception& e) {
  if (dynamic_cast<const json::out_of_range*>(&e))
    return "body: not valid JSON (a number is malformed or out of range)";
  const std::string what = e.what();
  return what.find("UTF-8") != std::string::npos ? "body: invalid UTF-8" : "body: not valid JSON";
}

// Parses a request body as JSON; on failure fills `error` (400, "body: ...").
bool ParseBody(const std::string& body, json& out, HttpResponse& error) {
  if (IsBlank(body)) {
    error = JsonError(400, "body: empty");
    return false;
  }
  if (TooDeep(body, kMaxBodyDepth)) {
    error = JsonError(400, "body: nested too deeply");
    return false;
  }
  try {
    out = json::parse(body);
  } catch (const json::exception& e) {
    error = JsonError(400, ParseErrorMessage(e));
    return false;
  }
  if (!out.is_object()) {
    error = JsonError(400, "body: must be a JSON object");
    return false;
  }
  return true;
}

std::optional<TimeMs> TimeField(const json& m, const char* key, bool* bad = nullptr) {
  auto it = m.find(key);
  if (it == m.end() || it->is_null()) return std::nullopt;
  std::optional<TimeMs> t;
  if (it->is_string()) t = ParseIsoTime(it->get_ref<const std::string&>());
  if (!t && bad) *bad = true;
  return t;
}

// Applies the clock-skew correction to one message object; returns a
// rejection reason ("sentAt: ...") or "".
std::string CorrectSkew(json& m, const json* batch_sent_at, TimeMs received_at) {
  bool bad_sent = false;
  std::optional<TimeMs> sent = TimeField(m, "sentAt", &bad_sent);
  if (bad_sent) return "sentAt: not an ISO-8601 time";
  if (!sent && !m.contains("sentAt") && batch_sent_at && !batch_sent_at->is_null()) {
    if (batch_sent_at->is_string())
      sent = ParseIsoTime(batch_sent_at->get_ref<const std::string&>());
    if (!sent) return "sentAt: not an ISO-8601 time";
  }
  if (!sent) return "";
  bool bad_timestamp = false;
  const std::optional<TimeMs> timestamp = TimeField(m, "timestamp", &bad_timestamp);
  if (bad_timestamp) return "";  // the parser reports the bad timestamp
  const std::optional<TimeMs> original = TimeField(m, "originalTimestamp");
  const std::optional<TimeMs> client_time = original ? original : timestamp;
  if (!client_time) return "";  // the parser reports the missing time
  m["timestamp"] = FormatIsoTime(SkewCorrected(received_at, *sent, *client_time));
  return "";
}

HttpResponse Accepted(const IngestResult& result) {
  nlohmann::ordered_json body = {{"success", true}};
  if (!result.rejected.empty()) {
    nlohmann::ordered_json rejected = nlohmann::ordered_json::array();
    for (const auto& [index, error] : result.rejected)
      rejected.push_back({{"index", index}, {"error", error}});
    body["rejected"] = std::move(rejected);
  }
  HttpResponse r;
  r.body = body.dump();
  return r;
}

}  // namespace

TimeMs SkewCorrected(TimeMs received_at, TimeMs sent_at, TimeMs client_time) {
  return received_at - (sent_at - client_time);
}

bool DecodeBody(const HttpRequest& req, std::string& body, HttpResponse& error) {
  const std::string* encoding = req.Header("content-encoding");
  const std::string enc = encoding ? Lower(*encoding) : "";
  if (enc.empty() || enc == "identity") {
    body = req.body;
  } else if (enc == "gzip" || enc == "x-gzip" || enc == "deflate") {
    switch (Gunzip(req.body, kMaxRequestBytes, body)) {
      case GunzipStatus::kOk: break;
      case GunzipStatus::kTooLarge:
        error = JsonError(413, "body: larger than 500 KB (decompressed)");
        return false;
      case GunzipStatus::kCorrupt: error = JsonError(400, "body: not valid gzip"); return false;
    }
  } else {
    error = JsonError(415, "Content-Encoding: unsupported '" + Printable(*encoding, 40) + "'");
    return false;
  }
  if (body.size() > kMaxRequestBytes) {
    error = JsonError(413, "body: larger than 500 KB");
    return false;
  }
  return true;
}

bool PrepareSegmentJob(const HttpRequest& req, const std::string& type, const KeySet& write_keys,
                       TimeMs received_at, IngestJob& job, HttpResponse& error) {
  std::string text;
  if (!DecodeBody(req, text, error)) return false;
  json body;
  if (!ParseBody(text, body, error)) return false;

  // Write key: HTTP Basic user (empty password), or writeKey in the body.
  bool offered = false, authed = false;
  if (const std::string* authorization = req.Header("authorization")) {
    if (auto user = BasicUser(*authorization)) {
      offered = true;
      authed = write_keys.Contains(*user);
    }
  }
  if (!authed) {
    auto it = body.find("writeKey");
    if (it != body.end() && !it->is_null()) {
      offered = true;
      authed = it->is_string() && write_keys.Contains(it->get_ref<const std::string&>());
    }
  }
  if (!authed) {
    error =
        JsonError(401, offered ? "write key: unknown"
                               : "write key: required (HTTP Basic user or writeKey in the body)");
    return false;
  }

  std::vector<json> messages;
  json batch_sent_at;
  if (type == "batch") {
    auto it = body.find("batch");
    if (it == body.end() || !it->is_array()) {
      error = JsonError(400, "batch: must be an array of messages");
      return false;
    }
    if (it->size() > kMaxBatchMessages) {
      error = JsonError(400, "batch: more than 2500 messages");
      return false;
    }
    messages = std::move(it->get_ref<json::array_t&>());
    if (auto sent = body.find("sentAt"); sent != body.end()) batch_sent_at = *sent;
  } else {
    body["type"] = type;  // the endpoint names the type
    messages.push_back(std::move(body));
  }

  job = IngestJob{};
  job.received_at = received_at;
  job.items.reserve(messages.size());
  for (size_t i = 0; i < messages.size(); ++i) {
    IngestItem item;
    item.index = static_cast<int64_t>(i);
    json& m = messages[i];
    if (m.is_object()) {
      m.erase("writeKey");  // never store a credential
      item.reject = CorrectSkew(m, batch_sent_at.is_null() ? nullptr : &batch_sent_at, received_at);
    }
    item.text = m.dump();
    if (item.reject.empty() && item.text.size() > kMaxMessageBytes)
      item.reject = "message: larger than 32 KB";
    job.items.push_back(std::move(item));
  }
  return true;
}

bool PrepareRecordsJob(const HttpRequest& req, TimeMs received_at, IngestJob& job,
                       HttpResponse& error) {
  std::string text;
  if (!DecodeBody(req, text, error)) return false;
  if (IsBlank(text)) {
    error = JsonError(400, "body: empty");
    return false;
  }
  job = IngestJob{};
  job.records = true;
  job.received_at = received_at;
  // A leading BOM, then whitespace: a body of only those is empty (a body of
  // BOM bytes used to index past its end; regressions/fuzz_http_ingest/).
  std::string_view rest(text);
  if (rest.substr(0, 3) == "\xEF\xBB\xBF") rest.remove_prefix(3);
  const size_t first = rest.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) {
    error = JsonError(400, "body: empty");
    return false;
  }
  if (rest[first] == '[') {
    if (TooDeep(text, kMaxBodyDepth - 1)) {
      error = JsonError(400, "body: nested too deeply");
      return false;
    }
    json array;
    try {
      array = json::parse(text);
    } catch (const json::exception& e) {
      error = JsonError(400, ParseErrorMessage(e));
      return false;
    }
    for (size_t i = 0; i < array.size(); ++i) {
      IngestItem item;
      item.index = static_cast<int64_t>(i);
      item.text = array[i].dump();
      job.items.push_back(std::move(item));
    }
  } else {  // NDJSON: one record a line; blank lines are skipped but counted
    size_t start = 0;
    int64_t line = 0;
    while (start <= text.size()) {
      size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string_view l(text.data() + start, end - start);
      if (!IsBlank(l)) {
        IngestItem item;
        item.index = line;
        item.text = std::string(l);
        job.items.push_back(std::move(item));
      }
      ++line;
      start = end + 1;
    }
  }
  for (IngestItem& item : job.items)
    if (item.text.size() > kMaxMessageBytes) item.reject = "record: larger than 32 KB";
  return true;
}

namespace {
TimeMs WallClockMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}
}  // namespace

void IngestEndpoint::Segment(const HttpRequest& req, const std::string& type,
                             const Respond& respond) {
  const TimeMs received_at = WallClockMs();
  metrics_.ingest_requests++;
  if (const std::string* enc = req.Header("content-encoding"); enc && Lower(*enc) == "gzip")
    metrics_.gzip_requests++;
  IngestJob job;
  HttpResponse error;
  if (!PrepareSegmentJob(req, type, write_keys_, received_at, job, error))
    return respond(std::move(error));
  Submit(std::move(job), respond);
}

void IngestEndpoint::Records(const HttpRequest& req, const Respond& respond) {
  metrics_.ingest_requests++;
  IngestJob job;
  HttpResponse error;
  if (!PrepareRecordsJob(req, WallClockMs(), job, error)) return respond(std::move(error));
  Submit(std::move(job), respond);
}

void IngestEndpoint::Submit(IngestJob job, const Respond& respond) {
  if (job.items.empty()) return respond(Accepted({}));
  job.done = [respond](IngestResult result) {
    if (!result.ok) {
      HttpResponse r = JsonError(503, result.error);
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    respond(Accepted(result));
  };
  switch (service_.Submit(std::move(job))) {
    case IngestService::Submitted::kQueued: return;
    case IngestService::Submitted::kFull: {
      metrics_.requests_429++;
      HttpResponse r = JsonError(429, "queue: full, retry later");
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
    case IngestService::Submitted::kStopping: {
      HttpResponse r = JsonError(503, "server: shutting down, retry later");
      r.headers.emplace_back("Retry-After", "1");
      return respond(std::move(r));
    }
  }
}

}  // namespace headroom::server
