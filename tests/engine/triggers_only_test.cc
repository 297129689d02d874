// EvaluationMode::kTriggersOnly (the backtest's engine) against a full
// engine fed the same inputs: the firings agree, and TriggerFiringsProven is
// false exactly when a signal's deadline, which only the full engine
// evaluates at, may have kept an episode alive (engine/unseen_deadlines.h).
//
// Setup: pings = count of Ping over 2d; ping_trigger (adoption) holds at
// pings >= 1. Usage adoption is worth 70 points, so the first firing routes
// the account to its AE: signal a1:1 with touch_due 48 h later.
#include <gtest/gtest.h>

#include "engine/trigger_condition.h"
#include "harness.h"

namespace headroom::testing {
namespace {

Config PingConfig(int hold_days) {
  Config c = BareConfig();
  c.score.usage_capacity = c.score.usage_value = 0;
  c.score.usage_adoption = 70;
  c.metrics.push_back(Metric("pings", MetricForm::kCount, {"Ping"}, "", Days(2)));
  TriggerDef ping;
  ping.name = "ping_trigger";
  ping.cls = TriggerClass::kAdoption;
  ping.metric = "pings";
  ping.at = 1;
  ping.hold_days = hold_days;
  c.triggers.push_back(ping);
  return c;
}

// Feeds both engines the same history: the account record, Pings at `pings`.
void Feed(Harness& h, const std::vector<std::string>& pings) {
  h.Owner("2026-03-01T00:00:00Z", "ae1", "ae", "mgr1");
  h.Account("2026-03-01T00:00:00Z", "a1", "ae1", std::nullopt);
  for (const auto& at : pings) h.Track(at, "a1", "u1", "Ping");
}

// A full and a triggers-only engine fed the same history: Pings at Mar 1
// 10:00, Mar 2 12:00 and `third`.
struct BothEngines {
  explicit BothEngines(const std::string& third) {
    for (Harness* h : {&full, &only})
      Feed(*h, {"2026-03-01T10:00:00Z", "2026-03-02T12:00:00Z", third});
  }
  Harness full{PingConfig(1)};
  Harness only{PingConfig(1), EvaluationMode::kTriggersOnly};
};

std::vector<std::string> FiredAt(Harness& h) {
  std::vector<std::string> out;
  for (const Firing& f : h.Firings("a1")) out.push_back(Iso(f.fired_at));
  return out;
}

// Pings Mar 1 10:00 and Mar 2 12:00 hold the trigger through Mar 3 (2-day
// window); the full engine's signal a1:1 (touch_due Mar 3 10:00) evaluates
// a1 at that deadline, where it still holds: last_held = Mar 3 10:00, so its
// episode runs until Mar 4 10:00. The triggers-only engine last saw it hold
// at the Mar 3 midnight and ends the episode at the Mar 4 midnight; the Ping
// at Mar 4 05:00 then starts a second episode there, a continuation in the
// full engine: unproven.
TEST(TriggersOnly, AnUnseenDeadlineThatKeepsTheEpisodeAliveIsFlagged) {
  BothEngines e("2026-03-04T05:00:00Z");
  Harness& full = e.full;
  Harness& only = e.only;
  ASSERT_NE(full.Sig("a1:1"), nullptr);
  EXPECT_EQ(Iso(full.Sig("a1:1")->touch_due), "2026-03-03T10:00:00.000Z");
  EXPECT_EQ(FiredAt(full), (std::vector<std::string>{"2026-03-01T10:00:00.000Z"}));
  EXPECT_EQ(FiredAt(only),
            (std::vector<std::string>{"2026-03-01T10:00:00.000Z", "2026-03-04T05:00:00.000Z"}));
  EXPECT_TRUE(full.engine().TriggerFiringsProven(0));
  EXPECT_FALSE(only.engine().TriggerFiringsProven(0));
  EXPECT_EQ(only.Sig("a1:1"), nullptr);  // no signals in this mode
}

// The same, but the third Ping comes Mar 5 06:00: both engines ended the
// first episode by the Mar 5 midnight (the full one at Mar 4 10:00, the other
// at Mar 4 00:00, a full engine's end being at most Mar 5 00:00), so the
// second firing is the same and proven.
TEST(TriggersOnly, AFiringAfterEveryPossibleEndIsProven) {
  BothEngines e("2026-03-05T06:00:00Z");
  Harness& full = e.full;
  Harness& only = e.only;
  const std::vector<std::string> expected = {"2026-03-01T10:00:00.000Z",
                                             "2026-03-05T06:00:00.000Z"};
  EXPECT_EQ(FiredAt(full), expected);
  EXPECT_EQ(FiredAt(only), expected);
  EXPECT_TRUE(only.engine().TriggerFiringsProven(0));
}

// A Ping at Mar 4 23:00 (one hour before the bound Mar 5 00:00) is flagged
// although here the full engine agrees (its episode ended Mar 4 10:00): the
// proof is conservative, never wrong.
TEST(TriggersOnly, TheBoundIsConservative) {
  BothEngines e("2026-03-04T23:00:00Z");
  Harness& full = e.full;
  Harness& only = e.only;
  const std::vector<std::string> expected = {"2026-03-01T10:00:00.000Z",
                                             "2026-03-04T23:00:00.000Z"};
  EXPECT_EQ(FiredAt(full), expected);
  EXPECT_EQ(FiredAt(only), expected);
  EXPECT_FALSE(only.engine().TriggerFiringsProven(0));
}

// hold_days 0: every evaluation where the condition holds ends the previous
// episode and starts one (rule 18), so an unseen deadline would add firings:
// any holding is unproven. Without any holding, proven.
TEST(TriggersOnly, HoldZeroIsProvenOnlyWhileNothingHolds) {
  Harness quiet(PingConfig(0), EvaluationMode::kTriggersOnly);
  quiet.Owner("2026-03-01T00:00:00Z", "ae1", "ae", "mgr1");
  quiet.Track("2026-03-01T10:00:00Z", "a1", "u1", "Other");
  quiet.Advance("2026-03-09T00:00:00Z");
  EXPECT_TRUE(quiet.Firings().empty());
  EXPECT_TRUE(quiet.engine().TriggerFiringsProven(0));

  Harness busy(PingConfig(0), EvaluationMode::kTriggersOnly);
  busy.Track("2026-03-01T10:00:00Z", "a1", "u1", "Ping");
  EXPECT_EQ(busy.Firings().size(), 1u);
  EXPECT_FALSE(busy.engine().TriggerFiringsProven(0));
}

// Variants of one trigger (other at, sustained_days, hold_days) measure the
// same quantity and share it at an evaluation; another limit, another
// min_denominator or another metric do not.
TEST(TriggersOnly, SameQuantityComparesWhatTheQuantityReads) {
  TriggerDef base;
  base.metric = "seats";
  base.limit = "seats";
  TriggerDef variant = base;
  variant.at = 0.5;
  variant.sustained_days = 10;
  variant.hold_days = 3;
  TriggerDef other_limit = base;
  other_limit.limit = "users";
  TriggerDef no_limit = base;
  no_limit.limit.reset();
  TriggerDef min_den = base;
  min_den.min_denominator = 20;
  const CompiledTrigger a{&base, 0, -1, -1};
  EXPECT_TRUE(SameQuantity(a, CompiledTrigger{&variant, 0, -1, -1}));
  EXPECT_FALSE(SameQuantity(a, CompiledTrigger{&variant, 1, -1, -1}));
  EXPECT_FALSE(SameQuantity(a, CompiledTrigger{&other_limit, 0, -1, -1}));
  EXPECT_FALSE(SameQuantity(a, CompiledTrigger{&no_limit, 0, -1, -1}));
  EXPECT_FALSE(SameQuantity(a, CompiledTrigger{&min_den, 0, -1, -1}));
  EXPECT_FALSE(SameQuantity(CompiledTrigger{&base, -1, 0, 1}, CompiledTrigger{&base, -1, 1, 0}));
}

}  // namespace
}  // namespace headroom::testing
