// MessageIdRuns (store/message_id_runs.h) on a real SQLite file: runs are
// listed in order with their through_seq and size, ForEach yields every
// fingerprint run by run in key order, and Contains finds a fingerprint only
// in the runs it is asked to search, across block boundaries (248 a block).
#include "store/message_id_runs.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>

#include "store/store.h"

namespace headroom {
namespace {

TEST(MessageIdRuns, AppendListForEachContains) {
  std::random_device rd;
  const auto dir =
      std::filesystem::temp_directory_path() / ("headroom-runs-" + std::to_string(rd()));
  {
    auto store = Store::Open(dir.string(), "normal");
    MessageIdRuns runs(store->database());
    // Signed order: hi = 2^63 (negative as int64) sorts first.
    const MessageIdFingerprint a{1, uint64_t{1} << 63}, b{7, 3}, c{2, 5}, d{9, 5};
    store->Begin();
    runs.Append(1, 10, {a, b, c});
    runs.Append(2, 25, {d});
    store->Commit();
    const std::vector<MessageIdRunInfo> list = runs.Runs();
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].run, 1u);
    EXPECT_EQ(list[0].through_seq, 10u);
    EXPECT_EQ(list[0].ids, 3u);
    EXPECT_EQ(list[1].run, 2u);
    EXPECT_EQ(list[1].through_seq, 25u);
    EXPECT_EQ(list[1].ids, 1u);
    std::vector<MessageIdFingerprint> all;
    runs.ForEach([&](const MessageIdFingerprint& fp) { all.push_back(fp); });
    EXPECT_EQ(all, (std::vector<MessageIdFingerprint>{a, b, c, d}));
    EXPECT_TRUE(runs.Contains(a, 2));
    EXPECT_TRUE(runs.Contains(d, 2));
    EXPECT_FALSE(runs.Contains(d, 1));  // run 2 not searched
    EXPECT_FALSE(runs.Contains(MessageIdFingerprint{5, 2}, 2));
    EXPECT_FALSE(runs.Contains(MessageIdFingerprint{1, 3}, 2));  // hi of b, another lo
  }
  std::filesystem::remove_all(dir);
}

// 1,000 fingerprints: blocks of 248, 248, 248, 248 and 8. Every held one is
// found (first, last and middle of each block included); 1,000 others and the
// neighbours of held ones (lo +/- 1) are not.
TEST(MessageIdRuns, ContainsAcrossBlocks) {
  std::random_device rd;
  const auto dir =
      std::filesystem::temp_directory_path() / ("headroom-runs-" + std::to_string(rd()));
  {
    auto store = Store::Open(dir.string(), "normal");
    MessageIdRuns runs(store->database());
    std::mt19937_64 rng(42);
    std::set<MessageIdFingerprint> held;
    while (held.size() < 1000) held.insert({rng() | 2, rng()});  // lo - 1 never wraps
    const std::vector<MessageIdFingerprint> sorted(held.begin(), held.end());
    store->Begin();
    runs.Append(1, 1000, sorted);
    store->Commit();
    for (const MessageIdFingerprint& fp : sorted) {
      ASSERT_TRUE(runs.Contains(fp, 1)) << fp.hi << " " << fp.lo;
      const MessageIdFingerprint below{fp.lo - 1, fp.hi}, above{fp.lo + 1, fp.hi};
      ASSERT_EQ(runs.Contains(below, 1), held.count(below) == 1);
      ASSERT_EQ(runs.Contains(above, 1), held.count(above) == 1);
    }
    for (int i = 0; i < 1000; ++i) {
      const MessageIdFingerprint other{rng(), rng()};
      ASSERT_EQ(runs.Contains(other, 1), held.count(other) == 1);
    }
    std::vector<MessageIdFingerprint> all;
    runs.ForEach([&](const MessageIdFingerprint& fp) { all.push_back(fp); });
    EXPECT_EQ(all, sorted);
    Statement blocks(store->database(), "SELECT count(*) FROM message_id_run_blocks");
    Statement::Use use(blocks);
    ASSERT_TRUE(blocks.Step());
    EXPECT_EQ(blocks.Int(0), 5);
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace headroom
