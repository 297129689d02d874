// libFuzzer target: the config loader, LoadConfig(text) (src/config/loader.h).
//
// Input: the text of a headroom.yaml. Contract checked: LoadConfig never
// crashes or throws; a config is returned iff there are no errors; every error
// has a rule; an accepted config has a 16-hex-digit rules fingerprint that
// RulesFingerprint reproduces. docs/FUZZING.md.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "config/loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const headroom::ConfigLoadResult result = headroom::LoadConfig(text);
  if (result.config.has_value() == !result.errors.empty()) std::abort();
  for (const headroom::FieldError& e : result.errors)
    if (e.rule.empty()) std::abort();
  if (result.config) {
    const std::string fingerprint = headroom::RulesFingerprint(*result.config);
    if (fingerprint.size() != 16 || fingerprint != result.config->rules_fingerprint) std::abort();
  }
  return 0;
}
