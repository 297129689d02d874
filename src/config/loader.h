// LoadConfig: the text of headroom.yaml -> a validated Config, or every problem
// in it. Pure (no file I/O, no clock) and never throws.
//
// Each problem is a FieldError{dotted path, rule}, e.g.
//   {"triggers.seat_capacity.metric", "unknown metric 'seat'"}
//   {"score.firmographic.criteria[1].points", "must be a number"}
// listed in document order (a mapping's missing required keys come after the
// problems inside it). A YAML syntax error is a single FieldError with an empty
// path and the rule "line L, column C: <message>". docs/CONFIG.md lists every key,
// its default and every rule.
//
// Scalars follow the YAML 1.2 core schema: plain true/false are booleans, plain
// numbers are numbers, everything else (and everything quoted) is a string.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "config/config.h"

namespace headroom {

struct ConfigLoadResult {
  std::optional<Config> config;    // set iff errors is empty
  std::vector<FieldError> errors;  // every problem, in document order
};

ConfigLoadResult LoadConfig(std::string_view yaml_text);

// 16 lower-case hex digits (FNV-1a 64) over a canonical dump of the rule
// sections: metrics, triggers, hold_days, score, suppress, routing, credit and
// deal_desk. Computed from the parsed values, so layout, comments, key order
// inside a mapping and number spelling (0.8 vs 0.80) do not change it; the order
// of metrics, triggers and criteria does. LoadConfig stores it in
// Config::rules_fingerprint.
std::string RulesFingerprint(const Config& config);

}  // namespace headroom
