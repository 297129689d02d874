// SPEC 3.5 and 3.7 rules 6, 7, 22: suppression reasons (young contract,
// severity-1 ticket, renewal in negotiation, traits), their order, and the
// route thresholds. Hand-derived expectations above each test.
#include <gtest/gtest.h>

#include <utility>

#include "harness.h"

namespace headroom::testing {
namespace {

Value N(double d) { return Value::Number(d); }
Value S(std::string s) { return Value::String(std::move(s)); }
Value B(bool b) { return Value::Bool(b); }
using Reasons = std::vector<std::string>;

FirmographicCriterion LevelIs(const std::string& level, double points) {
  FirmographicCriterion f;
  f.name = "level_" + level;
  f.trait = "level";
  f.op = FirmographicCriterion::Op::kEquals;
  f.value = S(level);
  f.points = points;
  return f;
}

// Default suppression (contract 60 d, sev-1 30 d, renewal on, no traits);
// score = the points of the account's `level` trait: "ae" 70.
Config SuppressConfigWith(std::vector<TraitCondition> traits = {}) {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_adoption = c.score.usage_value = 0;
  c.score.firmographic_max = 100;
  c.score.firmographic = {LevelIs("ae", 70)};
  c.suppress.traits = std::move(traits);
  return c;
}

Reasons SuppressedBy(Harness& h, const std::string& account) {
  const auto a = h.Acc(account);
  if (!a) {
    ADD_FAILURE() << "unknown account " << account;
    return {"no account"};
  }
  return a->suppressed_by;
}
std::string Route(Harness& h, const std::string& account) {
  const auto a = h.Acc(account);
  return a ? a->route : "no account";
}

void Ticket(Harness& h, const std::string& time, const std::string& account, const std::string& id,
            Value severity, const std::string& opened_at,
            std::optional<std::string> resolved_at = std::nullopt) {
  TicketRecord r;
  r.ticket_id = id;
  r.severity = std::move(severity);
  r.opened_at = T(opened_at);
  if (resolved_at) r.resolved_at = T(*resolved_at);
  r.topic = "outage";
  h.Record(time, account, r);
}

// contract_young while t - start < 60 d (rule 22 wording of 3.5). Contract
// start 2026-01-01T00:00Z (also its time), recorded before the account
// record that makes the level ae. 2026-01-01 + 60 d =
// 2026-03-02T00:00Z (31 + 28 + 1 days).
//   Jan 1 00:00 (the record itself): t - start = 0            -> young
//   Mar 1 23:59:59.999 (an event): 60 d - 1 ms                 -> young
//   Mar 2 00:00 (midnight): exactly 60 d                       -> not young;
//     route ae (level ae, 70) and the signal is created then.
TEST(ContractYoung, LiftsAtExactlySixtyDays) {
  Harness h(SuppressConfigWith());
  h.Contract("2026-01-01T00:00:00Z", "acme", "2026-01-01", {{"seats", N(50)}});
  h.Account("2026-01-01T00:00:00Z", "acme", "ae1", std::nullopt, {{"level", S("ae")}});
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  EXPECT_EQ(Route(h, "acme"), "suppressed");
  h.Track("2026-03-01T23:59:59.999Z", "acme", "u1", "Login");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  EXPECT_EQ(h.Sig("acme:1"), nullptr);
  h.Advance("2026-03-02T00:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{});
  EXPECT_EQ(Route(h, "acme"), "ae");
  ASSERT_NE(h.Sig("acme:1"), nullptr);
  EXPECT_EQ(Iso(h.Sig("acme:1")->created_at), "2026-03-02T00:00:00.000Z");
}

// Rule 7: the contract in force at t is the version with the latest record
// timestamp <= t, whatever its start; a start after t is young. An account
// without a contract is not young.
//   v1: time 2025-01-01, start 2025-01-01               Mar 9 10:00: not young
//   v2: time 2026-03-10T00:00Z, start 2026-04-01 (renewal booked ahead):
//       at Mar 10 00:00 start > t                       -> young
//   v0 arriving late: time 2026-03-05, start 2026-03-01, negotiating: older
//       than v2, so not current at W                    -> still just young
//   Apr 1 00:00: t - start = 0                          -> young
//   May 30 00:00: 59 d                                  -> young
//   May 31 00:00: Apr 1 + 60 d (30 + 30)                -> not young
TEST(ContractYoung, ContractInForceByRecordTimestamp) {
  Harness h(SuppressConfigWith());
  h.Contract("2025-01-01T00:00:00Z", "acme", "2025-01-01", {{"seats", N(50)}});
  h.Track("2026-03-09T10:00:00Z", "acme", "u1", "Login");
  h.Track("2026-03-09T10:00:00Z", "nocontract", "u2", "Login");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "nocontract"), Reasons{});
  h.Contract("2026-03-10T00:00:00Z", "acme", "2026-04-01", {{"seats", N(80)}});
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  EXPECT_EQ(h.Acc("acme")->contract["start"], "2026-04-01T00:00:00.000Z");
  h.Contract("2026-03-05T00:00:00Z", "acme", "2026-03-01", {{"seats", N(60)}}, "negotiating");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  EXPECT_EQ(h.Acc("acme")->contract["start"], "2026-04-01T00:00:00.000Z");
  h.Advance("2026-04-01T00:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  h.Advance("2026-05-30T23:59:59.999Z");
  EXPECT_EQ(Iso(h.Acc("acme")->evaluated_at), "2026-05-30T00:00:00.000Z");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"contract_young"});
  h.Advance("2026-05-31T00:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "nocontract"), Reasons{});
}

// Rule 22: a severity-1 ticket (the JSON number 1, current version)
// suppresses while 0 <= t - opened_at < 30 d, resolved or not.
//   acme: 1, opened Mar 5 10:00. Mar 5 + 30 d = Apr 4 10:00 (26 + 4 days):
//         Apr 4 09:59:59.999 suppressed, Apr 4 10:00 not.
//   beta: "1" -> never.  gamma: 2 -> never.
//   delta: 1.0, resolved Mar 5 12:00 -> suppressed (resolved or not).
//   eps: recorded Mar 1 with opened_at Mar 5 10:00: at Mar 1, t - opened_at < 0
//         -> not; at Mar 5 10:00 -> suppressed.
//   zeta: 1, then the current version says 2 -> lifted; an older version with
//         1 arriving late stays history -> still lifted.
TEST(Sev1Ticket, WindowTypeAndCurrentVersion) {
  Harness h(SuppressConfigWith());
  Ticket(h, "2026-03-01T10:00:00Z", "eps", "t-eps", N(1), "2026-03-05T10:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "eps"), Reasons{});
  Ticket(h, "2026-03-05T10:00:00Z", "acme", "t-acme", N(1), "2026-03-05T10:00:00Z");
  Ticket(h, "2026-03-05T10:00:00Z", "beta", "t-beta", S("1"), "2026-03-05T10:00:00Z");
  Ticket(h, "2026-03-05T10:00:00Z", "gamma", "t-gamma", N(2), "2026-03-05T10:00:00Z");
  Ticket(h, "2026-03-05T12:00:00Z", "delta", "t-delta", N(1.0), "2026-03-05T10:00:00Z",
         "2026-03-05T12:00:00Z");
  Ticket(h, "2026-03-05T12:00:00Z", "zeta", "t-zeta", N(1), "2026-03-05T10:00:00Z");
  h.Track("2026-03-05T12:00:00Z", "eps", "u1", "Login");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"sev1_ticket"});
  EXPECT_EQ(Route(h, "acme"), "suppressed");
  EXPECT_EQ(SuppressedBy(h, "beta"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "gamma"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "delta"), Reasons{"sev1_ticket"});
  EXPECT_EQ(SuppressedBy(h, "eps"), Reasons{"sev1_ticket"});
  EXPECT_EQ(SuppressedBy(h, "zeta"), Reasons{"sev1_ticket"});
  Ticket(h, "2026-03-06T10:00:00Z", "zeta", "t-zeta", N(2), "2026-03-05T10:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "zeta"), Reasons{});
  Ticket(h, "2026-03-05T11:00:00Z", "zeta", "t-zeta", N(1), "2026-03-05T10:00:00Z");
  EXPECT_EQ(SuppressedBy(h, "zeta"), Reasons{});
  h.Track("2026-04-04T09:59:59.999Z", "acme", "u1", "Login");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"sev1_ticket"});
  h.Track("2026-04-04T10:00:00Z", "acme", "u1", "Login");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{});
  EXPECT_EQ(Route(h, "acme"), "nurture");
}

// renewal_status `negotiating` on the contract in force suppresses while
// `renewal_in_negotiation` is on; a newer version with `none` lifts it; with
// the option off it never suppresses. Contract starts (2024-01-01) are a year
// before every evaluation (not young).
TEST(RenewalNegotiating, ContractInForce) {
  Harness h(SuppressConfigWith());
  h.Contract("2025-01-01T00:00:00Z", "acme", "2024-01-01", {}, "negotiating");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"renewal_negotiating"});
  h.Contract("2026-03-01T00:00:00Z", "acme", "2024-01-01", {}, "none");
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{});

  Config off = SuppressConfigWith();
  off.suppress.renewal_in_negotiation = false;
  Harness h2(off);
  h2.Contract("2025-01-01T00:00:00Z", "acme", "2024-01-01", {}, "negotiating");
  EXPECT_EQ(SuppressedBy(h2, "acme"), Reasons{});
}

// suppress.traits: equality on the account's merged traits, JSON type and
// value (rule 12). Conditions: do_not_contact = true, segment = "churned".
//   acme  do_not_contact true     -> trait:do_not_contact
//   beta  do_not_contact "true"   -> none
//   gamma segment "churned"       -> trait:segment
//   delta do_not_contact null     -> none
//   eps   group call sets do_not_contact true -> trait:do_not_contact
TEST(TraitSuppression, TypedEquality) {
  Harness h(SuppressConfigWith({{"do_not_contact", B(true)}, {"segment", S("churned")}}));
  h.Account("2026-03-01T10:00:00Z", "acme", "ae1", std::nullopt, {{"do_not_contact", B(true)}});
  h.Account("2026-03-01T10:00:00Z", "beta", "ae1", std::nullopt, {{"do_not_contact", S("true")}});
  h.Account("2026-03-01T10:00:00Z", "gamma", "ae1", std::nullopt, {{"segment", S("churned")}});
  h.Account("2026-03-01T10:00:00Z", "delta", "ae1", std::nullopt,
            {{"do_not_contact", Value::Null()}});
  h.Group("2026-03-01T10:00:00Z", "u1", "eps", {{"do_not_contact", B(true)}});
  EXPECT_EQ(SuppressedBy(h, "acme"), Reasons{"trait:do_not_contact"});
  EXPECT_EQ(SuppressedBy(h, "beta"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "gamma"), Reasons{"trait:segment"});
  EXPECT_EQ(SuppressedBy(h, "delta"), Reasons{});
  EXPECT_EQ(SuppressedBy(h, "eps"), Reasons{"trait:do_not_contact"});
}

// Rule 22 order: contract_young, sev1_ticket, renewal_negotiating, then
// trait:<name> in config order (zz_flag before aa_flag). The account has all
// of them: a contract starting Mar 1 (young, negotiating), a sev-1 ticket
// opened Mar 2, both flags.
TEST(SuppressionReasons, FixedOrderTraitsInConfigOrder) {
  Harness h(SuppressConfigWith({{"zz_flag", B(true)}, {"aa_flag", B(true)}}));
  h.Account("2026-03-02T10:00:00Z", "acme", "ae1", std::nullopt,
            {{"level", S("ae")}, {"aa_flag", B(true)}, {"zz_flag", B(true)}});
  Ticket(h, "2026-03-02T10:00:00Z", "acme", "t1", N(1), "2026-03-02T09:00:00Z");
  h.Contract("2026-03-02T10:00:00Z", "acme", "2026-03-01", {}, "negotiating");
  const Reasons want = {"contract_young", "sev1_ticket", "renewal_negotiating", "trait:zz_flag",
                        "trait:aa_flag"};
  EXPECT_EQ(SuppressedBy(h, "acme"), want);
  EXPECT_EQ(Route(h, "acme"), "suppressed");
  EXPECT_EQ(AccountSummaryJson(*h.Acc("acme"))["suppressed_by"], nlohmann::json(want));
  EXPECT_EQ(h.Sig("acme:1"), nullptr);  // suppressed accounts get no signal
}

// A signal closed by suppression gets `suppressed:<first reason>`. acme: an
// `ae` signal from Mar 1 09:00. A sev-1 ticket recorded Mar 2 with opened_at
// Mar 3 10:00 does not suppress yet (t - opened_at < 0). At Mar 3 10:00 an
// account record adds zz_flag: sev1_ticket and trait:zz_flag hold together ->
// closed as suppressed:sev1_ticket at Mar 3 10:00.
TEST(SuppressionReasons, SignalClosedWithFirstReason) {
  Harness h(SuppressConfigWith({{"zz_flag", B(true)}}));
  h.Account("2026-03-01T09:00:00Z", "acme", "ae1", std::nullopt, {{"level", S("ae")}});
  ASSERT_NE(h.Sig("acme:1"), nullptr);
  Ticket(h, "2026-03-02T10:00:00Z", "acme", "t1", N(1), "2026-03-03T10:00:00Z");
  EXPECT_TRUE(h.Sig("acme:1")->live());
  h.Account("2026-03-03T10:00:00Z", "acme", "ae1", std::nullopt, {{"zz_flag", B(true)}});
  const Reasons want = {"sev1_ticket", "trait:zz_flag"};
  EXPECT_EQ(SuppressedBy(h, "acme"), want);
  const Signal* s = h.Sig("acme:1");
  EXPECT_EQ(SignalStatusName(s->status), std::string("suppressed"));
  EXPECT_EQ(s->close_reason, std::optional<std::string>("suppressed:sev1_ticket"));
  EXPECT_EQ(Iso(s->closed_at), "2026-03-03T10:00:00.000Z");
}

// Route thresholds compare exactly (rule 16): ae when score >= 70, csm when
// >= 50, else nurture. Scores 70 -> ae, 69.999 -> csm, 69 -> csm, 50 -> csm,
// 49.999 -> nurture, 0 -> nurture.
TEST(Routing, ExactThresholds) {
  Config c = SuppressConfigWith();
  c.score.firmographic = {LevelIs("70", 70), LevelIs("69.999", 69.999), LevelIs("69", 69),
                          LevelIs("50", 50), LevelIs("49.999", 49.999)};
  Harness h(c);
  for (const char* level : {"70", "69.999", "69", "50", "49.999", "0"})
    h.Account("2026-03-01T10:00:00Z", std::string("a") + level, "ae1", "csm1",
              {{"level", S(level)}});
  EXPECT_EQ(h.Acc("a70")->score, 70);
  EXPECT_EQ(Route(h, "a70"), "ae");
  EXPECT_EQ(Route(h, "a69.999"), "csm");
  EXPECT_EQ(Route(h, "a69"), "csm");
  EXPECT_EQ(Route(h, "a50"), "csm");
  EXPECT_EQ(Route(h, "a49.999"), "nurture");
  EXPECT_EQ(Route(h, "a0"), "nurture");
  EXPECT_EQ(h.Sig("a70:1")->route, "ae");
  EXPECT_EQ(h.Sig("a50:1")->route, "csm");
  EXPECT_EQ(h.Sig("a49.999:1"), nullptr);
}

}  // namespace
}  // namespace headroom::testing
