// ConditionResult: what evaluating one trigger's condition found (SPEC 3.3),
// as plain values; see trigger_condition.h.
#pragma once

#include <optional>

#include "common/time.h"

namespace headroom {

struct ConditionResult {
  bool holds = false;
  bool urgent = false;  // the buffer level holds
  std::optional<double> quantity;
  int run_days = 0;                   // sustained: days of the run checked, today included
  std::optional<Day> broken_on;       // sustained: the day that did not reach `at`
  std::optional<bool> activation_ok;  // within_days_of_activation, when checked
};

}  // namespace headroom
