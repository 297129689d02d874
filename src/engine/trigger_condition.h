// TriggerCondition: whether a trigger's condition holds for an account at an
// evaluation (SPEC 3.3 and 3.7 rules 14-17): the quantity (metric, ratio or
// utilization) against `at` with tolerance, the sustained run of day values,
// the activation window, and the buffer branch that holds alone and is urgent.
// Pure apart from the metric day-value and sustained-run caches it fills. The evidence JSON is
// built separately, only when an account's view is read.
#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "engine/account_state.h"
#include "engine/compiled_rules.h"

namespace headroom {

inline constexpr double kThresholdTolerance = 1e-9;  // rule 16

// The trigger's sustained-run cache in `account` (AccountState::runs) is
// read and refreshed. `now`, when given, is quantity(t) as found at this same evaluation for a
// trigger with the same quantity (SameQuantity): it is not computed again.
ConditionResult EvaluateCondition(const CompiledTrigger& trigger, AccountState& account, TimeMs t,
                                  const std::optional<double>* now = nullptr);

// The last step of EvaluateCondition, on a result whose quantity and
// sustained run (r.quantity, r.broken_on) are found: the activation window
// (rule 14, which reads t) and the buffer branch (rule 16) give r.holds.
// Alone, it re-checks at t a condition found earlier the same day whose
// inputs have not moved.
void ConcludeCondition(const TriggerDef& def, const AccountState& account, TimeMs t,
                       ConditionResult& r);

// Whether two triggers measure the same quantity (metric or ratio, limit,
// min_denominator), whatever their thresholds.
bool SameQuantity(const CompiledTrigger& a, const CompiledTrigger& b);

// The evidence of one trigger at the account's last evaluation.
nlohmann::json TriggerEvidenceJson(const TriggerDef& def, const ConditionResult& r,
                                   const AccountState& account);

}  // namespace headroom
