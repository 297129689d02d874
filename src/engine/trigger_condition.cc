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
    // Most days of a sustained run share one contract: look its limit up once.
    const ContractRecord* contract = account_.ContractAt(contract_time);
    if (!limit_known_ || contract != limit_contract_) {
      limit_contract_ = contract;
      const std::optional<double> limit = LimitOf(contract, *def_.limit);
      has_limit_ = limit.has_value();
      limit_ = limit.value_or(0);
      limit_known_ = true;
    }
    if (!has_limit_) return std::nullopt;
    return *v / limit_;
  }

  const CompiledTrigger& trigger_;
  const TriggerDef& def_;
  AccountState& account_;
  Day today_;
  bool limit_known_ = false;
  const ContractRecord* limit_contract_ = nullptr;
  bool has_limit_ = false;  // limit_contract_ has a number for the limit
  double limit_ = 0;
};

bool Reaches(std::optional<double> q, double at) {
  return q.has_value() && *q >= at - kThresholdTolerance;
}

}  // namespace

bool SameQuantity(const CompiledTrigger& a, const CompiledTrigger& b) {
  return a.metric == b.metric && a.numerator == b.numerator && a.denominator == b.denominator &&
         a.def->limit == b.def->limit && a.def->min_denominator == b.def->min_denominator;
}

ConditionResult EvaluateCondition(const CompiledTrigger& trigger, AccountState& account, TimeMs t,
                                  const std::optional<double>* now) {
  const TriggerDef& def = *trigger.def;
  const Day today = DayOf(t);
  Quantity quantity(trigger, account, today);
  ConditionResult r;
  r.quantity = now ? *now : quantity.Now(t);
  if (Reaches(r.quantity, def.at) && trigger.run >= 0) {
    // Rule 17: each of the K-1 days before today reached `at`; days before the
    // first event have not.
    const uint64_t gen = account.past_generation;
    SustainedRunCache& run = account.runs[static_cast<size_t>(trigger.run)];
    const TimeMs activation = account.activation.value_or(SustainedRunCache::kNoTime);
    const auto contracts = static_cast<uint32_t>(account.contracts.size());
    if (run.today != today || run.generation != gen || run.contracts != contracts ||
        run.activation != activation) {
      run = SustainedRunCache{};
      run.generation = gen;
      run.contracts = contracts;
      run.activation = activation;
      run.today = today;
      for (Day d = today - 1; d >= today - (*def.sustained_days - 1); --d) {
        const bool reached = account.activation && d >= DayOf(*account.activation) &&
                             Reaches(quantity.OnDay(d), def.at);
        if (!reached) {
          run.broken_on = d;
          break;
        }
        ++run.past_days;
      }
    }
    r.run_days = 1 + run.past_days;
    if (run.broken_on != SustainedRunCache::kNoDay) r.broken_on = run.broken_on;
  }
  ConcludeCondition(def, account, t, r);
  return r;
}

void ConcludeCondition(const TriggerDef& def, const AccountState& account, TimeMs t,
                       ConditionResult& r) {
  bool base = Reaches(r.quantity, def.at) && !r.broken_on;
  r.activation_ok.reset();
  if (base && def.within_days_of_activation) {
    // Rule 14: an account with no event fails.
    r.activation_ok =
        account.activation.has_value() &&
        t - *account.activation < static_cast<TimeMs>(*def.within_days_of_activation) * kMsPerDay;
    base = *r.activation_ok;
  }
  // Rule 16: the buffer branch ignores sustain and the activation window.
  r.urgent = def.buffer && def.limit && Reaches(r.quantity, 1.0 - *def.buffer);
  r.holds = base || r.urgent;
}

nlohmann::json TriggerEvidenceJson(const TriggerDef& def, const ConditionResult& r,
                                   const AccountState& account) {
  nlohmann::json ev = {{"name", def.name},
                       {"class", TriggerClassName(def.cls)},
                       {"value", r.quantity ? NumberJson(*r.quantity) : nlohmann::json()},
                       {"threshold", NumberJson(def.at)},
                       {"holds", r.holds}};
  if (def.limit) ev["limit"] = *def.limit;
  if (def.sustained_days) {
    ev["sustained_days"] = *def.sustained_days;
    ev["sustained_run_days"] = r.run_days;
    ev["sustain_broken_on"] =
        r.broken_on ? nlohmann::json(FormatIsoTime(DayStart(*r.broken_on)).substr(0, 10))
                    : nlohmann::json();
  }
  if (def.within_days_of_activation) {
    ev["within_days_of_activation"] = *def.within_days_of_activation;
    ev["activation"] = TimeJson(account.activation);
  }
  if (def.buffer && def.limit) {
    ev["buffer_level"] = NumberJson(1.0 - *def.buffer);
    ev["buffer_holds"] = r.urgent;
  }
  return ev;
}

}  // namespace headroom
