// UserDirectory: users in the order they became known, their keys kept
// exactly (packed in chunks), and exact look-ups even when two keys share a
// fingerprint.
#include "engine/user_directory.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/distinct_values.h"

namespace headroom {
namespace {

std::pair<uint32_t, bool> Add(UserDirectory& d, const std::string& key) {
  return d.TryEmplaceOrdinal(key, DistinctValues::FingerprintOfUser(key));
}

TEST(UserDirectory, KeepsArrivalOrderKeysAndRecords) {
  UserDirectory d;
  auto [first, added] = Add(d, "u1");
  ASSERT_TRUE(added);
  EXPECT_EQ(first, 0u);
  d.record(first).MutableTraits()["title"] = TimedValue{Value::String("CTO"), 5, 1};
  for (int i = 2; i <= 10'000; ++i) ASSERT_TRUE(Add(d, "u" + std::to_string(i)).second) << i;
  EXPECT_EQ(d.size(), 10'000u);
  // A repeat adds nothing and finds the same user, traits kept.
  auto [again, added_again] = Add(d, "u1");
  EXPECT_FALSE(added_again);
  EXPECT_EQ(again, 0u);
  EXPECT_EQ(d.record(0).identified->traits.at("title").value, Value::String("CTO"));
  EXPECT_EQ(Add(d, "u5000"), std::make_pair(uint32_t{4999}, false));
  EXPECT_EQ(d.size(), 10'000u);
  EXPECT_EQ(d.key(0), "u1");
  EXPECT_EQ(d.key(9'999), "u10000");
  EXPECT_FALSE(d.record(1).identified);
}

// Keys that share a fingerprint are still different users: "a", "b", "c"
// all given fingerprint 7, then "d" with 8.
TEST(UserDirectory, KeysSharingAFingerprintStayApart) {
  UserDirectory d;
  const uint32_t a = d.TryEmplaceOrdinal("a", 7).first;
  auto [b, b_added] = d.TryEmplaceOrdinal("b", 7);
  auto [c, c_added] = d.TryEmplaceOrdinal("c", 7);
  EXPECT_TRUE(b_added);
  EXPECT_TRUE(c_added);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_EQ(d.key(d.TryEmplaceOrdinal("d", 8).first), "d");
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(d.TryEmplaceOrdinal("a", 7), std::make_pair(a, false));
  EXPECT_EQ(d.TryEmplaceOrdinal("b", 7), std::make_pair(b, false));
  EXPECT_EQ(d.TryEmplaceOrdinal("c", 7), std::make_pair(c, false));
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(d.key(b), "b");
  EXPECT_EQ(d.key(c), "c");
}

// Keys of every length come back byte for byte: empty, a one-byte length
// (< 128), a two-byte length, keys that end a chunk exactly or do not fit
// its rest, and keys longer than a chunk (a chunk of their own, after which
// the next key starts a fresh chunk).
TEST(KeyArena, KeysOfEveryLengthComeBackExactly) {
  KeyArena arena;
  std::vector<std::string> keys = {"", "x", std::string(127, 'a'), std::string(128, 'b'),
                                   std::string(300, '\0')};
  // Fill the first chunk to within 5 bytes of its end, then a key needing 6.
  size_t used = 0;
  for (const auto& k : keys) used += (k.size() < 128 ? 1 : 2) + k.size();
  keys.push_back(std::string(KeyArena::kChunkBytes - used - 5 - 3, 'c'));  // 3-byte length
  keys.push_back("dddd");                                                  // 5 bytes: exact end
  keys.push_back("eeeee");                                                 // the next chunk
  keys.push_back(std::string(KeyArena::kChunkBytes + 10, 'f'));            // its own chunk
  keys.push_back("g");
  keys.push_back(std::string(KeyArena::kChunkBytes - 3, 'h'));  // with its length: a chunk
  keys.push_back("i");
  std::vector<uint64_t> addresses;
  for (const auto& k : keys) addresses.push_back(arena.Append(k));
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(arena.At(addresses[i]), keys[i]) << i;
  // Where each landed: "dddd" ends the first chunk exactly, "eeeee" opens
  // the second, the long key is the third, "g" opens the fourth, the "h"
  // key is exactly the fifth, "i" opens the sixth.
  EXPECT_EQ(addresses[6], KeyArena::kChunkBytes - 5);
  EXPECT_EQ(addresses[7], KeyArena::kChunkBytes);
  EXPECT_EQ(addresses[8], 2 * KeyArena::kChunkBytes);
  EXPECT_EQ(addresses[9], 3 * KeyArena::kChunkBytes);
  EXPECT_EQ(addresses[10], 4 * KeyArena::kChunkBytes);
  EXPECT_EQ(addresses[11], 5 * KeyArena::kChunkBytes);
}

}  // namespace
}  // namespace headroom
