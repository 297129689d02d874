// libFuzzer target: the Segment message parser (src/input/parser.h).
//
// Input: the bytes of one HTTP message / NDJSON line. Contract checked: Parse
// never crashes or throws; a rejection names a field and a rule; an accepted
// message has a Segment type and exactly one property value per interest name.
// docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "input/parser.h"

namespace {

// The property names the example config and typical `where`/`sum` metrics look at.
headroom::PropertyInterest Interest() {
  headroom::PropertyInterest interest;
  interest.names = {"workspace_id", "seats", "plan", "amount", "feature", "context.page.path"};
  return interest;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static headroom::InputParser parser(Interest());
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const headroom::Result<headroom::Input> result = parser.Parse(text);
  if (!result.ok()) {
    if (result.error().field.empty() || result.error().rule.empty()) std::abort();
    return 0;
  }
  if (const auto* event = std::get_if<headroom::EventMsg>(&result->body)) {
    if (event->props.size() != parser.interest().names.size()) std::abort();
  }
  // The thread_local entry point must agree with the parser object.
  const headroom::Result<headroom::Input> again = headroom::ParseInputLine(text, parser.interest());
  if (!again.ok()) std::abort();
  return 0;
}
