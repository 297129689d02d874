// SPEC 6.3 JSON shapes of the engine's views. Keys may be added, never renamed.
#pragma once

#include <nlohmann/json.hpp>

#include "engine/views.h"

namespace headroom {

// A number as JSON: an integer when the value is integral.
nlohmann::json NumberJson(double v);
nlohmann::json TimeJson(std::optional<TimeMs> t);

nlohmann::json ToJson(const Firing& f);
nlohmann::json ToJson(const Signal& s);
nlohmann::json PartsJson(const ScoreParts& p);
// The list form (accounts): without evidence/metrics/contract/signal.
nlohmann::json AccountSummaryJson(const AccountView& a);
// The `account ID` form: summary plus evidence, metrics, contract and `signal`
// (the signal object, passed in by the caller who owns the signals).
nlohmann::json AccountDetailJson(const AccountView& a, const Signal* signal);

}  // namespace headroom
