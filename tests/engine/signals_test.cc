// SPEC 3.6 and 3.7 rules 23-34: signal creation, owners, motion, touches and
// SLA, escalation, the csm->ae move, closing by suppression, expiry,
// cooldown, opportunities, won credit, deal desk and history. Every
// expectation is derived by hand in the comment above its test.
//
// Setup shared by the tests: score = 70 when the account trait `tier` is
// "ae", 50 when it is "csm", else 0 (usage points off), so account records
// choose the route. SLA: ae 48 h, csm 120 h; expiry and cooldown 30 d.
// Owners (recorded 2026-03-01T00:00Z): ae1 (ae, manager mgr1), csm1 (csm,
// manager mgr2), mgr1, mgr2 (manager), rv2 and rv1 (revops, that arrival
// order).
#include <gtest/gtest.h>

#include <utility>

#include "harness.h"

namespace headroom::testing {
namespace {

Value S(std::string s) { return Value::String(std::move(s)); }
using Strings = std::vector<std::string>;

FirmographicCriterion TierIs(const std::string& tier, double points) {
  FirmographicCriterion f;
  f.name = tier + "_tier";
  f.trait = "tier";
  f.op = FirmographicCriterion::Op::kEquals;
  f.value = S(tier);
  f.points = points;
  return f;
}

Config SignalConfig() {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_adoption = c.score.usage_value = 0;
  c.score.firmographic_max = 100;
  c.score.firmographic = {TierIs("ae", 70), TierIs("csm", 50)};
  c.metrics.push_back(Metric("seats", MetricForm::kCount, {"Seat Added"}, "", All()));
  c.metrics.push_back(Metric("adopted", MetricForm::kCount, {"Feature Adopted"}, "", All()));
  TriggerDef seat;
  seat.name = "seat_trigger";
  seat.cls = TriggerClass::kCapacity;
  seat.metric = "seats";
  seat.at = 1;
  c.triggers.push_back(seat);
  TriggerDef adopt;
  adopt.name = "adopt_trigger";
  adopt.cls = TriggerClass::kAdoption;
  adopt.metric = "adopted";
  adopt.at = 1;
  c.triggers.push_back(adopt);
  return c;
}

void Owners(Harness& h) {
  const std::string t = "2026-03-01T00:00:00Z";
  h.Owner(t, "rv2", "revops");
  h.Owner(t, "ae1", "ae", "mgr1");
  h.Owner(t, "csm1", "csm", "mgr2");
  h.Owner(t, "mgr1", "manager");
  h.Owner(t, "mgr2", "manager");
  h.Owner(t, "rv1", "revops");
}

// An account record with the given tier and owners ae1 / csm1.
void Tier(Harness& h, const std::string& time, const std::string& account, const std::string& tier,
          std::optional<std::string> ae = "ae1", std::optional<std::string> csm = "csm1") {
  h.Account(time, account, std::move(ae), std::move(csm), {{"tier", S(tier)}});
}

void Sev1(Harness& h, const std::string& time, const std::string& account, const std::string& id) {
  h.Ticket(time, account, id, Value::Number(1), time);
}

void TouchWithId(Harness& h, const std::string& at, const std::string& account,
                 const std::string& id, const std::string& channel) {
  TouchRecord r;
  r.touch_id = id;
  r.owner_id = "ae1";
  r.at = T(at);
  r.channel = channel;
  h.Record(at, account, r);
}

const Signal& Sig(Harness& h, const std::string& id) {
  const Signal* s = h.Sig(id);
  if (!s) {
    ADD_FAILURE() << "no signal " << id;
    static const Signal empty;
    return empty;
  }
  return *s;
}

std::string Status(Harness& h, const std::string& id) {
  return SignalStatusName(Sig(h, id).status);
}

// "change@at" for each history entry.
Strings History(Harness& h, const std::string& id) {
  Strings out;
  for (const auto& e : Sig(h, id).history) out.push_back(e.change + "@" + Iso(e.at));
  return out;
}

// Creation (3.6, rules 24, 25): an `ae` route creates acme:1 at t = Mar 2
// 09:00 with owner ae1 (the account's AE), score 70, no active trigger
// (motion strategic), touch_due = t + 48 h = Mar 4 09:00, routed_at null,
// one `created` history entry; signal.created is emitted.
TEST(SignalCreate, AeSignalFields) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(s.signal_id, "acme:1");
  EXPECT_EQ(s.account_id, "acme");
  EXPECT_EQ(s.route, "ae");
  EXPECT_EQ(s.owner, "ae1");
  EXPECT_EQ(Status(h, "acme:1"), "open");
  EXPECT_EQ(s.score, 70);
  EXPECT_EQ(s.parts.firmographic, 70);
  EXPECT_EQ(s.motion, "strategic");
  EXPECT_TRUE(s.triggers.empty());
  EXPECT_EQ(Iso(s.created_at), "2026-03-02T09:00:00.000Z");
  EXPECT_EQ(Iso(s.touch_due), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(History(h, "acme:1"), Strings{"created@2026-03-02T09:00:00.000Z"});
  const nlohmann::json j = ToJson(s);
  EXPECT_EQ(j["status"], "open");
  EXPECT_TRUE(j["close_reason"].is_null());
  EXPECT_TRUE(j["routed_at"].is_null());
  EXPECT_TRUE(j["first_touch_at"].is_null());
  EXPECT_TRUE(j["touched_within_sla"].is_null());
  EXPECT_TRUE(j["escalated_at"].is_null());
  EXPECT_TRUE(j["opportunity_id"].is_null());
  EXPECT_TRUE(j["closed_at"].is_null());
  EXPECT_EQ(j["score"], 70);
  EXPECT_EQ(j["touch_due"], "2026-03-04T09:00:00.000Z");
  EXPECT_TRUE(j["escalated_to"].is_null());  // null until escalated
  EXPECT_TRUE(j["credit"].is_null());        // null unless won
  EXPECT_TRUE(j["amount"].is_null());
  EXPECT_EQ(h.Acc("acme")->signal_id, std::optional<std::string>("acme:1"));
  bool created = false;
  for (const auto& e : h.engine().TakeChanges().effects)
    if (e.type == "signal.created") {
      created = true;
      EXPECT_EQ(Iso(e.at), "2026-03-02T09:00:00.000Z");
      EXPECT_EQ(e.data["signal_id"], "acme:1");
    }
  EXPECT_TRUE(created);
}

// Route csm: owner = the account's CSM, touch_due = t + 120 h (Mar 2 09:00 ->
// Mar 7 09:00). No AE for an ae route, or no CSM for a csm route ->
// `unassigned`.
TEST(SignalCreate, CsmRouteAndUnassigned) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "beta", "csm");
  Tier(h, "2026-03-02T09:00:00Z", "gamma", "ae", std::nullopt, "csm1");
  Tier(h, "2026-03-02T09:00:00Z", "delta", "csm", "ae1", std::nullopt);
  EXPECT_EQ(Sig(h, "beta:1").route, "csm");
  EXPECT_EQ(Sig(h, "beta:1").owner, "csm1");
  EXPECT_EQ(Sig(h, "beta:1").score, 50);
  EXPECT_EQ(Iso(Sig(h, "beta:1").touch_due), "2026-03-07T09:00:00.000Z");
  EXPECT_EQ(Sig(h, "gamma:1").owner, "unassigned");
  EXPECT_EQ(Sig(h, "delta:1").route, "csm");
  EXPECT_EQ(Sig(h, "delta:1").owner, "unassigned");
}

// Rule 33: motion transactional when at least one trigger is active and all
// are capacity-class, else strategic. Rule 24: triggers on a signal are those
// at creation.
//   acme: seat_trigger (capacity)                   -> transactional
//   beta: seat_trigger + adopt_trigger               -> strategic
//   gamma: adopt_trigger                             -> strategic
//   delta: none -> strategic; a Seat Added after creation leaves the
//          signal's triggers empty.
TEST(SignalCreate, Motion) {
  Harness h(SignalConfig());
  h.Track("2026-03-02T08:00:00Z", "acme", "u1", "Seat Added");
  h.Track("2026-03-02T08:00:00Z", "beta", "u1", "Seat Added");
  h.Track("2026-03-02T08:00:00Z", "beta", "u1", "Feature Adopted");
  h.Track("2026-03-02T08:00:00Z", "gamma", "u1", "Feature Adopted");
  for (const char* a : {"acme", "beta", "gamma", "delta"}) Tier(h, "2026-03-02T09:00:00Z", a, "ae");
  EXPECT_EQ(Sig(h, "acme:1").motion, "transactional");
  EXPECT_EQ(Sig(h, "acme:1").triggers, Strings{"seat_trigger"});
  EXPECT_EQ(Sig(h, "beta:1").motion, "strategic");
  EXPECT_EQ(Sig(h, "beta:1").triggers, (Strings{"adopt_trigger", "seat_trigger"}));
  EXPECT_EQ(Sig(h, "gamma:1").motion, "strategic");
  EXPECT_EQ(Sig(h, "delta:1").motion, "strategic");
  h.Track("2026-03-02T10:00:00Z", "delta", "u1", "Seat Added");
  EXPECT_EQ(h.Acc("delta")->active_triggers, Strings{"seat_trigger"});
  EXPECT_TRUE(Sig(h, "delta:1").triggers.empty());
  EXPECT_EQ(Sig(h, "delta:1").motion, "strategic");
}

// Rule 28: within SLA when first_touch_at < touch_due. touch_due Mar 4 09:00;
// a touch at 08:59:59.999 is within SLA and disarms the escalation: advancing
// past touch_due escalates nothing.
TEST(Touch, WithinSlaStrictlyBeforeTouchDue) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  h.Touch("2026-03-04T08:59:59.999Z", "acme", "acme:1", "ae1");
  h.Advance("2026-03-05T00:00:00Z");
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(Iso(s.first_touch_at), "2026-03-04T08:59:59.999Z");
  EXPECT_EQ(s.touched_within_sla, std::optional<bool>(true));
  EXPECT_FALSE(s.escalated_at.has_value());
  EXPECT_TRUE(s.escalated_to.empty());
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "touched@2026-03-04T08:59:59.999Z"}));
}

// Rules 9, 27, 28: a touch stamped exactly at touch_due comes after the
// escalation. The deadline at Mar 4 09:00 is processed before the touch input:
// escalated_at Mar 4 09:00, escalated_to = ae1's manager from the owner
// record current then (mgr3, updated Mar 3 12:00), then the other revops
// owners sorted by owner_id (rv1, rv2); the touch then sets first_touch_at
// Mar 4 09:00, not within SLA.
TEST(Touch, AtExactlyTouchDueComesAfterEscalation) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  h.Owner("2026-03-03T12:00:00Z", "ae1", "ae", "mgr3");
  (void)h.engine().TakeChanges();
  h.Touch("2026-03-04T09:00:00Z", "acme", "acme:1", "ae1");
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(Iso(s.escalated_at), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(s.escalated_to, (Strings{"mgr3", "rv1", "rv2"}));
  EXPECT_EQ(Iso(s.first_touch_at), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(s.touched_within_sla, std::optional<bool>(false));
  EXPECT_EQ(Status(h, "acme:1"), "open");
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "escalated@2026-03-04T09:00:00.000Z",
                     "touched@2026-03-04T09:00:00.000Z"}));
  int escalations = 0;
  for (const auto& e : h.engine().TakeChanges().effects)
    if (e.type == "signal.escalated") ++escalations;
  EXPECT_EQ(escalations, 1);
}

// Rule 28: a touch applied after the escalation with `at` before touch_due is
// within SLA and never undoes the escalation. Escalated at Mar 4 09:00; a late
// touch stamped Mar 4 08:00 arrives at W = Mar 4 10:00. History is in time
// order (6.3): created, touched (08:00), escalated (09:00).
TEST(Touch, LateTouchAfterEscalationIsWithinSla) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  h.Advance("2026-03-04T10:00:00Z");
  ASSERT_EQ(Iso(Sig(h, "acme:1").escalated_at), "2026-03-04T09:00:00.000Z");
  h.Touch("2026-03-04T08:00:00Z", "acme", "acme:1", "ae1");
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(Iso(s.first_touch_at), "2026-03-04T08:00:00.000Z");
  EXPECT_EQ(s.touched_within_sla, std::optional<bool>(true));
  EXPECT_EQ(Iso(s.escalated_at), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(s.escalated_to, (Strings{"mgr1", "rv1", "rv2"}));
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "touched@2026-03-04T08:00:00.000Z",
                     "escalated@2026-03-04T09:00:00.000Z"}));
  nlohmann::json hist = ToJson(s)["history"];
  ASSERT_EQ(hist.size(), 3u);
  EXPECT_EQ(hist[1]["change"], "touched");
  EXPECT_EQ(hist[1]["at"], "2026-03-04T08:00:00.000Z");
}

// Rule 27 variants, all escalated at Mar 4 09:00:
//   acme  owner ae1 (manager mgr1)                  -> mgr1, rv1, rv2
//   beta  owner "ghost" (no owner record)            -> rv1, rv2
//   gamma owner ae9 whose manager is rv2 (a revops)  -> rv2, rv1 (named once)
//   delta owner rv1 (itself revops)                  -> rv2 (every *other* revops)
//   eps   no AE: unassigned                          -> rv1, rv2
TEST(Escalation, ManagerThenOtherRevopsSorted) {
  Harness h(SignalConfig());
  Owners(h);
  h.Owner("2026-03-01T00:00:00Z", "ae9", "ae", "rv2");
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae", "ghost");
  Tier(h, "2026-03-02T09:00:00Z", "gamma", "ae", "ae9");
  Tier(h, "2026-03-02T09:00:00Z", "delta", "ae", "rv1");
  Tier(h, "2026-03-02T09:00:00Z", "eps", "ae", std::nullopt);
  h.Advance("2026-03-04T09:00:00Z");
  for (const char* id : {"acme:1", "beta:1", "gamma:1", "delta:1", "eps:1"})
    EXPECT_EQ(Iso(Sig(h, id).escalated_at), "2026-03-04T09:00:00.000Z") << id;
  EXPECT_EQ(Sig(h, "acme:1").escalated_to, (Strings{"mgr1", "rv1", "rv2"}));
  EXPECT_EQ(Sig(h, "beta:1").escalated_to, (Strings{"rv1", "rv2"}));
  EXPECT_EQ(Sig(h, "gamma:1").escalated_to, (Strings{"rv2", "rv1"}));
  EXPECT_EQ(Sig(h, "delta:1").escalated_to, (Strings{"rv2"}));
  EXPECT_EQ(Sig(h, "eps:1").owner, "unassigned");
  EXPECT_EQ(Sig(h, "eps:1").escalated_to, (Strings{"rv1", "rv2"}));
}

// Rules 26, 31: the csm->ae move.
//   Mar 2 09:00 tier csm -> acme:1 route csm, owner csm1, touch_due Mar 7 09:00
//     (120 h), score 50.
//   Mar 7 09:00 escalated (csm route) to mgr2, rv1, rv2.
//   Mar 8 09:00 tier ae -> moved: route ae, owner ae1, routed_at Mar 8 09:00,
//     touch_due Mar 10 09:00 (48 h), first touch and escalation reset; the
//     score stays the creation score 50 (rule 24).
//   Mar 10 09:00 escalated again (the ae route's own escalation) to mgr1, rv1, rv2.
//   Expiry stays created + 30 d = Apr 1 09:00.
TEST(CsmToAe, MoveReArmsSlaAndKeepsHistory) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "csm");
  EXPECT_EQ(Sig(h, "acme:1").route, "csm");
  EXPECT_EQ(Sig(h, "acme:1").owner, "csm1");
  EXPECT_EQ(Iso(Sig(h, "acme:1").touch_due), "2026-03-07T09:00:00.000Z");
  h.Advance("2026-03-07T09:00:00Z");
  EXPECT_EQ(Iso(Sig(h, "acme:1").escalated_at), "2026-03-07T09:00:00.000Z");
  EXPECT_EQ(Sig(h, "acme:1").escalated_to, (Strings{"mgr2", "rv1", "rv2"}));
  (void)h.engine().TakeChanges();
  Tier(h, "2026-03-08T09:00:00Z", "acme", "ae");
  {
    const Signal& s = Sig(h, "acme:1");
    EXPECT_EQ(s.route, "ae");
    EXPECT_EQ(s.owner, "ae1");
    EXPECT_EQ(Iso(s.routed_at), "2026-03-08T09:00:00.000Z");
    EXPECT_EQ(Iso(s.touch_due), "2026-03-10T09:00:00.000Z");
    EXPECT_FALSE(s.first_touch_at.has_value());
    EXPECT_FALSE(s.touched_within_sla.has_value());
    EXPECT_FALSE(s.escalated_at.has_value());
    EXPECT_TRUE(s.escalated_to.empty());
    EXPECT_EQ(s.score, 50);
    EXPECT_EQ(Status(h, "acme:1"), "open");
  }
  EXPECT_EQ(h.Sig("acme:2"), nullptr);
  bool routed = false;
  for (const auto& e : h.engine().TakeChanges().effects)
    if (e.type == "signal.routed") routed = Iso(e.at) == "2026-03-08T09:00:00.000Z";
  EXPECT_TRUE(routed);
  h.Advance("2026-03-10T09:00:00Z");
  EXPECT_EQ(Iso(Sig(h, "acme:1").escalated_at), "2026-03-10T09:00:00.000Z");
  EXPECT_EQ(Sig(h, "acme:1").escalated_to, (Strings{"mgr1", "rv1", "rv2"}));
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "escalated@2026-03-07T09:00:00.000Z",
                     "routed@2026-03-08T09:00:00.000Z", "escalated@2026-03-10T09:00:00.000Z"}));
  h.Advance("2026-04-01T08:59:59.999Z");
  EXPECT_TRUE(Sig(h, "acme:1").live());
  h.Advance("2026-04-01T09:00:00Z");
  EXPECT_EQ(Status(h, "acme:1"), "expired");
  EXPECT_EQ(Iso(Sig(h, "acme:1").closed_at), "2026-04-01T09:00:00.000Z");
}

// Rules 26, 28: touches per route.
//   Mar 2 09:00 csm signal (touch_due Mar 7 09:00); CSM touch Mar 3 10:00
//     within SLA.
//   Mar 4 09:00 moved to ae: first_touch_at reset, touch_due Mar 6 09:00.
//   A late touch stamped Mar 4 08:00 precedes the ae route's start: ignored.
//   AE touch Mar 5 10:00: first_touch_at Mar 5 10:00, within SLA; no
//   escalation at Mar 6 09:00. History keeps the CSM's touch.
TEST(CsmToAe, TouchesPerRoute) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "csm");
  h.Touch("2026-03-03T10:00:00Z", "acme", "acme:1", "csm1");
  EXPECT_EQ(Iso(Sig(h, "acme:1").first_touch_at), "2026-03-03T10:00:00.000Z");
  EXPECT_EQ(Sig(h, "acme:1").touched_within_sla, std::optional<bool>(true));
  Tier(h, "2026-03-04T09:00:00Z", "acme", "ae");
  EXPECT_FALSE(Sig(h, "acme:1").first_touch_at.has_value());
  EXPECT_FALSE(Sig(h, "acme:1").touched_within_sla.has_value());
  EXPECT_EQ(Iso(Sig(h, "acme:1").touch_due), "2026-03-06T09:00:00.000Z");
  h.Touch("2026-03-04T08:00:00Z", "acme", "acme:1", "ae1");
  EXPECT_FALSE(Sig(h, "acme:1").first_touch_at.has_value());
  h.Touch("2026-03-05T10:00:00Z", "acme", std::nullopt, "ae1");
  EXPECT_EQ(Iso(Sig(h, "acme:1").first_touch_at), "2026-03-05T10:00:00.000Z");
  EXPECT_EQ(Sig(h, "acme:1").touched_within_sla, std::optional<bool>(true));
  h.Advance("2026-03-07T00:00:00Z");
  EXPECT_FALSE(Sig(h, "acme:1").escalated_at.has_value());
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "touched@2026-03-03T10:00:00.000Z",
                     "routed@2026-03-04T09:00:00.000Z", "touched@2026-03-05T10:00:00.000Z"}));
}

// Rules 25, 26: route csm (or nurture) while an ae signal is open changes
// nothing, and a later CRM owner change does not move the open signal.
TEST(CsmToAe, RouteCsmWhileAeOpenChangesNothing) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-03T09:00:00Z", "acme", "csm");
  EXPECT_EQ(h.Acc("acme")->route, "csm");
  Tier(h, "2026-03-03T10:00:00Z", "acme", "none");
  EXPECT_EQ(h.Acc("acme")->route, "nurture");
  Tier(h, "2026-03-03T11:00:00Z", "acme", "ae", "ae2");
  EXPECT_EQ(h.Acc("acme")->route, "ae");
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(s.route, "ae");
  EXPECT_EQ(s.owner, "ae1");
  EXPECT_FALSE(s.routed_at.has_value());
  EXPECT_EQ(Iso(s.touch_due), "2026-03-04T09:00:00.000Z");
  EXPECT_EQ(Status(h, "acme:1"), "open");
  EXPECT_EQ(History(h, "acme:1"), Strings{"created@2026-03-02T09:00:00.000Z"});
  EXPECT_EQ(h.Sig("acme:2"), nullptr);
}

// Rules 23 (step 7), 31: suppression closes only an `open` signal never
// touched on any route. All signals created Mar 2 09:00; a sev-1 ticket opened
// Mar 3 10:00 on each account.
//   acme (untouched)                  -> suppressed:sev1_ticket at Mar 3 10:00
//   beta (touched Mar 2 11:00)        -> stays open; still expires at
//                                        Apr 1 09:00 (created + 30 d)
//   gamma (csm, touched by the CSM Mar 2 12:00, moved to ae Mar 3 09:00,
//          untouched on ae)           -> stays open
//   delta (opportunity linked Mar 2 12:00, untouched) -> stays `opportunity`
TEST(SuppressedClose, OnlyUntouchedOpenSignals) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "gamma", "csm");
  Tier(h, "2026-03-02T09:00:00Z", "delta", "ae");
  h.Touch("2026-03-02T11:00:00Z", "beta", "beta:1", "ae1");
  h.Touch("2026-03-02T12:00:00Z", "gamma", "gamma:1", "csm1");
  h.Opportunity("2026-03-02T12:00:00Z", "delta", "od", "delta:1", "open", 1000);
  Tier(h, "2026-03-03T09:00:00Z", "gamma", "ae");
  EXPECT_EQ(Sig(h, "gamma:1").route, "ae");
  for (const char* a : {"acme", "beta", "gamma", "delta"}) Sev1(h, "2026-03-03T10:00:00Z", a, "t1");
  EXPECT_EQ(h.Acc("acme")->route, "suppressed");
  EXPECT_EQ(Status(h, "acme:1"), "suppressed");
  EXPECT_EQ(Sig(h, "acme:1").close_reason, std::optional<std::string>("suppressed:sev1_ticket"));
  EXPECT_EQ(Iso(Sig(h, "acme:1").closed_at), "2026-03-03T10:00:00.000Z");
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "closed@2026-03-03T10:00:00.000Z"}));
  EXPECT_EQ(Status(h, "beta:1"), "open");
  EXPECT_EQ(Status(h, "gamma:1"), "open");
  EXPECT_EQ(Status(h, "delta:1"), "opportunity");
  h.Advance("2026-04-01T09:00:00Z");
  EXPECT_EQ(Status(h, "beta:1"), "expired");
  EXPECT_EQ(Sig(h, "beta:1").close_reason, std::optional<std::string>("expired"));
  EXPECT_EQ(Iso(Sig(h, "beta:1").closed_at), "2026-04-01T09:00:00.000Z");
  EXPECT_EQ(Status(h, "delta:1"), "opportunity");
  EXPECT_TRUE(Sig(h, "delta:1").live());
}

// Rule 31: expiry at created + 30 d exactly for an `open` signal; a signal
// with an opportunity does not expire. acme:1 created Mar 2 09:00 -> expires
// Apr 1 09:00 (closed_at, reason `expired`, an evaluation at that instant);
// at 08:59:59.999 it is live. beta:1 (opportunity Mar 3) is live on Apr 10.
TEST(Expiry, ExactlyThirtyDaysForOpenSignals) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  h.Opportunity("2026-03-03T10:00:00Z", "beta", "ob", std::nullopt, "open", 1000);
  h.Advance("2026-04-01T08:59:59.999Z");
  EXPECT_TRUE(Sig(h, "acme:1").live());
  EXPECT_EQ(Status(h, "acme:1"), "open");
  h.Advance("2026-04-01T09:00:00Z");
  EXPECT_EQ(Status(h, "acme:1"), "expired");
  EXPECT_EQ(Sig(h, "acme:1").close_reason, std::optional<std::string>("expired"));
  EXPECT_EQ(Iso(Sig(h, "acme:1").closed_at), "2026-04-01T09:00:00.000Z");
  EXPECT_EQ(Iso(h.Acc("acme")->evaluated_at), "2026-04-01T09:00:00.000Z");
  EXPECT_EQ(History(h, "acme:1").back(), "closed@2026-04-01T09:00:00.000Z");
  h.Advance("2026-04-10T00:00:00Z");
  EXPECT_EQ(Status(h, "beta:1"), "opportunity");
  EXPECT_FALSE(Sig(h, "beta:1").closed_at.has_value());
}

// Rule 32: creation is blocked while t - closed_at < 30 d, whatever the close.
//   acme:1 expired Apr 1 09:00 -> blocked at May 1 08:59:59.999, acme:2 at
//     May 1 09:00 (touch_due May 3 09:00).
//   beta:1 closed as suppressed at Mar 3 10:00 by a sev-1 ticket opened Mar 1
//     10:00 (lifted Mar 31 10:00): blocked until Apr 2 10:00 (the midnights of
//     Apr 1 and Apr 2 create nothing), beta:2 at Apr 2 10:00.
TEST(Cooldown, BlockedUntilExactlyThirtyDays) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  h.Ticket("2026-03-03T10:00:00Z", "beta", "t1", Value::Number(1), "2026-03-01T10:00:00Z");
  EXPECT_EQ(Status(h, "beta:1"), "suppressed");
  h.Track("2026-04-02T09:59:59.999Z", "beta", "u1", "Login");
  EXPECT_EQ(h.Acc("beta")->route, "ae");
  EXPECT_EQ(h.Sig("beta:2"), nullptr);
  h.Track("2026-04-02T10:00:00Z", "beta", "u1", "Login");
  ASSERT_NE(h.Sig("beta:2"), nullptr);
  EXPECT_EQ(Iso(Sig(h, "beta:2").created_at), "2026-04-02T10:00:00.000Z");
  EXPECT_EQ(Iso(Sig(h, "acme:1").closed_at), "2026-04-01T09:00:00.000Z");
  h.Track("2026-05-01T08:59:59.999Z", "acme", "u1", "Login");
  EXPECT_EQ(h.Sig("acme:2"), nullptr);
  h.Track("2026-05-01T09:00:00Z", "acme", "u1", "Login");
  ASSERT_NE(h.Sig("acme:2"), nullptr);
  EXPECT_EQ(Iso(Sig(h, "acme:2").created_at), "2026-05-01T09:00:00.000Z");
  EXPECT_EQ(Iso(Sig(h, "acme:2").touch_due), "2026-05-03T09:00:00.000Z");
  EXPECT_EQ(h.Acc("acme")->signal_id, std::optional<std::string>("acme:2"));
}

// Rule 29: an opportunity is linked once, when first seen.
//   acme: o1 names acme:1 -> linked (status opportunity, history entry);
//         o2 without signal_id later: acme:1 already has one -> unlinked.
//   beta: ob without signal_id -> the live signal beta:1.
//   gamma: og seen Mar 1 before any signal -> unlinked, and never re-linked
//         when updated after gamma:1 exists (even to won).
//   delta: delta:1 expires Apr 1 09:00, delta:2 is created at the midnight
//         of May 2 (cooldown ended May 1 09:00); od1 naming the closed delta:1
//         stays unlinked (no fallback to delta:2); od2 naming the unknown
//         delta:9 stays unlinked.
TEST(Opportunity, LinkingOnce) {
  Harness h(SignalConfig());
  Owners(h);
  h.Opportunity("2026-03-01T12:00:00Z", "gamma", "og", std::nullopt, "open", 100);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "gamma", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "delta", "ae");
  h.Opportunity("2026-03-03T10:00:00Z", "acme", "o1", "acme:1", "open", 1000);
  EXPECT_EQ(Status(h, "acme:1"), "opportunity");
  EXPECT_EQ(Sig(h, "acme:1").opportunity_id, std::optional<std::string>("o1"));
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "opportunity@2026-03-03T10:00:00.000Z"}));
  h.Opportunity("2026-03-04T10:00:00Z", "acme", "o2", std::nullopt, "open", 2000);
  EXPECT_EQ(Sig(h, "acme:1").opportunity_id, std::optional<std::string>("o1"));
  h.Opportunity("2026-03-03T10:00:00Z", "beta", "ob", std::nullopt, "open", 500);
  EXPECT_EQ(Sig(h, "beta:1").opportunity_id, std::optional<std::string>("ob"));
  EXPECT_EQ(Status(h, "beta:1"), "opportunity");
  h.Opportunity("2026-03-03T10:00:00Z", "gamma", "og", std::nullopt, "open", 100);
  h.Opportunity("2026-03-04T10:00:00Z", "gamma", "og", std::nullopt, "won", 100);
  EXPECT_FALSE(Sig(h, "gamma:1").opportunity_id.has_value());
  EXPECT_EQ(Status(h, "gamma:1"), "open");
  h.Advance("2026-05-02T00:00:00Z");
  EXPECT_EQ(Status(h, "delta:1"), "expired");
  ASSERT_NE(h.Sig("delta:2"), nullptr);
  EXPECT_EQ(Iso(Sig(h, "delta:2").created_at), "2026-05-02T00:00:00.000Z");
  h.Opportunity("2026-05-02T10:00:00Z", "delta", "od1", "delta:1", "open", 700);
  h.Opportunity("2026-05-02T11:00:00Z", "delta", "od2", "delta:9", "open", 800);
  EXPECT_FALSE(Sig(h, "delta:1").opportunity_id.has_value());
  EXPECT_EQ(Status(h, "delta:1"), "expired");
  EXPECT_FALSE(Sig(h, "delta:2").opportunity_id.has_value());
  EXPECT_EQ(Status(h, "delta:2"), "open");
}

// Rules 29, 30: won / lost close the signal at the opportunity's closed_at
// (else its record time); won credit.
//   acme (ae1, csm1), ae: 12345 -> ae1 0.8 x 12345 = 9876, csm1 0.2 x 12345 =
//        2469; closed_at = closed_at Mar 9 17:00 (record stamped Mar 10 12:00).
//   beta (ae1, no CSM), ae: 5000 all to ae1.
//   gamma (ae1, csm1), csm route: owner csm1 gets the whole 3000.
//   eps (no AE, csm1), ae: owner unassigned 800, csm1 200.
//   zeta, won without closed_at: closed_at = record time Mar 6 10:00.
//   delta, lost: status lost, closed_at Mar 8 12:00, no credit.
TEST(Won, ClosedAtAndCredit) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae", "ae1", std::nullopt);
  Tier(h, "2026-03-02T09:00:00Z", "gamma", "csm");
  Tier(h, "2026-03-02T09:00:00Z", "eps", "ae", std::nullopt, "csm1");
  Tier(h, "2026-03-02T09:00:00Z", "zeta", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "delta", "ae");
  h.Opportunity("2026-03-03T10:00:00Z", "acme", "o1", "acme:1", "open", 12345);
  h.Opportunity("2026-03-05T10:00:00Z", "beta", "ob", std::nullopt, "won", 5000,
                "2026-03-05T10:00:00Z");
  h.Opportunity("2026-03-05T10:00:00Z", "gamma", "og", "gamma:1", "won", 3000,
                "2026-03-05T10:00:00Z");
  h.Opportunity("2026-03-05T10:00:00Z", "eps", "oe", std::nullopt, "won", 1000,
                "2026-03-05T10:00:00Z");
  h.Opportunity("2026-03-05T10:00:00Z", "zeta", "oz", std::nullopt, "open", 10);
  h.Opportunity("2026-03-06T10:00:00Z", "zeta", "oz", std::nullopt, "won", 10);
  h.Opportunity("2026-03-05T10:00:00Z", "delta", "od", std::nullopt, "open", 400);
  h.Opportunity("2026-03-08T12:00:00Z", "delta", "od", std::nullopt, "lost", 400,
                "2026-03-08T12:00:00Z");
  h.Opportunity("2026-03-10T12:00:00Z", "acme", "o1", "acme:1", "won", 12345,
                "2026-03-09T17:00:00Z");

  const Signal& a = Sig(h, "acme:1");
  EXPECT_EQ(Status(h, "acme:1"), "won");
  EXPECT_EQ(a.close_reason, std::optional<std::string>("won"));
  EXPECT_EQ(Iso(a.closed_at), "2026-03-09T17:00:00.000Z");
  EXPECT_EQ(a.amount, std::optional<double>(12345));
  EXPECT_EQ(a.credit, (std::map<std::string, double>{{"ae1", 9876}, {"csm1", 2469}}));
  EXPECT_EQ(ToJson(a)["credit"], (nlohmann::json{{"ae1", 9876}, {"csm1", 2469}}));
  // Untouched, acme:1 was escalated at touch_due Mar 4 09:00 (an opportunity
  // does not stop the SLA clock).
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "opportunity@2026-03-03T10:00:00.000Z",
                     "escalated@2026-03-04T09:00:00.000Z", "closed@2026-03-09T17:00:00.000Z"}));
  EXPECT_EQ(Sig(h, "beta:1").credit, (std::map<std::string, double>{{"ae1", 5000}}));
  EXPECT_EQ(Iso(Sig(h, "beta:1").closed_at), "2026-03-05T10:00:00.000Z");
  EXPECT_EQ(Sig(h, "gamma:1").owner, "csm1");
  EXPECT_EQ(Sig(h, "gamma:1").credit, (std::map<std::string, double>{{"csm1", 3000}}));
  EXPECT_EQ(Sig(h, "eps:1").credit,
            (std::map<std::string, double>{{"unassigned", 800}, {"csm1", 200}}));
  EXPECT_EQ(Status(h, "zeta:1"), "won");
  EXPECT_EQ(Iso(Sig(h, "zeta:1").closed_at), "2026-03-06T10:00:00.000Z");
  EXPECT_EQ(Status(h, "delta:1"), "lost");
  EXPECT_EQ(Sig(h, "delta:1").close_reason, std::optional<std::string>("lost"));
  EXPECT_EQ(Iso(Sig(h, "delta:1").closed_at), "2026-03-08T12:00:00.000Z");
  EXPECT_TRUE(Sig(h, "delta:1").credit.empty());
}

// Rule 30: credit.csm goes to the account's CSM *at closed_at*. Records:
// acme ae1/csm1 (Mar 2), ae1/csm2 (Mar 8); beta ae1 without CSM (Mar 2),
// ae1/csm1 (Mar 8). Both win 1000 recorded Mar 10 12:00 with closed_at Mar 5
// 17:00: acme -> ae1 800, csm1 200 (csm2 came later); beta -> ae1 1000 (no
// CSM at closed_at).
TEST(Won, CsmCreditedAtClosedAt) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae", "ae1", std::nullopt);
  h.Opportunity("2026-03-03T10:00:00Z", "acme", "oa", std::nullopt, "open", 1000);
  h.Opportunity("2026-03-03T10:00:00Z", "beta", "ob", std::nullopt, "open", 1000);
  Tier(h, "2026-03-08T09:00:00Z", "acme", "ae", "ae1", "csm2");
  Tier(h, "2026-03-08T09:00:00Z", "beta", "ae", "ae1", "csm1");
  h.Opportunity("2026-03-10T12:00:00Z", "acme", "oa", std::nullopt, "won", 1000,
                "2026-03-05T17:00:00Z");
  h.Opportunity("2026-03-10T12:00:00Z", "beta", "ob", std::nullopt, "won", 1000,
                "2026-03-05T17:00:00Z");
  EXPECT_EQ(Sig(h, "acme:1").credit, (std::map<std::string, double>{{"ae1", 800}, {"csm1", 200}}));
  EXPECT_EQ(Sig(h, "beta:1").credit, (std::map<std::string, double>{{"ae1", 1000}}));
}

// Rule 34: deal desk when discount > 0.15 or term > 36 months; fast_track when
// linked to a signal; the lifecycle does not change (status opportunity).
//   acme o1: 0.15 / 36 -> not required; updated to 0.16 / 36 -> required.
//   beta ob: 0 / 37 -> required.
TEST(DealDesk, FlagsOnLinkedOpportunity) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  h.Opportunity("2026-03-03T10:00:00Z", "acme", "o1", "acme:1", "open", 1000, std::nullopt, 0.15,
                36);
  EXPECT_EQ(Sig(h, "acme:1").deal_desk_required, std::optional<bool>(false));
  EXPECT_EQ(Sig(h, "acme:1").fast_track, std::optional<bool>(true));
  h.Opportunity("2026-03-04T10:00:00Z", "acme", "o1", "acme:1", "open", 1000, std::nullopt, 0.16,
                36);
  EXPECT_EQ(Sig(h, "acme:1").deal_desk_required, std::optional<bool>(true));
  EXPECT_EQ(Status(h, "acme:1"), "opportunity");
  h.Opportunity("2026-03-03T10:00:00Z", "beta", "ob", std::nullopt, "open", 1000, std::nullopt, 0,
                37);
  EXPECT_EQ(Sig(h, "beta:1").deal_desk_required, std::optional<bool>(true));
  EXPECT_EQ(Status(h, "beta:1"), "opportunity");
}

// Rule 28: ignored touches.
//   acme: a touch naming the unknown acme:9; a late touch naming acme:1
//         stamped Mar 2 08:00, before its creation (Mar 2 09:00) -> both
//         ignored: first_touch_at null, history only `created`.
//   beta: beta:1 closed by suppression Mar 3 10:00; a touch naming it at
//         Mar 3 11:00 is ignored.
TEST(Touch, UnknownClosedOrEarlyIgnored) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  Tier(h, "2026-03-02T09:00:00Z", "beta", "ae");
  h.Touch("2026-03-02T10:00:00Z", "acme", "acme:9", "ae1");
  h.Touch("2026-03-02T08:00:00Z", "acme", "acme:1", "ae1");
  EXPECT_FALSE(Sig(h, "acme:1").first_touch_at.has_value());
  EXPECT_EQ(History(h, "acme:1"), Strings{"created@2026-03-02T09:00:00.000Z"});
  Sev1(h, "2026-03-03T10:00:00Z", "beta", "t1");
  ASSERT_EQ(Status(h, "beta:1"), "suppressed");
  h.Touch("2026-03-03T11:00:00Z", "beta", "beta:1", "ae1");
  EXPECT_FALSE(Sig(h, "beta:1").first_touch_at.has_value());
  EXPECT_FALSE(Sig(h, "beta:1").ever_touched);
  EXPECT_EQ(History(h, "beta:1").size(), 2u);
}

// Rules 6, 28: touches are facts; an identical touch (or one with the same
// touch_id) is ignored, and a touch is judged when applied.
//   acme: a touch naming the account at Mar 2 09:00 arrives before the record
//         that creates acme:1 at Mar 2 09:00 -> ignored (no live signal then).
//         The identical touch again -> duplicate, ignored. The same with
//         channel "phone" -> counts: first_touch_at Mar 2 09:00, within SLA.
//   beta: touch_id t-1 before the signal -> ignored; t-1 again with another
//         channel -> same id, ignored; t-2 -> counts.
TEST(Touch, DuplicatesIgnored) {
  Harness h(SignalConfig());
  Owners(h);
  h.Touch("2026-03-02T09:00:00Z", "acme", std::nullopt, "ae1");
  Tier(h, "2026-03-02T09:00:00Z", "acme", "ae");
  ASSERT_EQ(Status(h, "acme:1"), "open");
  h.Touch("2026-03-02T09:00:00Z", "acme", std::nullopt, "ae1");
  EXPECT_FALSE(Sig(h, "acme:1").first_touch_at.has_value());
  h.Touch("2026-03-02T09:00:00Z", "acme", std::nullopt, "ae1", "phone");
  EXPECT_EQ(Iso(Sig(h, "acme:1").first_touch_at), "2026-03-02T09:00:00.000Z");
  EXPECT_EQ(Sig(h, "acme:1").touched_within_sla, std::optional<bool>(true));

  TouchWithId(h, "2026-03-02T10:00:00Z", "beta", "t-1", "email");
  Tier(h, "2026-03-02T10:00:00Z", "beta", "ae");
  TouchWithId(h, "2026-03-02T10:00:00Z", "beta", "t-1", "call");
  EXPECT_FALSE(Sig(h, "beta:1").first_touch_at.has_value());
  TouchWithId(h, "2026-03-02T11:00:00Z", "beta", "t-2", "call");
  EXPECT_EQ(Iso(Sig(h, "beta:1").first_touch_at), "2026-03-02T11:00:00.000Z");
}

// 6.3 history: every lifecycle change in time order. csm signal Mar 2 09:00
// (touch_due Mar 7 09:00); CSM touch Mar 3 09:00; moved to ae Mar 4 09:00
// (touch_due Mar 6 09:00); escalated Mar 6 09:00; AE touch Mar 6 10:00 (not
// within SLA); opportunity Mar 7 10:00; won Mar 8 10:00 (credit: ae1 800,
// csm1 200 of 1000).
TEST(History, FullLifecycleInOrder) {
  Harness h(SignalConfig());
  Owners(h);
  Tier(h, "2026-03-02T09:00:00Z", "acme", "csm");
  h.Touch("2026-03-03T09:00:00Z", "acme", "acme:1", "csm1");
  Tier(h, "2026-03-04T09:00:00Z", "acme", "ae");
  h.Touch("2026-03-06T10:00:00Z", "acme", "acme:1", "ae1");
  h.Opportunity("2026-03-07T10:00:00Z", "acme", "o1", std::nullopt, "open", 1000);
  h.Opportunity("2026-03-08T10:00:00Z", "acme", "o1", std::nullopt, "won", 1000,
                "2026-03-08T10:00:00Z");
  EXPECT_EQ(History(h, "acme:1"),
            (Strings{"created@2026-03-02T09:00:00.000Z", "touched@2026-03-03T09:00:00.000Z",
                     "routed@2026-03-04T09:00:00.000Z", "escalated@2026-03-06T09:00:00.000Z",
                     "touched@2026-03-06T10:00:00.000Z", "opportunity@2026-03-07T10:00:00.000Z",
                     "closed@2026-03-08T10:00:00.000Z"}));
  const Signal& s = Sig(h, "acme:1");
  EXPECT_EQ(s.touched_within_sla, std::optional<bool>(false));
  EXPECT_EQ(s.credit, (std::map<std::string, double>{{"ae1", 800}, {"csm1", 200}}));
  const nlohmann::json hist = ToJson(s)["history"];
  ASSERT_EQ(hist.size(), 7u);
  for (size_t i = 1; i < hist.size(); ++i)
    EXPECT_LE(hist[i - 1]["at"].get<std::string>(), hist[i]["at"].get<std::string>());
}

}  // namespace
}  // namespace headroom::testing
