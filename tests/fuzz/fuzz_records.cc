// libFuzzer target: the business-record parser (src/input/parser.h, SPEC 1.2)
// as `headroom import` of a records NDJSON file drives it, plus attribution.
//
// Input: NDJSON bytes; every line is parsed on its own (as the importer does)
// with an InputParser, accepted group calls feed an Attributor and every
// accepted input is attributed. Contract checked: nothing crashes or throws;
// every rejection names a field and a rule; a record parses to type kRecord
// and the same line parses identically twice (no state leaks between lines).
// docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "input/attributor.h"
#include "input/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static headroom::InputParser parser;
  headroom::Attributor attributor;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  uint64_t seq = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    headroom::Result<headroom::Input> result = parser.Parse(line);
    if (!result.ok()) {
      if (result.error().field.empty() || result.error().rule.empty()) std::abort();
      // Deterministic: the same line fails the same way.
      const headroom::Result<headroom::Input> again = parser.Parse(line);
      if (again.ok() || !(again.error() == result.error())) std::abort();
      continue;
    }
    headroom::Input& in = *result;
    in.seq = ++seq;
    // Records hold one of the record bodies (AccountRecord ... ReleaseRecord).
    const size_t alt = in.body.index();
    const bool is_record = alt >= 4 && alt <= 11;
    if (is_record != (in.type == headroom::MessageType::kRecord)) std::abort();
    if (in.type == headroom::MessageType::kGroup) attributor.AddGroup(in);
    attributor.Attribute(in);
  }
  return 0;
}
