// MessageIdSet (ingest/message_id_set.h): exact membership over 100K ids
// across several table growths, and the table's size (1024 slots doubling,
// at most 3/4 full).
#include "ingest/message_id_set.h"

#include <gtest/gtest.h>

#include <string>

namespace headroom {
namespace {

TEST(MessageIdSet, InsertOnceThenDuplicate) {
  MessageIdSet ids;
  EXPECT_FALSE(ids.Contains("m1"));
  EXPECT_TRUE(ids.Insert("m1"));
  EXPECT_FALSE(ids.Insert("m1"));
  EXPECT_TRUE(ids.Contains("m1"));
  EXPECT_FALSE(ids.Contains("m2"));
  EXPECT_FALSE(ids.Contains("M1"));  // ids are case-sensitive
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(ids.memory_bytes(), 1024u * 16);
}

// 100,000 ids: the table grows 1024 -> ... -> 262,144 slots (131,072 * 3/4 =
// 98,304 < 100,000), i.e. 4 MiB; every id is found after every growth and
// none of 100,000 other ids is.
TEST(MessageIdSet, ExactAcrossGrowth) {
  MessageIdSet ids;
  for (int i = 0; i < 100000; ++i) ASSERT_TRUE(ids.Insert("msg-" + std::to_string(i))) << i;
  EXPECT_EQ(ids.size(), 100000u);
  EXPECT_EQ(ids.memory_bytes(), 262144u * 16);
  for (int i = 0; i < 100000; ++i) {
    ASSERT_TRUE(ids.Contains("msg-" + std::to_string(i))) << i;
    ASSERT_FALSE(ids.Insert("msg-" + std::to_string(i))) << i;
    ASSERT_FALSE(ids.Contains("other-" + std::to_string(i))) << i;
  }
  EXPECT_EQ(ids.size(), 100000u);
}

}  // namespace
}  // namespace headroom
