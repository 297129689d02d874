// FingerprintMap (engine/fingerprint_map.h): 12-byte slots for a 4-byte
// value, keys that differ only in their high or low 32 bits stay apart, and
// growth keeps every entry.
#include "engine/fingerprint_map.h"

#include <gtest/gtest.h>

namespace headroom {
namespace {

TEST(FingerprintMap, FourByteValuesTakeTwelveByteSlots) {
  EXPECT_EQ(FingerprintMap<uint32_t>::slot_bytes(), 12u);
}

TEST(FingerprintMap, KeysDifferingInOneHalfAreDistinct) {
  FingerprintMap<uint32_t> m;
  const uint64_t lo_only = 0x0000'0000'1234'5678ULL;
  const uint64_t hi_only = 0x1234'5678'0000'0000ULL;
  const uint64_t both = 0x1234'5678'1234'5678ULL;
  EXPECT_TRUE(m.TryEmplace(lo_only, 1).second);
  EXPECT_TRUE(m.TryEmplace(hi_only, 2).second);
  EXPECT_TRUE(m.TryEmplace(both, 3).second);
  EXPECT_EQ(*m.TryEmplace(lo_only, 9).first, 1u);
  EXPECT_EQ(*m.TryEmplace(hi_only, 9).first, 2u);
  const auto [value, inserted] = m.TryEmplace(both, 9);
  EXPECT_FALSE(inserted);
  EXPECT_EQ(*value, 3u);
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m.capacity(), 4u);  // 3 of 4 slots: at most 3/4 full
}

TEST(FingerprintMap, GrowsAtThreeQuartersAndKeepsEveryEntry) {
  FingerprintMap<uint32_t> m;
  for (uint32_t i = 1; i <= 1000; ++i) {
    ASSERT_TRUE(m.TryEmplace(i * 0x9E3779B97F4A7C15ULL, i).second);
    EXPECT_LE(m.size() * 4, m.capacity() * 3);
  }
  EXPECT_EQ(m.size(), 1000u);
  EXPECT_EQ(m.capacity(), 2048u);  // 1000 > 3/4 of 1024
  for (uint32_t i = 1; i <= 1000; ++i) {
    const auto [value, inserted] = m.TryEmplace(i * 0x9E3779B97F4A7C15ULL, 0);
    EXPECT_FALSE(inserted);
    EXPECT_EQ(*value, i);
  }
  FingerprintMap<uint32_t> r;
  r.reserve(40);
  EXPECT_EQ(r.capacity(), 64u);
}

}  // namespace
}  // namespace headroom
