// TriggerCondition: whether a trigger's condition holds for an account at an
// evaluation (SPEC 3.3 and 3.7 rules 14-17): the quantity (metric, ratio or
// utilization) against `at` with tolerance, the sustained run of day values,
// the activation window, and the buffer branch that holds alone and is urgent.
// Pure apart from the metric day-value caches it fills.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "engine/account_state.h"
#include "engine/compiled_rules.h"

namespace headroom {

inline constexpr double kThresholdTolerance = 1e-9;  // rule 16

struct ConditionResult {
  bool holds = false;
  bool urgent = false;  // the buffer level holds
  std::optional<double> quantity;
  nlohmann::json evidence;
};

ConditionResult EvaluateCondition(const CompiledTrigger& trigger, AccountState& account, TimeMs t);

}  // namespace headroom
