// UserDirectory: users in the order they became known, stable addresses, and
// exact look-ups even when two keys share a fingerprint.
#include "engine/user_directory.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/distinct_values.h"

namespace headroom {
namespace {

std::pair<UserDirectory::Entry*, bool> Add(UserDirectory& d, const std::string& key) {
  return d.TryEmplace(key, DistinctValues::FingerprintOfUser(key));
}

TEST(UserDirectory, KeepsArrivalOrderAndStableAddresses) {
  UserDirectory d;
  auto [first, added] = Add(d, "u1");
  ASSERT_TRUE(added);
  first->record.MutableTraits()["title"] = TimedValue{Value::String("CTO"), 5, 1};
  for (int i = 2; i <= 10'000; ++i) ASSERT_TRUE(Add(d, "u" + std::to_string(i)).second) << i;
  EXPECT_EQ(d.size(), 10'000u);
  // The first entry did not move while 9,999 were added; a repeat adds nothing.
  auto [again, added_again] = Add(d, "u1");
  EXPECT_FALSE(added_again);
  EXPECT_EQ(again, first);
  EXPECT_EQ(again->record.identified->traits.at("title").value, Value::String("CTO"));
  EXPECT_EQ(Add(d, "u5000").first, &d.entries()[4999]);
  EXPECT_EQ(d.size(), 10'000u);
  EXPECT_EQ(d.entries().front().key, "u1");
  EXPECT_EQ(d.entries()[9'999].key, "u10000");
}

// Keys that share a fingerprint are still different users: "a", "b", "c"
// all given fingerprint 7, then "d" with 8.
TEST(UserDirectory, KeysSharingAFingerprintStayApart) {
  UserDirectory d;
  UserDirectory::Entry* a = d.TryEmplace("a", 7).first;
  auto [b, b_added] = d.TryEmplace("b", 7);
  auto [c, c_added] = d.TryEmplace("c", 7);
  EXPECT_TRUE(b_added);
  EXPECT_TRUE(c_added);
  EXPECT_NE(a, b);
  EXPECT_NE(b, c);
  EXPECT_EQ(d.TryEmplace("d", 8).first->key, "d");
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(d.TryEmplace("a", 7), std::make_pair(a, false));
  EXPECT_EQ(d.TryEmplace("b", 7), std::make_pair(b, false));
  EXPECT_EQ(d.TryEmplace("c", 7), std::make_pair(c, false));
  EXPECT_EQ(d.size(), 4u);
  EXPECT_EQ(b->key, "b");
  EXPECT_EQ(c->key, "c");
}

}  // namespace
}  // namespace headroom
