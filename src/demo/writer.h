// NDJSON line builders for the demo generator: Segment messages and SPEC 1.2
// records in the exact shapes of docs/INPUT.md. Strings passed in are the
// generator's own (names, ids, enum values): they are JSON-escaped anyway.
// Times are UTC ms, written as ISO-8601 with milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/time.h"

namespace headroom::demo {

// Builds one JSON object incrementally: Obj().Str("type","track").Num(...).Done().
class JsonLine {
 public:
  JsonLine() {
    s_.reserve(256);
    s_ += '{';
  }
  JsonLine& Str(std::string_view key, std::string_view value);
  JsonLine& Time(std::string_view key, TimeMs t);
  JsonLine& Num(std::string_view key, double value);
  JsonLine& Int(std::string_view key, int64_t value);
  JsonLine& Bool(std::string_view key, bool value);
  JsonLine& Null(std::string_view key);
  // A nested object: Begin("traits") ... End().
  JsonLine& Begin(std::string_view key);
  JsonLine& End();
  std::string Done();

 private:
  void Key(std::string_view key);
  std::string s_;
  bool first_ = true;
};

// Appends `text` JSON-escaped (without quotes) to `out`.
void AppendEscaped(std::string& out, std::string_view text);

// Appends `t` exactly as FormatIsoTime(t) writes it ("2025-12-01T14:30:00.000Z"),
// without formatting through printf (the generator writes ~2 times per line).
void AppendIsoTime(std::string& out, TimeMs t);

// Appends the decimal digits of `value`.
void AppendInt(std::string& out, int64_t value);

// A track call attributed explicitly (context.groupId); `props` is the
// already-built content of `properties` (e.g. R"("feature":"reports")"), may be empty.
std::string TrackLine(std::string_view message_id, std::string_view user_id, bool anonymous,
                      std::string_view account_id, std::string_view event, TimeMs at,
                      std::string_view props);
// The same with one string property: "properties":{"<key>":"<value>"} (both escaped).
std::string TrackLine(std::string_view message_id, std::string_view user_id, bool anonymous,
                      std::string_view account_id, std::string_view event, TimeMs at,
                      std::string_view key, std::string_view value);
std::string PageLine(std::string_view message_id, std::string_view user_id,
                     std::string_view account_id, std::string_view name, TimeMs at);

}  // namespace headroom::demo
