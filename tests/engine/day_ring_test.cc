// DayRing (engine/day_ring.h): the span (newest - size, newest], slots cleared
// when the span moves past them, older days refused.
#include "engine/day_ring.h"

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace headroom {
namespace {

TEST(DayRing, HoldsTheSpanEndingAtTheNewestDay) {
  DayRing<int> ring(5);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.Find(10), nullptr);
  *ring.Mutable(10) = 1;
  *ring.Mutable(8) = 2;                 // older, inside the span (6, 10]
  EXPECT_EQ(ring.Mutable(5), nullptr);  // outside
  EXPECT_EQ(ring.Get(8), 2);
  EXPECT_EQ(ring.Get(11), 0);  // newer than anything written
  *ring.Mutable(12) = 3;       // span (7, 12]: 11 and 12 cleared, 8..10 kept
  EXPECT_EQ(ring.Get(8), 2);
  EXPECT_EQ(ring.Get(10), 1);
  EXPECT_EQ(ring.Get(12), 3);
  *ring.Mutable(13) = 4;  // span (8, 13]: day 8's slot now belongs to 13
  EXPECT_EQ(ring.Find(8), nullptr);
  EXPECT_EQ(ring.Get(13), 4);
  std::vector<int> sums;
  ring.ForRange(9, 13, [&](int v) { sums.push_back(v); });
  EXPECT_EQ(sums, (std::vector<int>{0, 1, 0, 3, 4}));
  std::vector<std::pair<Day, int>> held;
  ring.ForEach([&](Day d, int v) { held.emplace_back(d, v); });
  EXPECT_EQ(held, (std::vector<std::pair<Day, int>>{{13, 4}, {12, 3}, {10, 1}}));
  *ring.Mutable(100) = 5;  // a jump past the whole span clears it
  EXPECT_EQ(ring.Get(13), 0);
  EXPECT_EQ(ring.Get(100), 5);
}

TEST(DayRing, NegativeDays) {
  DayRing<int> ring(3);
  *ring.Mutable(-1) = 7;
  *ring.Mutable(-3) = 8;
  EXPECT_EQ(ring.Get(-1), 7);
  EXPECT_EQ(ring.Get(-3), 8);
  EXPECT_EQ(ring.Mutable(-4), nullptr);
  *ring.Mutable(1) = 9;  // span (-2, 1]
  EXPECT_EQ(ring.Get(-3), 0);
  EXPECT_EQ(ring.Get(-1), 7);
}

TEST(DayRing, IdleRingHoldsNothing) {
  DayRing<int> ring(0);
  EXPECT_EQ(ring.size(), 0);
  EXPECT_EQ(ring.Mutable(5), nullptr);
  EXPECT_TRUE(ring.empty());
  EXPECT_EQ(ring.Get(5), 0);
  int sum = 0, seen = 0;
  ring.ForRange(1, 3, [&](int v) { sum += v, ++seen; });
  EXPECT_EQ(seen, 3);
  EXPECT_EQ(sum, 0);
}

TEST(DayRing, CopiesAreIndependentAndTheMinimumDayIsNeverHeld) {
  DayRing<int> ring(3);
  EXPECT_EQ(ring.Mutable(std::numeric_limits<Day>::min()), nullptr);
  EXPECT_TRUE(ring.empty());
  *ring.Mutable(10) = 1;
  DayRing<int> copy(ring);
  *copy.Mutable(10) = 2;
  EXPECT_EQ(ring.Get(10), 1);
  EXPECT_EQ(copy.Get(10), 2);
  copy = ring;
  EXPECT_EQ(copy.Get(10), 1);
}

// Rings of up to 8 bytes of slots keep them inline; copies and moves of
// both kinds stay independent and exact.
TEST(DayRing, InlineAndHeapRingsCopyAndMove) {
  DayRing<int32_t> small(2);  // 8 bytes: inline
  DayRing<double> one(1);     // 8 bytes: inline
  DayRing<int32_t> big(3);    // 12 bytes: heap
  *small.Mutable(4) = 40;
  *small.Mutable(5) = 50;
  EXPECT_EQ(small.Mutable(3), nullptr);  // outside (3, 5]
  *one.Mutable(7) = 0.5;
  *one.Mutable(8) = 1.5;  // span (7, 8]: day 7 gone
  EXPECT_EQ(one.Find(7), nullptr);
  *big.Mutable(9) = 90;
  DayRing<int32_t> small_copy(small);
  *small_copy.Mutable(5) = 55;
  EXPECT_EQ(small.Get(5), 50);
  EXPECT_EQ(small_copy.Get(4), 40);
  DayRing<int32_t> moved(std::move(small_copy));
  EXPECT_EQ(moved.Get(5), 55);
  EXPECT_EQ(moved.Get(4), 40);
  DayRing<int32_t> big_moved(std::move(big));
  EXPECT_EQ(big_moved.Get(9), 90);
  big_moved = std::move(moved);  // a heap ring takes an inline one's slots
  EXPECT_EQ(big_moved.size(), 2);
  EXPECT_EQ(big_moved.Get(5), 55);
  moved = DayRing<int32_t>(3);  // and the other way round
  *moved.Mutable(20) = 200;
  small = moved;
  EXPECT_EQ(small.size(), 3);
  EXPECT_EQ(small.Get(20), 200);
  EXPECT_EQ(one.Get(8), 1.5);
}

}  // namespace
}  // namespace headroom
