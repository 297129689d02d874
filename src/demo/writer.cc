#include "demo/writer.h"

#include <cinttypes>
#include <cmath>
#include <cstdio>

namespace headroom::demo {

void AppendEscaped(std::string& out, std::string_view text) {
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

JsonLine& JsonLine::Time(std::string_view key, TimeMs t) { return Str(key, FormatIsoTime(t)); }

JsonLine& JsonLine::Num(std::string_view key, double value) {
  Key(key);
  if (std::nearbyint(value) == value && std::fabs(value) < 1e15) {
    s_ += std::to_string(static_cast<int64_t>(value));
  } else {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.2f", value);
    s_ += buf;
  }
  return *this;
}

JsonLine& JsonLine::Int(std::string_view key, int64_t value) {
  Key(key);
  s_ += std::to_string(value);
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

std::string TrackLine(std::string_view message_id, std::string_view user_id, bool anonymous,
                      std::string_view account_id, std::string_view event, TimeMs at,
                      std::string_view props) {
  std::string s;
  s.reserve(200 + props.size());
  s += R"({"type":"track","messageId":")";
  s += message_id;
  s += anonymous ? R"(","anonymousId":")" : R"(","userId":")";
  s += user_id;
  s += R"(","event":")";
  AppendEscaped(s, event);
  s += '"';
  if (!props.empty()) {
    s += R"(,"properties":{)";
    s += props;
    s += '}';
  }
  s += R"(,"context":{"groupId":")";
  s += account_id;
  s += R"("},"timestamp":")";
  s += FormatIsoTime(at);
  s += "\"}";
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
  s += FormatIsoTime(at);
  s += "\"}";
  return s;
}

}  // namespace headroom::demo
