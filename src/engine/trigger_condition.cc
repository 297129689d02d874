#include "engine/trigger_condition.h"

#include "engine/json.h"

namespace headroom {

namespace {

// contract.limits[L] as a positive number, else nullopt (rule 15).
std::optional<double> LimitOf(const ContractRecord* contract, const std::string& limit) {
  if (!contract) return std::nullopt;
  auto it = contract->limits.find(limit);
  if (it == contract->limits.end() || !it->second.is_number() || it->second.number() <= 0)
    return std::nullopt;
  return it->second.number();
}

class Quantity {
 public:
  Quantity(const CompiledTrigger& trigger, AccountState& account, Day today)
      : trigger_(trigger), def_(*trigger.def), account_(account), today_(today) {}

  // quantity(t) at an evaluation on `today`, contract in force at t.
  std::optional<double> Now(TimeMs t) {
    return Of([&](int m) { return account_.metrics[static_cast<size_t>(m)].CurrentNumber(today_); },
              t);
  }
  // The day value for closed day d; a utilization uses the contract in force
  // at the end of d (rule 15).
  std::optional<double> OnDay(Day d) {
    return Of([&](int m) { return account_.metrics[static_cast<size_t>(m)].DayNumber(d, today_); },
              DayStart(d + 1) - 1);
  }

 private:
  template <typename MetricValue>
  std::optional<double> Of(MetricValue&& value, TimeMs contract_time) {
    if (def_.ratio) {
      const auto num = value(trigger_.numerator);
      const auto den = value(trigger_.denominator);
      if (!num || !den) return std::nullopt;
      if (def_.min_denominator ? *den < *def_.min_denominator : *den <= 0) return std::nullopt;
      if (*den == 0) return std::nullopt;
      return *num / *den;
    }
    const auto v = value(trigger_.metric);
    if (!v) return std::nullopt;
    if (!def_.limit) return v;
    const auto limit = LimitOf(account_.ContractAt(contract_time), *def_.limit);
    if (!limit) return std::nullopt;
    return *v / *limit;
  }

  const CompiledTrigger& trigger_;
  const TriggerDef& def_;
  AccountState& account_;
  Day today_;
};

bool Reaches(std::optional<double> q, double at) {
  return q.has_value() && *q >= at - kThresholdTolerance;
}

}  // namespace

ConditionResult EvaluateCondition(const CompiledTrigger& trigger, AccountState& account, TimeMs t) {
  const TriggerDef& def = *trigger.def;
  const Day today = DayOf(t);
  Quantity quantity(trigger, account, today);
  ConditionResult r;
  r.quantity = quantity.Now(t);
  nlohmann::json ev = {{"name", def.name},
                       {"class", TriggerClassName(def.cls)},
                       {"value", r.quantity ? NumberJson(*r.quantity) : nlohmann::json()},
                       {"threshold", NumberJson(def.at)}};

  bool base = Reaches(r.quantity, def.at);
  if (base && def.sustained_days && *def.sustained_days > 1) {
    // Rule 17: each of the K-1 days before today reached `at`; days before the
    // first event have not.
    int run = 0;
    for (Day d = today - 1; d >= today - (*def.sustained_days - 1); --d) {
      const bool reached = account.activation && d >= DayOf(*account.activation) &&
                           Reaches(quantity.OnDay(d), def.at);
      if (!reached) {
        base = false;
        ev["sustain_broken_on"] = FormatIsoTime(DayStart(d)).substr(0, 10);
        break;
      }
      ++run;
    }
    ev["sustained_days"] = *def.sustained_days;
    ev["sustained_run_days"] = run + 1;
  }
  if (base && def.within_days_of_activation) {
    // Rule 14: an account with no event fails.
    base = account.activation &&
           t - *account.activation < static_cast<TimeMs>(*def.within_days_of_activation) * kMsPerDay;
    ev["activation"] = TimeJson(account.activation);
    ev["within_days_of_activation"] = *def.within_days_of_activation;
  }
  if (def.buffer && def.limit) {
    // Rule 16: the buffer branch ignores sustain and the activation window.
    r.urgent = Reaches(r.quantity, 1.0 - *def.buffer);
    ev["buffer_level"] = NumberJson(1.0 - *def.buffer);
    ev["buffer_holds"] = r.urgent;
  }
  r.holds = base || r.urgent;
  ev["holds"] = r.holds;
  r.evidence = std::move(ev);
  return r;
}

}  // namespace headroom
