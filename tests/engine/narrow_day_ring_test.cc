// NarrowDayRing (engine/narrow_day_ring.h): DayRing's span rules, values kept
// in the narrowest of int8/int16/int32/double that holds them all, read back
// exactly, widened in place (never narrowed), inline up to 8 bytes.
#include "engine/narrow_day_ring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <utility>
#include <vector>

namespace headroom {
namespace {

std::vector<double> Range(const NarrowDayRing& ring, Day from, Day to) {
  std::vector<double> out;
  ring.ForRange(from, to, [&](double v) { out.push_back(v); });
  return out;
}

std::vector<std::pair<Day, double>> Held(const NarrowDayRing& ring) {
  std::vector<std::pair<Day, double>> out;
  ring.ForEach([&](Day d, double v) { out.emplace_back(d, v); });
  return out;
}

// The span rules of DayRing, with Add/Set: ring of 5, writes at 10 and 8, 5
// refused, 12 clears 11 (and 12), 13 takes day 8's slot, 100 clears all.
TEST(NarrowDayRing, HoldsTheSpanEndingAtTheNewestDay) {
  NarrowDayRing ring(5);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.Get(10), 0);
  EXPECT_EQ(ring.Add(10, 1), 0.0);
  EXPECT_TRUE(ring.Set(8, 2));
  EXPECT_EQ(ring.Add(5, 1), std::nullopt);  // older than the span (6, 10]
  EXPECT_FALSE(ring.Set(5, 1));
  EXPECT_EQ(ring.Get(5), 0);
  EXPECT_EQ(ring.Get(11), 0);
  EXPECT_EQ(ring.Add(12, 3), 0.0);  // span (7, 12]: 11 and 12 cleared
  EXPECT_EQ(ring.Add(12, 1), 3.0);  // the value before
  EXPECT_EQ(Range(ring, 8, 12), (std::vector<double>{2, 0, 1, 0, 4}));
  EXPECT_TRUE(ring.Set(13, 5));  // span (8, 13]: day 8's slot is 13's now
  EXPECT_EQ(ring.Get(8), 0);
  EXPECT_EQ(Held(ring), (std::vector<std::pair<Day, double>>{{13, 5}, {12, 4}, {10, 1}}));
  EXPECT_EQ(Range(ring, 7, 14), (std::vector<double>{0, 0, 0, 1, 0, 4, 5, 0}));
  EXPECT_TRUE(ring.Touch(100));  // a jump past the whole span clears it
  EXPECT_EQ(ring.newest(), 100);
  EXPECT_TRUE(Held(ring).empty());
  EXPECT_EQ(ring.slot_bytes(), 1);
}

// Moving forward by less than the span clears exactly the skipped days, also
// when they wrap past the end of the slots, and across day 0.
TEST(NarrowDayRing, ClearsTheSkippedDaysAcrossTheWrapAndDayZero) {
  NarrowDayRing ring(4);
  for (Day d = -3; d <= 0; ++d) ring.Set(d, 10 + d);  // -3..0 -> 7, 8, 9, 10
  EXPECT_EQ(Range(ring, -3, 0), (std::vector<double>{7, 8, 9, 10}));
  ring.Set(2, 1);  // span (-2, 2]: day 1 cleared, -1 and 0 kept
  EXPECT_EQ(Range(ring, -2, 2), (std::vector<double>{0, 9, 10, 0, 1}));
  ring.Set(5, 2);  // span (1, 5]: 3, 4 cleared; 2 kept
  EXPECT_EQ(Range(ring, 1, 5), (std::vector<double>{0, 1, 0, 0, 2}));
}

// Widening: 127 fits a byte, 128 needs two; -32768 two, 40000 four; 0.5,
// -0, 3e9 and infinity a double. Every value held before a widening reads
// back unchanged after it, and the width never shrinks.
TEST(NarrowDayRing, WidensToTheNarrowestTypeHoldingEveryValue) {
  NarrowDayRing ring(3);
  ring.Set(1, 127);
  ring.Set(2, -128);
  EXPECT_EQ(ring.slot_bytes(), 1);
  EXPECT_EQ(ring.Add(1, 1), 127.0);  // 128
  EXPECT_EQ(ring.slot_bytes(), 2);
  ring.Set(3, -32768);
  EXPECT_EQ(ring.slot_bytes(), 2);
  ring.Set(3, 40000);
  EXPECT_EQ(ring.slot_bytes(), 4);
  EXPECT_EQ(Range(ring, 1, 3), (std::vector<double>{128, -128, 40000}));
  ring.Set(3, 0);
  EXPECT_EQ(ring.slot_bytes(), 4);  // never narrower again
  ring.Add(2, 0.5);
  EXPECT_EQ(ring.slot_bytes(), 8);
  EXPECT_EQ(Range(ring, 1, 3), (std::vector<double>{128, -127.5, 0}));

  NarrowDayRing zero(2);
  zero.Set(1, -0.0);  // kept as a double: it reads back as -0
  EXPECT_EQ(zero.slot_bytes(), 8);
  EXPECT_TRUE(std::signbit(zero.Get(1)));
  NarrowDayRing big(2);
  big.Set(1, 3e9);
  EXPECT_EQ(big.slot_bytes(), 8);
  EXPECT_EQ(big.Get(1), 3e9);
  big.Set(2, std::numeric_limits<double>::infinity());
  EXPECT_EQ(big.Get(2), std::numeric_limits<double>::infinity());
}

// A day sum computed here is the double a DayRing<double> would hold: the
// same additions in the same order (0.1 + 0.2 is not 0.3).
TEST(NarrowDayRing, SumsAreTheDoublesOfTheSameAdditions) {
  NarrowDayRing ring(2);
  ring.Add(1, 0.1);
  ring.Add(1, 0.2);
  EXPECT_EQ(ring.Get(1), 0.1 + 0.2);
  EXPECT_NE(ring.Get(1), 0.3);
  ring.Add(2, 2);
  ring.Add(2, 1e300);
  EXPECT_EQ(ring.Get(2), 2 + 1e300);
}

// Idle rings (size 0) hold nothing; INT32_MIN is never held.
TEST(NarrowDayRing, IdleRingAndTheMinimumDay) {
  NarrowDayRing idle(0);
  EXPECT_EQ(idle.Add(3, 1), std::nullopt);
  EXPECT_FALSE(idle.Touch(3));
  EXPECT_TRUE(idle.empty());
  EXPECT_EQ(Range(idle, 1, 3), (std::vector<double>{0, 0, 0}));
  NarrowDayRing ring(3);
  EXPECT_FALSE(ring.Set(std::numeric_limits<Day>::min(), 1));
  EXPECT_TRUE(ring.empty());
  // The size is kept in 30 bits: a larger ring is refused, not truncated.
  EXPECT_THROW(NarrowDayRing(NarrowDayRing::kMaxSize + 1), std::length_error);
}

// Up to 8 bytes of slots live inline (8 one-byte slots; 2 four-byte ones),
// beyond on the heap; a widening can move a ring from one to the other.
// Copies are independent and moves leave an empty ring, both ways.
TEST(NarrowDayRing, InlineAndHeapRingsCopyMoveAndWiden) {
  NarrowDayRing small(8);  // 8 bytes: inline
  for (Day d = 1; d <= 8; ++d) small.Set(d, d);
  NarrowDayRing copy(small);
  copy.Add(8, 200);  // widens the copy to the heap: 208 needs two bytes
  EXPECT_EQ(copy.slot_bytes(), 2);
  EXPECT_EQ(small.Get(8), 8);
  EXPECT_EQ(copy.Get(8), 208);
  EXPECT_EQ(Range(copy, 1, 8), (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 208}));
  NarrowDayRing moved(std::move(copy));
  EXPECT_EQ(moved.Get(8), 208);
  EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): the moved-from state is specified
  small = moved;              // heap into inline
  EXPECT_EQ(small.Get(8), 208);
  moved = NarrowDayRing(2);  // and back
  EXPECT_TRUE(moved.empty());
  EXPECT_EQ(small.Get(1), 1);
  small = std::move(moved);
  EXPECT_TRUE(small.empty());
  EXPECT_EQ(small.size(), 2);
}

}  // namespace
}  // namespace headroom
