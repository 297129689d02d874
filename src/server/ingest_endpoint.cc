#include "server/ingest_endpoint.h"

#include <simdjson.h>

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

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

// ---- Segment bodies ----
//
// A body is parsed once with simdjson's DOM parser (full validation: grammar,
// UTF-8, escapes, numbers). A message's stored text is its own bytes from the
// body, rewritten only where it must change: `writeKey` members dropped, the
// endpoint's `type` (single-message endpoints) and a skew-corrected
// `timestamp` replacing every member of that name, appended last. The input
// parser reads the last member when a key repeats, as nlohmann::json (which
// this code used to parse and re-serialise every message with) kept it, so the
// stored text parses to the same Input. Exceptions, decided per message, take
// the old way (nlohmann::json parse, edit, dump) for exactly the old text:
//  * objects nested inside `properties` / `traits` values whose keys are not in
//    strictly increasing order: the parser keeps such values as their minified
//    JSON text (Value::Raw, compared by text), which the old dump had sorted
//    and freed of repeated keys;
//  * a text over kExactSizeAbove bytes: the 32 KB limit applies to the old
//    dump's size, which can differ (numbers re-spelled, repeated keys, escapes).
// Bodies simdjson refuses are parsed with nlohmann::json: its error message
// is the answer, and a body it accepts (a leading BOM, an integer beyond 64
// bits, both refused by simdjson) is re-serialised by it and then handled as
// above.

// A text up to this size dumps to at most 32 KB in the old way: a dump is never
// longer than the text but for numbers with a fraction or an exponent, which
// take 3 bytes or more ("1.5", "1e9") and dump to at most 24
// ("-1.2345678901234567e-308"): at most 8 times longer.
constexpr size_t kExactSizeAbove = kMaxMessageBytes / 8;

namespace dom = simdjson::dom;

// Extents in JSON text simdjson has validated (every string, array and object
// is closed); `end` only guards against reading past the text. A table of
// byte classes keeps the loops to one load and one test a byte.
enum ByteClass : uint8_t { kPlain = 0, kQuote, kBackslash, kOpen, kClose, kSpace, kDelimiter };

constexpr std::array<uint8_t, 256> kClasses = [] {
  std::array<uint8_t, 256> t{};
  t['"'] = kQuote;
  t['\\'] = kBackslash;
  t['{'] = t['['] = kOpen;
  t['}'] = t[']'] = kClose;
  t[' '] = t['\t'] = t['\n'] = t['\r'] = kSpace;
  t[','] = t[':'] = kDelimiter;
  return t;
}();

uint8_t ClassOf(char c) { return kClasses[static_cast<unsigned char>(c)]; }

const char* SkipSpace(const char* p, const char* end) {
  while (p < end && ClassOf(*p) == kSpace) ++p;
  return p;
}

// `p` at an opening quote: past the closing one.
const char* SkipString(const char* p, const char* end) {
  for (++p; p < end; p += 2) {  // past an escape's two bytes
    while (p < end && ClassOf(*p) != kQuote && ClassOf(*p) != kBackslash) ++p;
    if (p < end && *p == '"') return p + 1;
  }
  return end;
}

// `p` at a value's first byte: past its last. Sets `spaced` when whitespace
// occurs outside its strings.
const char* SkipValue(const char* p, const char* end, bool& spaced) {
  if (p >= end) return end;
  switch (ClassOf(*p)) {
    case kQuote: return SkipString(p, end);
    case kOpen: {
      size_t depth = 0;
      while (p < end) {
        switch (ClassOf(*p)) {
          case kQuote: p = SkipString(p, end); continue;
          case kOpen: ++depth; break;
          case kClose:
            if (--depth == 0) return p + 1;
            break;
          case kSpace: spaced = true; break;
          default: break;  // kPlain, kDelimiter (kBackslash only in strings)
        }
        ++p;
      }
      return end;
    }
    default:  // a number, true, false or null
      while (p < end && ClassOf(*p) == kPlain) ++p;
      return p;
  }
}

// One member of an object in the text: `"key": value`.
struct RawMember {
  const char* begin;
  const char* end;
};

// Like SkipValue, and when the value is an object, its members in `members`
// (cleared first); whitespace anywhere outside strings sets `spaced`.
const char* ScanValue(const char* p, const char* end, std::vector<RawMember>& members,
                      bool& spaced) {
  members.clear();
  if (p >= end || *p != '{') return SkipValue(p, end, spaced);
  const auto space = [&](const char* q) {
    const char* after = SkipSpace(q, end);
    if (after != q) spaced = true;
    return after;
  };
  p = space(p + 1);
  while (p < end && *p == '"') {
    const char* begin = p;
    p = space(SkipString(p, end));  // the key, then ':'
    p = space(p + 1);
    p = SkipValue(p, end, spaced);
    members.push_back({begin, p});
    p = space(p);
    if (p < end && *p == ',') p = space(p + 1);
  }
  return p < end ? p + 1 : end;  // past the '}'
}

// `p` at an object's '{': where the value of its member number `index` begins.
const char* RawMemberValue(const char* p, const char* end, size_t index) {
  bool spaced = false;
  p = SkipSpace(p + 1, end);
  for (size_t i = 0; p < end && *p != '}'; ++i) {
    p = SkipSpace(SkipString(p, end), end);  // the key, then ':'
    p = SkipSpace(p + 1, end);
    if (i == index) return p;
    p = SkipSpace(SkipValue(p, end, spaced), end);
    if (p < end && *p == ',') p = SkipSpace(p + 1, end);
  }
  return end;
}

// Minified JSON text (the bytes of a validated value, whitespace between
// tokens removed).
std::string Minified(std::string_view text) {
  std::string out(text.size(), '\0');
  size_t size = 0;
  if (simdjson::minify(text.data(), text.size(), out.data(), size)) return std::string(text);
  out.resize(size);
  return out;
}

// `"key":"value"` for strings that need no escaping (a type name).
void AppendMember(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  out += value;
  out += '"';
}

// True when every object in `e` has its keys in strictly increasing byte
// order (std::string's, nlohmann::json's object order).
bool KeysSorted(dom::element e) {
  switch (e.type()) {
    case dom::element_type::OBJECT: {
      std::string_view previous;
      bool first = true;
      const dom::object object = e.get_object().value_unsafe();
      for (dom::key_value_pair kv : object) {
        if (!first && !(previous < kv.key)) return false;
        first = false;
        previous = kv.key;
        if (!KeysSorted(kv.value)) return false;
      }
      return true;
    }
    case dom::element_type::ARRAY: {
      const dom::array array = e.get_array().value_unsafe();
      for (dom::element item : array)
        if (!KeysSorted(item)) return false;
      return true;
    }
    default: return true;
  }
}

// For `properties` / `traits`: its own members may come in any order (the
// parser reads them by name, the last one winning); the objects inside their
// values must be sorted (they become Value::Raw text).
bool NestedKeysSorted(dom::element e) {
  dom::object object;
  if (e.get_object().get(object)) return KeysSorted(e);
  for (dom::key_value_pair kv : object)
    if (!KeysSorted(kv.value)) return false;
  return true;
}

// A top-level field as clock-skew correction reads it.
struct Field {
  enum class Kind : uint8_t { kAbsent, kNull, kString, kOther };
  Kind kind = Kind::kAbsent;
  std::string_view text;  // kString

  static Field Of(dom::element e) {
    Field f;
    if (e.is_null()) {
      f.kind = Kind::kNull;
    } else if (!e.get_string().get(f.text)) {
      f.kind = Kind::kString;
    } else {
      f.kind = Kind::kOther;
    }
    return f;
  }
  bool absent() const { return kind == Kind::kAbsent; }
  bool null_or_absent() const { return kind == Kind::kAbsent || kind == Kind::kNull; }
};

// The time in a field: nullopt when absent or null, or (setting *bad) when
// not an ISO-8601 string.
std::optional<TimeMs> TimeField(const Field& f, bool* bad = nullptr) {
  if (f.null_or_absent()) return std::nullopt;
  std::optional<TimeMs> t;
  if (f.kind == Field::Kind::kString) t = ParseIsoTime(f.text);
  if (!t && bad) *bad = true;
  return t;
}

struct Skew {
  std::string reject;               // "sentAt: ..." or ""
  std::optional<TimeMs> timestamp;  // the corrected time to store, when it applies
};

// A batch's sentAt, read once for all its messages.
struct BatchSentAt {
  bool given = false;          // present and not null
  std::optional<TimeMs> time;  // when an ISO-8601 string
};

// The clock-skew correction of one message (SPEC 1.1), from its own sentAt
// (else the batch's), timestamp and originalTimestamp.
Skew CorrectSkew(const Field& sent_at, const Field& timestamp, const Field& original,
                 const BatchSentAt& batch_sent_at, TimeMs received_at) {
  Skew out;
  bool bad_sent = false;
  std::optional<TimeMs> sent = TimeField(sent_at, &bad_sent);
  if (bad_sent) {
    out.reject = "sentAt: not an ISO-8601 time";
    return out;
  }
  if (!sent && sent_at.absent() && batch_sent_at.given) {
    sent = batch_sent_at.time;
    if (!sent) {
      out.reject = "sentAt: not an ISO-8601 time";
      return out;
    }
  }
  if (!sent) return out;
  bool bad_timestamp = false;
  const std::optional<TimeMs> stamped = TimeField(timestamp, &bad_timestamp);
  if (bad_timestamp) return out;  // the parser reports the bad timestamp
  const std::optional<TimeMs> original_time = TimeField(original);
  const std::optional<TimeMs> client_time = original_time ? original_time : stamped;
  if (!client_time) return out;  // the parser reports the missing time
  out.timestamp = SkewCorrected(received_at, *sent, *client_time);
  return out;
}

// What every message of one request shares.
struct MessageContext {
  const std::string* type = nullptr;  // single-message endpoints: the type to store
  BatchSentAt batch_sent_at;
  TimeMs received_at = 0;
};

// The old way: nlohmann::json parse of the message's text, edit, dump.
std::string DumpedText(std::string_view raw, const MessageContext& ctx, const Skew& skew) {
  json m;
  try {
    m = json::parse(raw);
  } catch (const json::exception&) {
    return Minified(raw);  // not reached: simdjson accepted these bytes
  }
  if (m.is_object()) {
    m.erase("writeKey");  // never store a credential
    if (ctx.type) m["type"] = *ctx.type;
    if (skew.timestamp) m["timestamp"] = FormatIsoTime(*skew.timestamp);
  }
  return m.dump();
}

// One message: `m` and its bytes `raw` in the body (`spaced`: whitespace
// outside strings in them).
IngestItem PrepareMessage(dom::element m, std::string_view raw, bool spaced,
                          const std::vector<RawMember>& members, const MessageContext& ctx) {
  IngestItem item;
  Skew skew;
  bool dump = false;  // the old way for this message
  dom::object object;
  if (m.get_object().get(object)) {  // not an object: the parser rejects it
    item.text = spaced ? Minified(raw) : std::string(raw);
  } else {
    // One pass over the fields (the last one wins when a key repeats).
    bool write_key = false, sorted = true;
    Field sent_at, timestamp, original;
    for (dom::key_value_pair kv : object) {
      const std::string_view k = kv.key;
      if (k == "writeKey") {
        write_key = true;
      } else if (k == "sentAt") {
        sent_at = Field::Of(kv.value);
      } else if (k == "timestamp") {
        timestamp = Field::Of(kv.value);
      } else if (k == "originalTimestamp") {
        original = Field::Of(kv.value);
      } else if (k == "properties" || k == "traits") {
        sorted = sorted && NestedKeysSorted(kv.value);
      }
    }
    skew = CorrectSkew(sent_at, timestamp, original, ctx.batch_sent_at, ctx.received_at);
    item.reject = skew.reject;
    if (!sorted || members.size() != object.size()) {  // (the sizes always match)
      dump = true;
    } else if (!write_key && !ctx.type && !skew.timestamp) {
      item.text = spaced ? Minified(raw) : std::string(raw);
    } else {
      // Rewritten: the members but those dropped or replaced, then the new ones.
      std::string text;
      text.reserve(raw.size() + 48);
      text += '{';
      auto member = members.begin();  // the text's members, in the DOM's order
      for (dom::key_value_pair kv : object) {
        const RawMember raw_member = *member++;
        if (kv.key == "writeKey" || (ctx.type && kv.key == "type") ||
            (skew.timestamp && kv.key == "timestamp"))
          continue;  // never store a credential; replaced below
        if (text.size() > 1) text += ',';
        text.append(raw_member.begin, raw_member.end);
      }
      if (ctx.type) {
        if (text.size() > 1) text += ',';
        AppendMember(text, "type", *ctx.type);
      }
      if (skew.timestamp) {
        if (text.size() > 1) text += ',';
        text += "\"timestamp\":\"";
        text += FormatIsoTime(*skew.timestamp);
        text += '"';
      }
      text += '}';
      item.text = spaced ? Minified(text) : std::move(text);
    }
  }
  if (dump || item.text.size() > kExactSizeAbove) item.text = DumpedText(raw, ctx, skew);
  if (item.reject.empty() && item.text.size() > kMaxMessageBytes)
    item.reject = "message: larger than 32 KB";
  return item;
}

// The body's text without surrounding whitespace.
std::string_view Trimmed(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Parses a Segment body into `root` (simdjson DOM, the thread's parser); on
// failure fills `error` (400, "body: ...") as the old checks did: empty,
// nested too deeply, else nlohmann::json's verdict. A body that only
// nlohmann::json reads (a leading BOM, an integer beyond 64 bits) is replaced
// by its dump, which is parsed.
bool ParseBody(std::string& text, dom::element& root, HttpResponse& error) {
  thread_local dom::parser parser;
  // With max_depth kMaxBodyDepth, simdjson accepts at most kMaxBodyDepth - 1
  // levels of non-empty containers and an empty innermost one: never a body
  // TooDeep refuses, so TooDeep only runs when simdjson refuses.
  bool ready = parser.max_depth() == kMaxBodyDepth && parser.capacity() > 0;
  if (!ready) ready = parser.allocate(4096, kMaxBodyDepth) == simdjson::SUCCESS;
  if (ready && !parser.parse(text).get(root)) return true;
  if (IsBlank(text)) {
    error = JsonError(400, "body: empty");
    return false;
  }
  if (TooDeep(text, kMaxBodyDepth)) {
    error = JsonError(400, "body: nested too deeply");
    return false;
  }
  std::string dumped;
  try {
    dumped = json::parse(text).dump();
  } catch (const json::exception& e) {
    error = JsonError(400, ParseErrorMessage(e));
    return false;
  }
  text = std::move(dumped);
  // kMaxBodyDepth levels of non-empty containers are allowed.
  if (!parser.allocate(text.size(), kMaxBodyDepth + 1) && !parser.parse(text).get(root))
    return true;
  error = JsonError(400, "body: not valid JSON");  // not reached: simdjson reads nlohmann's dumps
  return false;
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
  dom::element root;
  if (!ParseBody(text, root, error)) return false;
  dom::object body;
  if (root.get_object().get(body)) {
    error = JsonError(400, "body: must be a JSON object");
    return false;
  }
  // The body's fields (the last one wins when a key repeats).
  std::optional<dom::element> body_write_key, batch, sent_at;
  size_t batch_member = 0, member = 0;  // the batch's position among the members
  for (dom::key_value_pair kv : body) {
    if (kv.key == "writeKey") {
      body_write_key = kv.value;
    } else if (kv.key == "batch") {
      batch = kv.value;
      batch_member = member;
    } else if (kv.key == "sentAt") {
      sent_at = kv.value;
    }
    ++member;
  }

  // Write key: HTTP Basic user (empty password), or writeKey in the body.
  bool offered = false, authed = false;
  if (const std::string* authorization = req.Header("authorization")) {
    if (auto user = BasicUser(*authorization)) {
      offered = true;
      authed = write_keys.Contains(*user);
    }
  }
  if (!authed && body_write_key && !body_write_key->is_null()) {
    offered = true;
    std::string_view key;
    authed = !body_write_key->get_string().get(key) && write_keys.Contains(key);
  }
  if (!authed) {
    error =
        JsonError(401, offered ? "write key: unknown"
                               : "write key: required (HTTP Basic user or writeKey in the body)");
    return false;
  }

  const std::string_view whole = Trimmed(text);
  const char* const end = whole.data() + whole.size();
  MessageContext ctx;
  ctx.received_at = received_at;
  job = IngestJob{};
  job.received_at = received_at;
  if (type == "batch") {
    dom::array messages;
    if (!batch || batch->get_array().get(messages)) {
      error = JsonError(400, "batch: must be an array of messages");
      return false;
    }
    if (messages.size() > kMaxBatchMessages) {
      error = JsonError(400, "batch: more than 2500 messages");
      return false;
    }
    if (sent_at && !sent_at->is_null()) {
      ctx.batch_sent_at.given = true;
      ctx.batch_sent_at.time = TimeField(Field::Of(*sent_at));
    }
    // The batch member's value in the text, then its elements beside the DOM's.
    const char* p = SkipSpace(RawMemberValue(whole.data(), end, batch_member) + 1, end);
    std::vector<RawMember> members;
    job.items.reserve(messages.size());
    for (dom::element message : messages) {
      const char* begin = p;
      bool spaced = false;
      p = ScanValue(p, end, members, spaced);
      job.items.push_back(
          PrepareMessage(message, std::string_view(begin, p - begin), spaced, members, ctx));
      job.items.back().index = static_cast<int64_t>(job.items.size() - 1);
      p = SkipSpace(p, end);
      if (p < end && *p == ',') p = SkipSpace(p + 1, end);
    }
  } else {
    ctx.type = &type;  // the endpoint names the type
    std::vector<RawMember> members;
    bool spaced = false;
    ScanValue(whole.data(), end, members, spaced);
    job.items.push_back(PrepareMessage(root, whole, spaced, members, ctx));
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
