// The simulated sales team: touches on real signals (pilot owners faster),
// opportunities opened, won and lost.
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "demo/simulation.h"
#include "demo/writer.h"

namespace headroom::demo::sim {

// The sales team: pilot owners touch on time more often than control ones.
void Simulation::OnSignal(size_t i, const Signal& sig, bool created) {
  if (created) ++stats_.signals;
  const auto g = owner_group_.find(sig.owner);
  const bool pilot = g != owner_group_.end() && g->second == "pilot";
  const double x = sales_rng_.Uniform();
  const double on_time = pilot ? 0.8 : 0.6;
  const double late = pilot ? 0.12 : 0.25;
  const TimeMs sla = sig.touch_due - (sig.routed_at ? *sig.routed_at : sig.created_at);
  Action t;
  t.kind = ActionKind::kTouch;
  t.account = i;
  t.signal_id = sig.signal_id;
  t.owner = sig.owner;
  const TimeMs from = sig.routed_at ? *sig.routed_at : sig.created_at;
  if (x < on_time) {
    t.at =
        from + kHour / 2 + sales_rng_.Int(0, static_cast<int64_t>(static_cast<double>(sla) * 0.85));
  } else if (x < on_time + late) {
    t.at = sig.touch_due + sales_rng_.Int(kHour, 4 * kDay);
  } else {
    return;  // never touched
  }
  Schedule(std::move(t));
}

void Simulation::Touch(const Action& act) {
  Account& a = company_.accounts[act.account];
  if (a.churned) return;
  ++stats_.touches;
  Feed(JsonLine()
           .Str("type", "touch")
           .Str("signal_id", act.signal_id)
           .Str("owner_id", act.owner)
           .Time("at", act.at)
           .Str("channel", sales_rng_.Pick(kChannels))
           .Done(),
       act.at);
  const SalesState& s = sales_[act.account];
  if (!s.open_opp.empty()) return;
  const auto g = owner_group_.find(act.owner);
  const double pilot_bonus = g != owner_group_.end() && g->second == "pilot" ? 0.1 : 0;
  if (s.upgrade_pending || sales_rng_.Chance(0.15 + pilot_bonus + 0.25 * a.hidden.expansion)) {
    Action o = act;
    o.kind = ActionKind::kOppOpen;
    o.at = act.at + sales_rng_.Int(kDay / 2, 8 * kDay);
    Schedule(std::move(o));
  }
}

void Simulation::OpenOpportunity(const Action& act) {
  Account& a = company_.accounts[act.account];
  SalesState& s = sales_[act.account];
  if (a.churned || !s.open_opp.empty()) return;
  ++stats_.opportunities;
  s.open_opp = "opp_" + std::to_string(++opportunities_);
  s.opp_signal = act.signal_id;
  s.opp_owner = act.owner;
  s.opp_created = act.at;
  Feed(OpportunityLine(a, s, "open", std::nullopt, a.mrr * 12 * 0.3, 0, 12), act.at);
  if (!s.upgrade_pending) {
    Action c = act;
    c.kind = ActionKind::kOppClose;
    c.at = act.at + sales_rng_.Int(10, 45) * kDay;
    Schedule(std::move(c));
  }
}

std::string Simulation::OpportunityLine(const Account& a, const SalesState& s,
                                        const std::string& stage, std::optional<TimeMs> closed,
                                        double amount, double discount, int term) {
  JsonLine l;
  l.Str("type", "opportunity").Str("opportunity_id", s.open_opp).Str("account_id", a.id);
  if (!s.opp_signal.empty()) l.Str("signal_id", s.opp_signal);
  l.Str("owner_id", s.opp_owner).Time("created_at", s.opp_created).Str("stage", stage);
  if (closed) l.Time("closed_at", *closed);
  l.Num("amount", std::round(amount)).Num("discount", discount).Int("term_months", term);
  if (closed) l.Time("timestamp", *closed);
  return l.Done();
}

// Closes the open opportunity: `won` forced by a planned upgrade, else drawn.
void Simulation::CloseOpportunity(size_t i, TimeMs at, bool forced_won) {
  Account& a = company_.accounts[i];
  SalesState& s = sales_[i];
  if (s.open_opp.empty()) return;
  const bool won = forced_won || (!a.churned && sales_rng_.Chance(0.2 + 0.5 * a.hidden.expansion));
  const double discount = std::round(sales_rng_.Uniform(0, 0.25) * 100) / 100;
  const int term = static_cast<int>(sales_rng_.Weighted({0.5, 0.3, 0.17, 0.03}) + 1) * 12;
  if (!won) {
    Feed(OpportunityLine(a, s, "lost", at, a.mrr * 12 * 0.3, discount, term), at);
    s.open_opp.clear();
    return;
  }
  ++stats_.won;
  const double before = a.mrr;
  if (!forced_won) {  // a sales-sourced expansion: more seats now
    a.seats = Round5(a.seats * sales_rng_.Uniform(1.15, 1.4));
    a.mrr = a.seats * SeatPrice(a.plan);
    WriteExpansion(i, at);
  }
  Feed(OpportunityLine(a, s, "won", at, (a.mrr - before) * 12, discount, term), at);
  s.open_opp.clear();
}

}  // namespace headroom::demo::sim
