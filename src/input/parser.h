// Input parser: one JSON object (an NDJSON line, or one message of an HTTP
// body) -> one validated headroom::Input (SPEC 1.1, 1.2, 3.7 rules 2 and 6).
//
// Contract:
//  * Never crashes and never throws on any bytes; every rejection is a
//    FieldError "<field>: <rule>" (the catalogue is docs/INPUT.md).
//  * Full validation (simdjson DOM): UTF-8, JSON grammar, nesting <= 64 levels.
//  * Event time is `timestamp`, else `originalTimestamp`; `sentAt` and
//    `receivedAt` are ignored here (file-import semantics; the HTTP layer applies
//    clock-skew correction itself). Records take `timestamp`, else their type's
//    time field.
//  * account_id: context.groupId (explicit_account = true) for
//    track/page/screen/identify, groupId for group, account_id for records (touch:
//    from signal_id when only that is given); otherwise "" and the Attributor
//    (input/attributor.h) fills it in. Input.seq is left 0 (the log assigns it).
//  * EventMsg.props holds exactly interest.names.size() values, aligned with it.
// Pure: no I/O, no clock. An InputParser is not thread-safe (one per thread);
// the free function uses a thread_local parser.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string_view>

#include "common/error.h"
#include "model/input.h"

namespace headroom {

// Nesting deeper than this many object/array levels is "body: nested too deeply".
inline constexpr size_t kMaxJsonDepth = 64;

class InputParser {
 public:
  explicit InputParser(PropertyInterest interest = {});
  ~InputParser();
  InputParser(InputParser&&) noexcept;
  InputParser& operator=(InputParser&&) noexcept;
  InputParser(const InputParser&) = delete;
  InputParser& operator=(const InputParser&) = delete;

  // Parses one JSON object (surrounding whitespace, a trailing "\r" and a
  // leading UTF-8 BOM are allowed).
  Result<Input> Parse(std::string_view json_text);

  // The same parse into a caller-owned Input, reusing its strings' and
  // vectors' capacity (a hot loop parses message after message into one
  // Input). On success every field of `out` is as Parse(json_text).value()
  // would be, whatever `out` held before; on an error (the FieldError Parse
  // would return) `out` holds no meaningful value.
  [[nodiscard]] std::optional<FieldError> Parse(std::string_view json_text, Input& out);

  const PropertyInterest& interest() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Same as InputParser(interest).Parse(json_text), reusing a thread_local
// simdjson parser.
Result<Input> ParseInputLine(std::string_view json_text, const PropertyInterest& interest);

}  // namespace headroom
