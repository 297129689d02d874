// Billing and contracts: renewals, churn, contraction, and the hidden upgrade
// propensities (docs/DEMO.md): seat_capacity is the planted predictor.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "demo/simulation.h"
#include "demo/writer.h"

namespace headroom::demo::sim {

std::string Simulation::ContractLine(const Account& a, TimeMs at, const std::string& status) {
  return JsonLine()
      .Str("type", "contract")
      .Str("account_id", a.id)
      .Str("plan", a.plan)
      .Num("arr", a.mrr * 12)
      .Time("start", DayStart(a.contract_start))
      .Time("end", DayStart(a.contract_end))
      .Begin("limits")
      .Int("seats", a.seats)
      .Int("gb_ingested", a.seats * 40)
      .End()
      .Str("renewal_status", status)
      .Time("timestamp", at)
      .Done();
}

std::string Simulation::RevenueLine(const Account& a, TimeMs at) {
  return JsonLine()
      .Str("type", "revenue")
      .Str("account_id", a.id)
      .Time("at", at)
      .Num("mrr", a.churned ? 0 : a.mrr)
      .Str("plan", a.plan)
      .Done();
}

void Simulation::Renew(size_t i, DemoRng& r, TimeMs at, std::vector<Item>& items) {
  Account& a = company_.accounts[i];
  int active = 0;
  for (const User& u : a.users) active += u.active ? 1 : 0;
  const double util = a.seats > 0 ? static_cast<double>(active) / a.seats : 0;
  if (r.Chance(a.hidden.churn_risk)) {
    a.churned = true;
    ++stats_.churned;
    Add(items, at, RevenueLine(a, at));
    return;
  }
  if (util < 0.55 && r.Chance(0.5)) {
    a.seats = Round5(active * 1.2);
  } else if (util > 0.9) {
    a.seats = Round5(a.seats * r.Uniform(1.2, 1.5));
  }
  const double old = a.mrr;
  a.mrr = a.seats * SeatPrice(a.plan);
  a.contract_start = a.contract_end;
  a.contract_end = a.contract_start + 365;
  Add(items, at, ContractLine(a, at, "none"));
  if (a.mrr != old) Add(items, at, RevenueLine(a, at));
}

// Hidden billing propensities (docs/DEMO.md): seat_capacity is the planted
// predictor; workflow_value and second_workspace predict a little;
// paywall_repeat not at all.
void Simulation::OnFiring(size_t i, const std::string& trigger, TimeMs at) {
  SalesState& s = sales_[i];
  const Account& a = company_.accounts[i];
  if (s.upgrade_pending || a.churned) return;
  double p = 0;
  std::string reason = "seat";
  if (trigger == "seat_capacity") {
    p = 0.6 + 0.35 * a.hidden.expansion;
  } else if (trigger == "workflow_value") {
    p = 0.06 + 0.08 * a.hidden.expansion;
    reason = "plan";
  } else if (trigger == "second_workspace") {
    p = 0.05 + 0.1 * a.hidden.expansion;
    reason = "plan";
  }
  if (!sales_rng_.Chance(p)) return;
  Action up;
  up.at = at + sales_rng_.Int(5, 50) * kDay + sales_rng_.Int(0, 8 * kHour);
  up.kind = ActionKind::kUpgrade;
  up.account = i;
  up.reason = reason;
  s.upgrade_pending = true;
  if (trigger == "seat_capacity") ++stats_.planted_upgrades;
  Schedule(std::move(up));
}

void Simulation::WriteExpansion(size_t i, TimeMs at) {
  Account& a = company_.accounts[i];
  ++stats_.upgrades;
  sales_[i].growth_boost *= 1.1;
  Feed(ContractLine(a, at, "none"), at);
  Feed(RevenueLine(a, at), at);
}

// A planned upgrade (planted, weak-signal or organic): more seats, or the
// next plan; closes the account's open opportunity as won, or books one on
// its live signal when an owner had touched it.
void Simulation::Upgrade(size_t i, TimeMs at, const std::string& reason) {
  Account& a = company_.accounts[i];
  SalesState& s = sales_[i];
  s.upgrade_pending = false;
  if (a.churned || a.mrr <= 0) return;
  const double before = a.mrr;
  if (reason == "plan" && a.plan != "enterprise") {
    a.plan = NextPlan(a.plan);
  } else {
    a.seats = Round5(a.seats * sales_rng_.Uniform(1.3, 1.8));
  }
  a.mrr = a.seats * SeatPrice(a.plan);
  if (s.open_opp.empty()) {
    const auto view = engine_.Account(a.id);
    const Signal* sig = view && view->signal_id ? engine_.FindSignal(*view->signal_id) : nullptr;
    if (sig && sig->live() && sig->ever_touched && !sig->opportunity_id) {
      ++stats_.opportunities;
      s.open_opp = "opp_" + std::to_string(++opportunities_);
      s.opp_signal = sig->signal_id;
      s.opp_owner = sig->owner;
      s.opp_created = std::max(sig->created_at, at - sales_rng_.Int(1, 5) * kDay);
    }
  }
  WriteExpansion(i, at);
  if (!s.open_opp.empty()) {
    ++stats_.won;
    const double discount = std::round(sales_rng_.Uniform(0, 0.2) * 100) / 100;
    Feed(OpportunityLine(a, s, "won", at, (a.mrr - before) * 12, discount, 12), at);
    s.open_opp.clear();
  }
}

}  // namespace headroom::demo::sim
