// DistinctValues (engine/distinct_values.h): fingerprints follow Value
// equality (SPEC 3.7 rule 12), first/last days move, and the seen-day bits
// answer "seen within [from, to]" across word boundaries and shifts.
#include "engine/distinct_values.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(DistinctValues, FingerprintsFollowValueEquality) {
  using DV = DistinctValues;
  EXPECT_EQ(DV::FingerprintOf(Value::Number(1)), DV::FingerprintOf(Value::Number(1.0)));
  EXPECT_EQ(DV::FingerprintOf(Value::Number(-0.0)), DV::FingerprintOf(Value::Number(0)));
  EXPECT_NE(DV::FingerprintOf(Value::String("1")), DV::FingerprintOf(Value::Number(1)));
  EXPECT_NE(DV::FingerprintOf(Value::Bool(true)), DV::FingerprintOf(Value::Number(1)));
  EXPECT_NE(DV::FingerprintOf(Value::Raw("\"a\"")), DV::FingerprintOf(Value::String("\"a\"")));
  EXPECT_EQ(DV::FingerprintOfUser("u1"), DV::FingerprintOf(Value::String("u1")));
  EXPECT_NE(DV::FingerprintOfUser("u1"), DV::FingerprintOfUser("u2"));
}

TEST(DistinctValues, InsertFindsGrowsAndKeepsEveryEntry) {
  DistinctValues v(0);
  for (uint64_t k = 1; k <= 1000; ++k) {
    auto [slot, inserted] = v.Insert(k * 0x9E3779B97F4A7C15ULL, static_cast<Day>(k));
    EXPECT_TRUE(inserted);
    EXPECT_EQ(v.entry(slot).first_day, static_cast<Day>(k));
  }
  EXPECT_EQ(v.size(), 1000u);
  auto [slot, inserted] = v.Insert(7 * 0x9E3779B97F4A7C15ULL, 5000);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(v.entry(slot).first_day, 7);
  EXPECT_EQ(v.entry(slot).last_day, 7);
  v.See(slot, 5000);
  v.See(slot, 3);
  EXPECT_EQ(v.entry(slot).first_day, 3);
  EXPECT_EQ(v.entry(slot).last_day, 5000);
  size_t seen = 0;
  v.ForEach([&](size_t) { ++seen; });
  EXPECT_EQ(seen, 1000u);
  EXPECT_FALSE(v.SeenWithin(slot, 0, 4999));  // no history kept
}

TEST(DistinctValues, SeenDaysAcrossWordsAndShifts) {
  DistinctValues v(100);  // 100 days back: two words
  ASSERT_EQ(v.history_words(), 2);
  auto [slot, inserted] = v.Insert(42, 1000);
  ASSERT_TRUE(inserted);
  v.See(slot, 930);   // 70 back: second word
  v.See(slot, 990);   // 10 back
  v.See(slot, 1000);  // again
  EXPECT_TRUE(v.SeenWithin(slot, 930, 930));
  EXPECT_FALSE(v.SeenWithin(slot, 931, 989));
  EXPECT_TRUE(v.SeenWithin(slot, 931, 990));
  EXPECT_TRUE(v.SeenWithin(slot, 900, 935));
  EXPECT_FALSE(v.SeenWithin(slot, 991, 999));
  // Moving the last day 20 later shifts every seen day 20 bits older; day 930
  // is now 90 back, across the word boundary.
  v.See(slot, 1020);
  EXPECT_EQ(v.entry(slot).last_day, 1020);
  EXPECT_TRUE(v.SeenWithin(slot, 930, 930));
  EXPECT_TRUE(v.SeenWithin(slot, 1000, 1000));
  EXPECT_TRUE(v.SeenWithin(slot, 990, 990));
  EXPECT_FALSE(v.SeenWithin(slot, 1001, 1019));
  EXPECT_FALSE(v.SeenWithin(slot, 931, 989));
  // A day beyond the kept 128 bits is forgotten; a shift past them clears all.
  v.See(slot, 800);
  EXPECT_FALSE(v.SeenWithin(slot, 700, 850));
  EXPECT_EQ(v.entry(slot).first_day, 800);
  v.See(slot, 1300);
  EXPECT_FALSE(v.SeenWithin(slot, 900, 1299));
  EXPECT_TRUE(v.SeenWithin(slot, 1300, 1300));
}

TEST(DistinctValues, RestoreRefusesDuplicatesAndKeepsBits) {
  DistinctValues v(30);
  auto [slot, inserted] = v.Insert(9, 100);
  v.See(slot, 95);
  DistinctValues copy(30);
  std::vector<uint64_t> bits(v.bits(slot), v.bits(slot) + v.history_words());
  EXPECT_TRUE(copy.Restore(v.entry(slot), bits));
  EXPECT_FALSE(copy.Restore(v.entry(slot), bits));
  auto [again, fresh] = copy.Insert(9, 200);
  EXPECT_FALSE(fresh);
  EXPECT_TRUE(copy.SeenWithin(again, 95, 95));
  EXPECT_FALSE(copy.SeenWithin(again, 96, 99));
}

TEST(DistinctValues, ReserveAllocatesWhatInsertionsWouldReach) {
  // Capacities by the 3/4 rule: 3 values fit 4 slots, 4 need 8, 7 need 16, 25 need 64.
  for (const auto& [n, capacity] : std::vector<std::pair<size_t, size_t>>{
           {1, 4}, {3, 4}, {4, 8}, {6, 8}, {7, 16}, {24, 32}, {25, 64}}) {
    DistinctValues grown(0), reserved(0);
    reserved.Reserve(n);
    EXPECT_EQ(reserved.capacity(), capacity) << n;
    for (uint64_t k = 1; k <= n; ++k) {
      grown.Insert(k * 0x9e3779b97f4a7c15ULL, 10);
      EXPECT_TRUE(reserved.Restore({k * 0x9e3779b97f4a7c15ULL, 10, 10}, {}));
    }
    EXPECT_EQ(grown.capacity(), capacity) << n;
    EXPECT_EQ(reserved.capacity(), capacity) << n;  // no growth while restoring
  }
  DistinctValues none(0);
  none.Reserve(0);
  EXPECT_EQ(none.capacity(), 0u);
}

TEST(DistinctValues, CopiesAreIndependent) {
  DistinctValues v(70);  // two seen-day words
  const size_t a = v.Insert(7, 100).first;
  v.See(a, 40);
  for (uint64_t k = 1; k <= 5; ++k) v.Insert(100 + k, 50);  // grows past the first capacity
  DistinctValues copy(v);
  EXPECT_EQ(copy.size(), 6u);
  const size_t c = copy.Insert(7, 100).first;
  EXPECT_TRUE(copy.SeenWithin(c, 40, 40));
  copy.See(c, 41);
  const size_t a2 = v.Insert(7, 100).first;
  EXPECT_FALSE(v.SeenWithin(a2, 41, 41));  // the original is untouched
  copy = v;
  EXPECT_FALSE(copy.SeenWithin(copy.Insert(7, 100).first, 41, 41));
}

}  // namespace
}  // namespace headroom
