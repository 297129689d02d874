#include "engine/json.h"

#include <cmath>

namespace headroom {

const char* TriggerClassName(TriggerClass c) {
  switch (c) {
    case TriggerClass::kCapacity: return "capacity";
    case TriggerClass::kAdoption: return "adoption";
    case TriggerClass::kValue: return "value";
  }
  return "?";
}

const char* SignalStatusName(SignalStatus s) {
  switch (s) {
    case SignalStatus::kOpen: return "open";
    case SignalStatus::kOpportunity: return "opportunity";
    case SignalStatus::kWon: return "won";
    case SignalStatus::kLost: return "lost";
    case SignalStatus::kExpired: return "expired";
    case SignalStatus::kSuppressed: return "suppressed";
  }
  return "?";
}

nlohmann::json NumberJson(double v) {
  if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) < 9e15) return static_cast<int64_t>(v);
  return v;
}

nlohmann::json TimeJson(std::optional<TimeMs> t) {
  if (!t) return nullptr;
  return FormatIsoTime(*t);
}

namespace {
template <typename T>
nlohmann::json Opt(const std::optional<T>& v) {
  if (!v) return nullptr;
  return *v;
}
}  // namespace

nlohmann::json ToJson(const Firing& f) {
  return {{"account_id", f.account_id},         {"trigger", f.trigger},
          {"class", TriggerClassName(f.cls)},   {"fired_at", TimeJson(f.fired_at)},
          {"urgent_at", TimeJson(f.urgent_at)}, {"ended_at", TimeJson(f.ended_at)}};
}

nlohmann::json PartsJson(const ScoreParts& p) {
  return {{"firmographic", NumberJson(p.firmographic)},
          {"usage",
           {{"capacity", NumberJson(p.capacity)},
            {"adoption", NumberJson(p.adoption)},
            {"value", NumberJson(p.value)}}},
          {"committee", NumberJson(p.committee)}};
}

nlohmann::json ToJson(const Signal& s) {
  nlohmann::json credit = nlohmann::json::object();
  for (const auto& [owner, amount] : s.credit) credit[owner] = NumberJson(amount);
  nlohmann::json history = nlohmann::json::array();
  for (const auto& h : s.history) {
    nlohmann::json entry = {{"at", TimeJson(h.at)}, {"change", h.change}};
    if (h.details.is_object())
      for (const auto& [k, val] : h.details.items()) entry[k] = val;
    history.push_back(std::move(entry));
  }
  return {{"signal_id", s.signal_id},
          {"account_id", s.account_id},
          {"route", s.route},
          {"owner", s.owner},
          {"status", SignalStatusName(s.status)},
          {"close_reason", Opt(s.close_reason)},
          {"score", NumberJson(s.score)},
          {"parts", PartsJson(s.parts)},
          {"motion", s.motion},
          {"triggers", s.triggers},
          {"created_at", TimeJson(s.created_at)},
          {"routed_at", TimeJson(s.routed_at)},
          {"touch_due", TimeJson(s.touch_due)},
          {"first_touch_at", TimeJson(s.first_touch_at)},
          {"touched_within_sla", Opt(s.touched_within_sla)},
          {"escalated_at", TimeJson(s.escalated_at)},
          {"escalated_to", s.escalated_at ? nlohmann::json(s.escalated_to) : nlohmann::json()},
          {"opportunity_id", Opt(s.opportunity_id)},
          {"closed_at", TimeJson(s.closed_at)},
          {"amount", s.amount ? NumberJson(*s.amount) : nlohmann::json()},
          {"credit", s.status == SignalStatus::kWon ? credit : nlohmann::json()},
          {"deal_desk_required", Opt(s.deal_desk_required)},
          {"fast_track", Opt(s.fast_track)},
          {"history", history}};
}

nlohmann::json AccountSummaryJson(const AccountView& a) {
  return {{"account_id", a.account_id},
          {"name", a.name},
          {"score", NumberJson(a.score)},
          {"parts", PartsJson(a.parts)},
          {"route", a.route},
          {"suppressed_by", a.suppressed_by},
          {"active_triggers", a.active_triggers},
          {"owners", {{"ae", Opt(a.ae)}, {"csm", Opt(a.csm)}}},
          {"evaluated_at", TimeJson(a.evaluated_at)}};
}

nlohmann::json AccountDetailJson(const AccountView& a, const Signal* signal) {
  nlohmann::json j = AccountSummaryJson(a);
  j["evidence"] = a.evidence.is_null() ? nlohmann::json::object() : a.evidence;
  j["metrics"] = a.metrics.is_null() ? nlohmann::json::object() : a.metrics;
  j["contract"] = a.contract;
  j["signal"] = signal ? ToJson(*signal) : nlohmann::json();
  return j;
}

}  // namespace headroom
