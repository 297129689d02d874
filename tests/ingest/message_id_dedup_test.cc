// The messageId tiers (ingest/message_id_dedup.h, message_id_filter.h) through
// the Ingestor on a real store: ids move from memory into runs on disk at flush
// points, every repeat is still a duplicate in every tier and after a restart
// (full replay or snapshot start), an abandoned batch reserves no id, a store
// from before the runs seals its ids at Open, and the filter never says "no"
// to an id it holds.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "config/loader.h"
#include "ingest/ingestor.h"
#include "ingest/message_id_filter.h"
#include "ingest/message_id_set.h"
#include "ingest/temp_dir.h"

namespace headroom {
namespace {

Config TestConfig() {
  ConfigLoadResult r = LoadConfig(R"(
metrics:
  active_users: { distinct: user, window: 30d }
triggers:
  busy: { class: value, metric: active_users, at: 3 }
score:
  committee: { max: 20, criteria: [] }
)");
  EXPECT_TRUE(r.errors.empty()) << (r.errors.empty() ? "" : r.errors[0].ToString());
  return std::move(*r.config);
}

// Track message n of acme with messageId m<n>, one minute apart.
std::string Track(int n) {
  return R"({"type":"track","event":"Feature Used","userId":"u)" + std::to_string(n % 5) +
         R"(","context":{"groupId":"acme"},"timestamp":"2026-03-01T10:)" + (n < 10 ? "0" : "") +
         std::to_string(n) + R"(:00Z","messageId":"m)" + std::to_string(n) + R"("})";
}

// Ingests Track(from) ... Track(to - 1); returns how many were stored.
int IngestRange(Ingestor& ingestor, int from, int to) {
  int stored = 0;
  for (int n = from; n < to; ++n)
    stored += ingestor.Ingest(Track(n), "test", n) == IngestOutcome::kStored ? 1 : 0;
  return stored;
}

constexpr MessageIdDedup::Limits kSmall{.recent_ids = 4, .filter_capacity = 64, .filter = true};
constexpr MessageIdDedup::Limits kDiskOnly{.recent_ids = 4, .filter_capacity = 64, .filter = false};

// A store in `dir` and an Ingestor opened on it with `limits` (none: the
// defaults) and `flush_every` (0: the default).
struct OpenedIngestor {
  OpenedIngestor(const Config& config, const std::string& dir,
                 std::optional<MessageIdDedup::Limits> limits, uint64_t flush_every = 0)
      : store(Store::Open(dir, "normal")), ingestor(config, *store) {
    if (limits) ingestor.set_message_id_limits(*limits);
    if (flush_every) ingestor.set_flush_every(flush_every);
    (void)ingestor.Open(false);
  }
  std::unique_ptr<Store> store;
  Ingestor ingestor;
};

std::vector<MessageIdRunInfo> StoredRuns(const std::string& dir) {
  auto store = Store::Open(dir, "normal");
  MessageIdRuns runs(store->database());
  return runs.Runs();
}

// flush_every 3: flush points after inputs 3, 6, ..., 18 and the final Flush at
// 20. A run is sealed at a point where 4 or more ids are recent: at 6, 12 and
// 18 (6 ids each); 19 and 20 stay recent.
TEST(MessageIdDedup, IdsMoveToRunsAtFlushPointsAndRepeatsStayDuplicates) {
  TempDir dir;
  const Config config = TestConfig();
  OpenedIngestor opened(config, dir.str(), kDiskOnly, 3);
  Ingestor& ingestor = opened.ingestor;
  EXPECT_EQ(IngestRange(ingestor, 0, 20), 20);
  ingestor.Flush();
  MessageIdDedup::Stats s = ingestor.message_id_stats();
  EXPECT_EQ(s.runs, 3u);
  EXPECT_EQ(s.stored, 18u);
  EXPECT_EQ(s.recent, 2u);
  // The filter is off: a new id is looked up whenever a committed run exists
  // and the newest run is not the only one: inputs 10-12 (run 1), 13-15 (run
  // 1; run 2 still in memory), 16-18 (runs 1-2), 19-20 (runs 1-2): 11.
  EXPECT_EQ(s.disk_lookups, 11u);
  const std::vector<MessageIdRunInfo> want = {{1, 6, 6}, {2, 12, 6}, {3, 18, 6}};
  EXPECT_EQ(StoredRuns(dir.str()), want);

  // Every repeat is a duplicate: m0..m17 found on disk (18 lookups), m18 and
  // m19 in memory; the new m20 costs one lookup and is stored.
  EXPECT_EQ(IngestRange(ingestor, 0, 20), 0);
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 11u + 18u);
  EXPECT_EQ(IngestRange(ingestor, 20, 21), 1);
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 11u + 19u);
  EXPECT_EQ(ingestor.counts().stored, 21u);
  EXPECT_EQ(ingestor.counts().duplicates, 20u);
  ingestor.Flush();
  EXPECT_EQ(opened.store->InputCount(), 21u);
}

// Between a seal and the next flush point the newest run is searched in memory
// (its transaction may not have committed): a repeat right after the seal is a
// duplicate without a disk lookup.
TEST(MessageIdDedup, TheNewestRunIsSearchedInMemoryUntilTheNextFlushPoint) {
  TempDir dir;
  const Config config = TestConfig();
  OpenedIngestor opened(config, dir.str(), kDiskOnly, 6);
  Ingestor& ingestor = opened.ingestor;
  EXPECT_EQ(IngestRange(ingestor, 0, 6), 6);  // flush point at 6: run 1 sealed
  EXPECT_EQ(ingestor.message_id_stats().runs, 1u);
  EXPECT_EQ(IngestRange(ingestor, 0, 6), 0);  // m0..m5 again: in memory
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 0u);
  EXPECT_EQ(IngestRange(ingestor, 6, 7), 1);  // new: run 1 is not on disk yet as far as we know
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 0u);
  ingestor.Flush();                           // run 1 is committed; no new run (1 recent id)
  EXPECT_EQ(IngestRange(ingestor, 0, 1), 0);  // m0: now on disk
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 1u);
}

// A restart loads the runs into the filter and the ids after the last run's
// through_seq into memory, from a full replay or beside a snapshot's decode.
TEST(MessageIdDedup, RestartKeepsEveryTier) {
  for (const bool snapshot : {false, true}) {
    SCOPED_TRACE(snapshot ? "snapshot start" : "full replay");
    TempDir dir;
    const Config config = TestConfig();
    {
      OpenedIngestor opened(config, dir.str(), kSmall, 3);
      Ingestor& ingestor = opened.ingestor;
      EXPECT_EQ(IngestRange(ingestor, 0, 20), 20);
      ingestor.Flush();
      if (snapshot) {
        EXPECT_EQ(ingestor.SaveSnapshot(), 20u);
      }
    }
    OpenedIngestor opened(config, dir.str(), kSmall);
    Ingestor& ingestor = opened.ingestor;
    EXPECT_EQ(ingestor.open_stats().snapshot_seq, snapshot ? 20u : 0u);
    const MessageIdDedup::Stats s = ingestor.message_id_stats();
    EXPECT_EQ(s.runs, 3u);
    EXPECT_EQ(s.stored, 18u);
    EXPECT_EQ(s.recent, 2u);
    EXPECT_EQ(IngestRange(ingestor, 0, 20), 0);
    EXPECT_EQ(IngestRange(ingestor, 20, 22), 2);
    EXPECT_EQ(ingestor.counts().duplicates, 20u);
  }
}

// Inputs of a batch that never committed reserve no messageId: flush points at
// 3 and 6 (run 1 sealed at 6, written with rows 4..6); rows 7 and 8 are lost
// with the Ingestor, so their ids are new to the next one.
TEST(MessageIdDedup, AnAbandonedBatchReservesNoId) {
  TempDir dir;
  const Config config = TestConfig();
  {
    OpenedIngestor opened(config, dir.str(), kSmall, 3);
    Ingestor& ingestor = opened.ingestor;
    EXPECT_EQ(IngestRange(ingestor, 0, 8), 8);
  }
  const std::vector<MessageIdRunInfo> want = {{1, 6, 6}};
  EXPECT_EQ(StoredRuns(dir.str()), want);
  OpenedIngestor opened(config, dir.str(), kSmall);
  Ingestor& ingestor = opened.ingestor;
  EXPECT_EQ(opened.store->LastSeq(), 6u);
  EXPECT_EQ(IngestRange(ingestor, 0, 8), 2);
  EXPECT_EQ(ingestor.counts().duplicates, 6u);
}

// A store written before runs existed (here: ids never sealed with the default
// limits) has every id in its log; the first Open with runs seals them all.
TEST(MessageIdDedup, AStoreWithoutRunsSealsItsIdsAtOpen) {
  TempDir dir;
  const Config config = TestConfig();
  {
    OpenedIngestor opened(config, dir.str(), std::nullopt);
    Ingestor& ingestor = opened.ingestor;
    EXPECT_EQ(IngestRange(ingestor, 0, 10), 10);
    ingestor.Flush();
  }
  EXPECT_TRUE(StoredRuns(dir.str()).empty());
  OpenedIngestor opened(config, dir.str(), kDiskOnly);
  Ingestor& ingestor = opened.ingestor;
  const std::vector<MessageIdRunInfo> want = {{1, 10, 10}};
  EXPECT_EQ(StoredRuns(dir.str()), want);
  EXPECT_EQ(ingestor.message_id_stats().recent, 0u);
  // 10 ids overshot twice the limit of 4: the recent table is released, not
  // kept; left are the newest run (10 x 16 bytes) and the filter's first
  // generation (64 ids x 2 bytes = two 64-byte blocks).
  EXPECT_EQ(ingestor.message_id_stats().memory_bytes, 10u * 16u + 128u);
  ingestor.Flush();  // run 1 is known committed: searched on disk from now on
  EXPECT_EQ(IngestRange(ingestor, 0, 11), 1);
  EXPECT_EQ(ingestor.message_id_stats().disk_lookups, 11u);
}

TEST(MessageIdFilter, GenerationsDoubleWithoutRehashing) {
  MessageIdFilter filter(1024);
  for (int i = 0; i < 5000; ++i) filter.Insert(MessageIdSet::Of("id-" + std::to_string(i)));
  // 1,024 + 2,048 < 5,000 <= 1,024 + 2,048 + 4,096: three generations, 2 bytes per id of capacity.
  EXPECT_EQ(filter.generations(), 3u);
  EXPECT_EQ(filter.size(), 5000u);
  EXPECT_EQ(filter.memory_bytes(), (1024u + 2048u + 4096u) * 2u);
}

TEST(MessageIdFilter, NeverSaysNoToAnIdItHoldsAndRarelyYesToOthers) {
  MessageIdFilter filter(1 << 16);
  for (int i = 0; i < (1 << 16); ++i) filter.Insert(MessageIdSet::Of("held-" + std::to_string(i)));
  for (int i = 0; i < (1 << 16); ++i)
    ASSERT_TRUE(filter.MayContain(MessageIdSet::Of("held-" + std::to_string(i)))) << i;
  int maybe = 0;
  for (int i = 0; i < 1'000'000; ++i)
    maybe += filter.MayContain(MessageIdSet::Of("other-" + std::to_string(i))) ? 1 : 0;
  // A full generation at 16 bits per id, 8 bits in one 512-bit block: ~0.2%.
  EXPECT_LT(maybe, 5000) << maybe;
  EXPECT_GT(maybe, 0);
}

}  // namespace
}  // namespace headroom
