// ConditionResult: what evaluating one trigger's condition found (SPEC 3.3),
// as plain values; see trigger_condition.h.
#pragma once

#include <optional>

#include "common/time.h"

namespace headroom {

// Members ordered by size: 32 bytes, not 40 (an account keeps one per trigger).
struct ConditionResult {
  std::optional<double> quantity;
  std::optional<Day> broken_on;  // sustained: the day that did not reach `at`
  int run_days = 0;              // sustained: days of the run checked, today included
  bool holds = false;
  bool urgent = false;                // the buffer level holds
  std::optional<bool> activation_ok;  // within_days_of_activation, when checked
};
static_assert(sizeof(ConditionResult) == 32);

}  // namespace headroom
