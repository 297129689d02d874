#include "demo/writer.h"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace headroom::demo {

namespace {

bool NeedsEscape(char c) { return c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20; }

// Two decimal digits of 0 <= v < 100.
void Append2(char* p, int v) {
  p[0] = static_cast<char>('0' + v / 10);
  p[1] = static_cast<char>('0' + v % 10);
}

}  // namespace

void AppendEscaped(std::string& out, std::string_view text) {
  if (std::none_of(text.begin(), text.end(), NeedsEscape)) {
    out += text;  // the generator's own strings: the common case
    return;
  }
  for (const char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
}

void AppendIsoTime(std::string& out, TimeMs t) {
  // The date part only changes once a day: remember the last one.
  thread_local Day cached_day = std::numeric_limits<Day>::min();
  thread_local char date[16];
  const Day d = DayOf(t);
  int y = 0;
  if (d != cached_day) {
    unsigned m = 0, dd = 0;
    CivilFromDays(d, y, m, dd);
    if (y < 0 || y > 9999) {  // outside what the fast path writes: the reference
      out += FormatIsoTime(t);
      return;
    }
    Append2(date, y / 100);
    Append2(date + 2, y % 100);
    date[4] = '-';
    Append2(date + 5, static_cast<int>(m));
    date[7] = '-';
    Append2(date + 8, static_cast<int>(dd));
    date[10] = 'T';
    cached_day = d;
  }
  const TimeMs rem = t - DayStart(d);
  char buf[24];
  std::memcpy(buf, date, 11);
  Append2(buf + 11, static_cast<int>(rem / kMsPerHour));
  buf[13] = ':';
  Append2(buf + 14, static_cast<int>(rem / 60'000 % 60));
  buf[16] = ':';
  Append2(buf + 17, static_cast<int>(rem / 1000 % 60));
  buf[19] = '.';
  const int ms = static_cast<int>(rem % 1000);
  buf[20] = static_cast<char>('0' + ms / 100);
  Append2(buf + 21, ms % 100);
  buf[23] = 'Z';
  out.append(buf, 24);
}

void AppendInt(std::string& out, int64_t value) {
  char buf[24];
  const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, static_cast<size_t>(end - buf));
}

void JsonLine::Key(std::string_view key) {
  if (!first_) s_ += ',';
  first_ = false;
  s_ += '"';
  AppendEscaped(s_, key);
  s_ += "\":";
}

JsonLine& JsonLine::Str(std::string_view key, std::string_view value) {
  Key(key);
  s_ += '"';
  AppendEscaped(s_, value);
  s_ += '"';
  return *this;
}

JsonLine& JsonLine::Time(std::string_view key, TimeMs t) {
  Key(key);
  s_ += '"';
  AppendIsoTime(s_, t);
  s_ += '"';
  return *this;
}

JsonLine& JsonLine::Num(std::string_view key, double value) {
  Key(key);
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) {
    AppendInt(s_, static_cast<int64_t>(value));
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", value);
    s_ += buf;
  }
  return *this;
}

JsonLine& JsonLine::Int(std::string_view key, int64_t value) {
  Key(key);
  AppendInt(s_, value);
  return *this;
}

JsonLine& JsonLine::Bool(std::string_view key, bool value) {
  Key(key);
  s_ += value ? "true" : "false";
  return *this;
}

JsonLine& JsonLine::Null(std::string_view key) {
  Key(key);
  s_ += "null";
  return *this;
}

JsonLine& JsonLine::Begin(std::string_view key) {
  Key(key);
  s_ += '{';
  first_ = true;
  return *this;
}

JsonLine& JsonLine::End() {
  s_ += '}';
  first_ = false;
  return *this;
}

std::string JsonLine::Done() {
  s_ += '}';
  return std::move(s_);
}

namespace {

// {"type":"track","messageId":…,"userId"|"anonymousId":…,"event":"…"  (then the
// caller's ,"properties":{…} if any, then TrackTail).
void TrackHead(std::string& s, std::string_view message_id, std::string_view user_id,
               bool anonymous, std::string_view event) {
  s += R"({"type":"track","messageId":")";
  s += message_id;
  s += anonymous ? R"(","anonymousId":")" : R"(","userId":")";
  s += user_id;
  s += R"(","event":")";
  AppendEscaped(s, event);
  s += '"';
}

void TrackTail(std::string& s, std::string_view account_id, TimeMs at) {
  s += R"(,"context":{"groupId":")";
  s += account_id;
  s += R"("},"timestamp":")";
  AppendIsoTime(s, at);
  s += "\"}";
}

}  // namespace

std::string TrackLine(std::string_view message_id, std::string_view user_id, bool anonymous,
                      std::string_view account_id, std::string_view event, TimeMs at,
                      std::string_view props) {
  std::string s;
  s.reserve(200 + props.size());
  TrackHead(s, message_id, user_id, anonymous, event);
  if (!props.empty()) {
    s += R"(,"properties":{)";
    s += props;
    s += '}';
  }
  TrackTail(s, account_id, at);
  return s;
}

std::string TrackLine(std::string_view message_id, std::string_view user_id, bool anonymous,
                      std::string_view account_id, std::string_view event, TimeMs at,
                      std::string_view key, std::string_view value) {
  std::string s;
  s.reserve(200 + key.size() + value.size());
  TrackHead(s, message_id, user_id, anonymous, event);
  s += R"(,"properties":{")";
  AppendEscaped(s, key);
  s += R"(":")";
  AppendEscaped(s, value);
  s += R"("})";
  TrackTail(s, account_id, at);
  return s;
}

std::string PageLine(std::string_view message_id, std::string_view user_id,
                     std::string_view account_id, std::string_view name, TimeMs at) {
  std::string s;
  s.reserve(200);
  s += R"({"type":"page","messageId":")";
  s += message_id;
  s += R"(","userId":")";
  s += user_id;
  s += R"(","name":")";
  AppendEscaped(s, name);
  s += R"(","context":{"groupId":")";
  s += account_id;
  s += R"("},"timestamp":")";
  AppendIsoTime(s, at);
  s += "\"}";
  return s;
}

}  // namespace headroom::demo
