#include "store/store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

#include "store/snapshots.h"

namespace headroom {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A fresh directory under the system temp dir, removed at the end of the test.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("headroom-store-test-" + std::to_string(::getpid()) + "-" +
                                        info->name() + "-" + std::to_string(counter++));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::unique_ptr<Store> Open(const std::string& sync = "normal") {
    return Store::Open(dir_.string(), sync);
  }

  static Store::LoggedInput In(uint64_t seq, std::string message_id, std::string account = "acme") {
    return {seq,
            "track",
            1000 + static_cast<int64_t>(seq),
            std::move(account),
            std::move(message_id),
            R"({"n":)" + std::to_string(seq) + "}"};
  }

  static std::vector<uint64_t> Seqs(Store& s, uint64_t after) {
    std::vector<uint64_t> out;
    s.ForEachInput(after, [&](const Store::LoggedInput& in) { out.push_back(in.seq); });
    return out;
  }

  static json AccountDoc(const std::string& id, double score, const std::string& route) {
    return {{"account_id", id}, {"score", score}, {"route", route}};
  }

  static std::vector<std::string> Ids(const std::vector<json>& docs, const char* key) {
    std::vector<std::string> out;
    for (const auto& d : docs) out.push_back(d.at(key).get<std::string>());
    return out;
  }

  fs::path dir_;
};

TEST_F(StoreTest, OpenCreatesDirectoryAndFileWithSchemaVersion) {
  const fs::path nested = dir_ / "a" / "b";  // missing parents are created too
  auto s = Store::Open(nested.string(), "normal");
  EXPECT_TRUE(fs::exists(nested / "headroom.db"));
  EXPECT_EQ(s->path(), (nested / "headroom.db").string());
  EXPECT_EQ(s->GetMeta("schema_version"), std::optional<std::string>("1"));
  EXPECT_EQ(s->LastSeq(), 0u);
  EXPECT_EQ(s->InputCount(), 0u);
  EXPECT_FALSE(s->InTransaction());
}

TEST_F(StoreTest, OpenAcceptsFullAndRejectsOtherSynchronousModes) {
  EXPECT_NO_THROW(Open("full"));
  EXPECT_THROW(Open("off"), StoreError);
  EXPECT_THROW(Open("NORMAL"), StoreError);
}

TEST_F(StoreTest, OpenRejectsAnUnknownSchemaVersion) {
  Open()->SetMeta("schema_version", "99");
  try {
    Open();
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos) << e.what();
  }
}

TEST_F(StoreTest, OpenFailsWhenTheDirectoryIsAFile) {
  fs::create_directories(dir_);
  const fs::path file = dir_ / "plain";
  { std::ofstream(file) << "x"; }
  EXPECT_THROW(Store::Open(file.string(), "normal"), StoreError);
}

TEST_F(StoreTest, AppendsAndIteratesInputsInSeqOrder) {
  auto s = Open();
  s->Begin();
  // Appended out of order on purpose: iteration follows seq, not insertion.
  for (uint64_t seq : {1, 2, 4, 3, 5}) s->AppendInput(In(seq, "m" + std::to_string(seq)));
  s->Commit();
  EXPECT_EQ(s->LastSeq(), 5u);
  EXPECT_EQ(s->InputCount(), 5u);
  EXPECT_EQ(Seqs(*s, 0), (std::vector<uint64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(Seqs(*s, 3), (std::vector<uint64_t>{4, 5}));
  EXPECT_EQ(Seqs(*s, 5), (std::vector<uint64_t>{}));

  std::vector<Store::LoggedInput> got;
  s->ForEachInput(4, [&](const Store::LoggedInput& in) { got.push_back(in); });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].seq, 5u);
  EXPECT_EQ(got[0].type, "track");
  EXPECT_EQ(got[0].time, 1005);
  EXPECT_EQ(got[0].account_id, "acme");
  EXPECT_EQ(got[0].message_id, "m5");
  EXPECT_EQ(got[0].raw, R"({"n":5})");
}

TEST_F(StoreTest, DuplicateSeqThrowsStoreError) {
  auto s = Open();
  s->AppendInput(In(1, "a"));
  EXPECT_THROW(s->AppendInput(In(1, "b")), StoreError);
  EXPECT_EQ(s->InputCount(), 1u);
}

TEST_F(StoreTest, DataPersistsAcrossOpen) {
  {
    auto s = Open("full");
    s->Begin();
    s->AppendInput(In(1, "a"));
    s->AppendInput(In(2, ""));
    s->AppendQuarantine("events.ndjson", 7, "{bad", "body: not JSON", 2);
    s->AppendRecord(2, "contract", "acme", "acme", 500, "{}");
    s->PutAccount("acme", 40, "ae", AccountDoc("acme", 40, "ae"), {{"account_id", "acme"}});
    s->SetMeta("config_hash", "abc");
    s->AddCounter("duplicates", 3);
    s->Commit();
  }
  auto s = Open();
  EXPECT_EQ(s->LastSeq(), 2u);
  EXPECT_EQ(Seqs(*s, 0), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(s->QuarantineCount(), 1u);
  EXPECT_EQ(s->Accounts(std::nullopt, std::nullopt).size(), 1u);
  EXPECT_EQ(s->GetMeta("config_hash"), std::optional<std::string>("abc"));
  EXPECT_EQ(s->GetCounter("duplicates"), 3);
}

TEST_F(StoreTest, EmptyAndUnicodeTextRoundTrips) {
  auto s = Open();
  Store::LoggedInput in{1, "record", -5, "", "", ""};
  s->AppendInput(in);
  Store::LoggedInput u{2, "track", 0, "zürich-ag", "id-ü", "{\"e\":\"Größe\"}"};
  s->AppendInput(u);
  std::vector<Store::LoggedInput> got;
  s->ForEachInput(0, [&](const Store::LoggedInput& x) { got.push_back(x); });
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].time, -5);
  EXPECT_EQ(got[0].account_id, "");
  EXPECT_EQ(got[0].raw, "");
  EXPECT_EQ(got[1].account_id, "zürich-ag");
  EXPECT_EQ(got[1].raw, "{\"e\":\"Größe\"}");
}

TEST_F(StoreTest, ForEachMessageIdSkipsEmptyIds) {
  auto s = Open();
  s->AppendInput(In(1, "m1"));
  s->AppendInput(In(2, ""));
  s->AppendInput(In(3, "m3"));
  s->AppendInput(In(4, "m1"));  // the store keeps whatever it is given
  std::vector<std::string> ids;
  s->ForEachMessageId([&](std::string_view id) { ids.emplace_back(id); });
  EXPECT_EQ(ids, (std::vector<std::string>{"m1", "m3", "m1"}));
}

TEST_F(StoreTest, CallbacksMayWriteButNotReenterTheSameIteration) {
  auto s = Open();
  s->AppendInput(In(1, "a"));
  s->AppendInput(In(2, "b"));
  s->Begin();
  s->ForEachInput(0, [&](const Store::LoggedInput& in) {
    s->AppendRecord(in.seq, "account", in.message_id, in.account_id, in.time, in.raw);
    s->AddCounter("seen", 1);
  });
  s->Commit();
  EXPECT_EQ(s->GetCounter("seen"), 2);
  EXPECT_THROW(s->ForEachInput(0,
                               [&](const Store::LoggedInput&) {
                                 s->ForEachInput(0, [](const Store::LoggedInput&) {});
                               }),
               StoreError);
  // The statement is usable again after the failed re-entry.
  EXPECT_EQ(Seqs(*s, 0), (std::vector<uint64_t>{1, 2}));
}

TEST_F(StoreTest, ExceptionInCallbackReleasesTheStatement) {
  auto s = Open();
  s->AppendInput(In(1, "a"));
  struct Stop {};
  EXPECT_THROW(s->ForEachInput(0, [](const Store::LoggedInput&) { throw Stop{}; }), Stop);
  EXPECT_EQ(Seqs(*s, 0), (std::vector<uint64_t>{1}));
}

TEST_F(StoreTest, QuarantineListsByIdWithLimit) {
  auto s = Open();
  s->AppendQuarantine("http", 3, R"({"type":"track"})", "event: required for track", 0);
  s->AppendQuarantine("a.ndjson", 12, "{", "body: not JSON", 4);
  s->AppendQuarantine("a.ndjson", 13, "[]", "body: not an object", 4);
  EXPECT_EQ(s->QuarantineCount(), 3u);
  const auto all = s->Quarantine(-1);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0], json({{"id", 1},
                          {"source", "http"},
                          {"line", 3},
                          {"raw", R"({"type":"track"})"},
                          {"error", "event: required for track"},
                          {"after_seq", 0}}));
  EXPECT_EQ(all[1].at("id"), 2);
  EXPECT_EQ(all[2].at("error"), "body: not an object");
  const auto two = s->Quarantine(2);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].at("line"), 12);
  EXPECT_TRUE(s->Quarantine(0).empty());
}

TEST_F(StoreTest, AccountsSortByScoreDescThenIdWithRouteFilterAndLimit) {
  auto s = Open();
  s->PutAccount("beta", 50, "ae", AccountDoc("beta", 50, "ae"), {});
  s->PutAccount("alpha", 50, "csm", AccountDoc("alpha", 50, "csm"), {});
  s->PutAccount("gamma", 72.5, "ae", AccountDoc("gamma", 72.5, "ae"), {});
  s->PutAccount("delta", 10, "nurture", AccountDoc("delta", 10, "nurture"), {});
  s->PutAccount("Zeta", 10, "nurture", AccountDoc("Zeta", 10, "nurture"), {});  // bytewise: Z < d
  EXPECT_EQ(Ids(s->Accounts(std::nullopt, std::nullopt), "account_id"),
            (std::vector<std::string>{"gamma", "alpha", "beta", "Zeta", "delta"}));
  EXPECT_EQ(Ids(s->Accounts(std::nullopt, 2), "account_id"),
            (std::vector<std::string>{"gamma", "alpha"}));
  EXPECT_EQ(Ids(s->Accounts("ae", std::nullopt), "account_id"),
            (std::vector<std::string>{"gamma", "beta"}));
  EXPECT_EQ(Ids(s->Accounts("nurture", 1), "account_id"), (std::vector<std::string>{"Zeta"}));
  EXPECT_TRUE(s->Accounts("suppressed", std::nullopt).empty());
  EXPECT_TRUE(s->Accounts(std::nullopt, 0).empty());
}

TEST_F(StoreTest, PutAccountReplacesAndAccountReturnsTheDetail) {
  auto s = Open();
  const json detail1 = {{"account_id", "acme"}, {"score", 10}, {"metrics", {{"seats", 3}}}};
  s->PutAccount("acme", 10, "nurture", AccountDoc("acme", 10, "nurture"), detail1);
  s->PutAccount("zed", 20, "ae", AccountDoc("zed", 20, "ae"), {});
  EXPECT_EQ(s->Account("acme"), std::optional<json>(detail1));
  const json detail2 = {{"account_id", "acme"}, {"score", 90}, {"metrics", {{"seats", 9}}}};
  s->PutAccount("acme", 90, "ae", AccountDoc("acme", 90, "ae"), detail2);
  EXPECT_EQ(s->Account("acme"), std::optional<json>(detail2));
  const auto list = s->Accounts(std::nullopt, std::nullopt);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0], AccountDoc("acme", 90, "ae"));
  EXPECT_EQ(Ids(s->Accounts("nurture", std::nullopt), "account_id"), std::vector<std::string>{});
  EXPECT_EQ(s->Account("nope"), std::nullopt);
}

TEST_F(StoreTest, SignalsSortByCreatedThenIdAndFilter) {
  auto s = Open();
  auto put = [&](const std::string& id, const std::string& account, const std::string& status,
                 const std::string& owner, int64_t created) {
    s->PutSignal(id, account, status, owner, created,
                 {{"signal_id", id}, {"status", status}, {"owner", owner}});
  };
  put("b:1", "b", "open", "alice", 200);
  put("a:2", "a", "won", "bob", 100);
  put("a:1", "a", "open", "alice", 100);
  put("c:1", "c", "open", "bob", 50);
  EXPECT_EQ(Ids(s->Signals(std::nullopt, std::nullopt, std::nullopt), "signal_id"),
            (std::vector<std::string>{"c:1", "a:1", "a:2", "b:1"}));
  EXPECT_EQ(Ids(s->Signals("open", std::nullopt, std::nullopt), "signal_id"),
            (std::vector<std::string>{"c:1", "a:1", "b:1"}));
  EXPECT_EQ(Ids(s->Signals(std::nullopt, "alice", std::nullopt), "signal_id"),
            (std::vector<std::string>{"a:1", "b:1"}));
  EXPECT_EQ(Ids(s->Signals(std::nullopt, std::nullopt, "a"), "signal_id"),
            (std::vector<std::string>{"a:1", "a:2"}));
  EXPECT_EQ(Ids(s->Signals("open", "bob", "c"), "signal_id"), (std::vector<std::string>{"c:1"}));
  EXPECT_TRUE(s->Signals("lost", std::nullopt, std::nullopt).empty());

  // Upsert: the status column (used by the filter) and the doc are replaced.
  put("a:1", "a", "expired", "alice", 100);
  EXPECT_EQ(Ids(s->Signals("open", std::nullopt, std::nullopt), "signal_id"),
            (std::vector<std::string>{"c:1", "b:1"}));
  EXPECT_EQ(s->Signal("a:1")->at("status"), "expired");
  EXPECT_EQ(s->Signal("x:1"), std::nullopt);
}

TEST_F(StoreTest, FiringsSortByFiredAtAccountTriggerAndFilter) {
  auto s = Open();
  auto put = [&](const std::string& account, const std::string& trigger, int64_t at,
                 std::optional<int64_t> ended) {
    json doc = {{"account_id", account},
                {"trigger", trigger},
                {"fired_at", at},
                {"ended_at", ended ? json(*ended) : json(nullptr)}};
    s->PutFiring(account, trigger, at, doc);
  };
  put("b", "seats", 100, std::nullopt);
  put("a", "seats", 100, std::nullopt);
  put("a", "api", 100, std::nullopt);
  put("a", "seats", 50, 80);
  auto key = [](const std::vector<json>& v) {
    std::vector<std::string> out;
    for (const auto& f : v)
      out.push_back(f.at("account_id").get<std::string>() + "/" +
                    f.at("trigger").get<std::string>() + "@" +
                    std::to_string(f.at("fired_at").get<int64_t>()));
    return out;
  };
  EXPECT_EQ(key(s->Firings(std::nullopt, std::nullopt)),
            (std::vector<std::string>{"a/seats@50", "a/api@100", "a/seats@100", "b/seats@100"}));
  EXPECT_EQ(key(s->Firings("a", std::nullopt)),
            (std::vector<std::string>{"a/seats@50", "a/api@100", "a/seats@100"}));
  EXPECT_EQ(key(s->Firings(std::nullopt, "seats")),
            (std::vector<std::string>{"a/seats@50", "a/seats@100", "b/seats@100"}));
  EXPECT_EQ(key(s->Firings("b", "api")), std::vector<std::string>{});

  // Same (account, trigger, fired_at): the episode's doc is replaced, not duplicated.
  put("b", "seats", 100, 300);
  const auto b = s->Firings("b", std::nullopt);
  ASSERT_EQ(b.size(), 1u);
  EXPECT_EQ(b[0].at("ended_at"), 300);
}

TEST_F(StoreTest, EffectsAreInsertedOnceInOrder) {
  auto s = Open();
  s->AppendEffect("e2", "signal.created", 200, "acme", {{"signal_id", "acme:1"}});
  s->AppendEffect("e1", "trigger.fired", 100, "acme", {{"trigger", "seats"}});
  s->AppendEffect("e2", "signal.created", 999, "other", {{"ignored", true}});
  const auto all = s->Effects(10);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], json({{"seq", 1},
                          {"id", "e2"},
                          {"type", "signal.created"},
                          {"at", 200},
                          {"account_id", "acme"},
                          {"data", {{"signal_id", "acme:1"}}}}));
  EXPECT_EQ(all[1].at("id"), "e1");
  EXPECT_EQ(s->Effects(1).size(), 1u);
}

TEST_F(StoreTest, ClearDerivedKeepsInputsRecordsQuarantineMetaAndCounters) {
  auto s = Open();
  s->AppendInput(In(1, "m1"));
  s->AppendRecord(1, "account", "acme", "acme", 5, "{}");
  s->AppendQuarantine("http", 0, "x", "body: not JSON", 1);
  s->SetMeta("k", "v");
  s->AddCounter("c", 2);
  s->PutAccount("acme", 1, "ae", AccountDoc("acme", 1, "ae"), {});
  s->PutSignal("acme:1", "acme", "open", "alice", 1, {{"signal_id", "acme:1"}});
  s->PutFiring("acme", "seats", 1, {{"trigger", "seats"}});
  s->AppendEffect("e1", "trigger.fired", 1, "acme", {});
  s->ClearDerived();
  EXPECT_TRUE(s->Accounts(std::nullopt, std::nullopt).empty());
  EXPECT_EQ(s->Account("acme"), std::nullopt);
  EXPECT_TRUE(s->Signals(std::nullopt, std::nullopt, std::nullopt).empty());
  EXPECT_TRUE(s->Firings(std::nullopt, std::nullopt).empty());
  EXPECT_TRUE(s->Effects(10).empty());
  EXPECT_EQ(s->InputCount(), 1u);
  EXPECT_EQ(s->QuarantineCount(), 1u);
  EXPECT_EQ(s->GetMeta("k"), std::optional<std::string>("v"));
  EXPECT_EQ(s->GetCounter("c"), 2);
  // An effect id is free again after the clear (a rebuild re-emits it).
  s->AppendEffect("e1", "trigger.fired", 1, "acme", {});
  EXPECT_EQ(s->Effects(10).size(), 1u);
}

TEST_F(StoreTest, MetaUpsertsAndCountersAccumulate) {
  auto s = Open();
  EXPECT_EQ(s->GetMeta("missing"), std::nullopt);
  s->SetMeta("k", "1");
  s->SetMeta("k", "2");
  EXPECT_EQ(s->GetMeta("k"), std::optional<std::string>("2"));
  EXPECT_EQ(s->GetCounter("dups"), 0);
  s->AddCounter("dups", 5);
  s->AddCounter("dups", -2);
  s->AddCounter("other", 1);
  EXPECT_EQ(s->GetCounter("dups"), 3);
  EXPECT_EQ(s->GetCounter("other"), 1);
}

TEST_F(StoreTest, RollbackDiscardsTheTransaction) {
  auto s = Open();
  s->AppendInput(In(1, "kept"));
  s->Begin();
  EXPECT_TRUE(s->InTransaction());
  s->AppendInput(In(2, "gone"));
  s->AddCounter("c", 1);
  s->PutAccount("acme", 1, "ae", AccountDoc("acme", 1, "ae"), {});
  s->Rollback();
  EXPECT_FALSE(s->InTransaction());
  EXPECT_EQ(s->LastSeq(), 1u);
  EXPECT_EQ(s->GetCounter("c"), 0);
  EXPECT_TRUE(s->Accounts(std::nullopt, std::nullopt).empty());
  EXPECT_THROW(s->Rollback(), StoreError);  // no transaction open
}

TEST_F(StoreTest, TransactionGuardRollsBackUnlessCommitted) {
  auto s = Open();
  {
    Transaction tx(*s);
    s->AppendInput(In(1, "a"));
  }
  EXPECT_EQ(s->InputCount(), 0u);
  {
    Transaction tx(*s);
    s->AppendInput(In(1, "a"));
    tx.Commit();
  }
  EXPECT_EQ(s->InputCount(), 1u);
}

TEST_F(StoreTest, UncommittedWritesAreLostWhenTheStoreCloses) {
  {
    auto s = Open();
    s->AppendInput(In(1, "a"));
    s->Begin();
    s->AppendInput(In(2, "b"));
  }
  EXPECT_EQ(Open()->LastSeq(), 1u);
}

TEST_F(StoreTest, ASecondConnectionSeesCommittedData) {
  auto writer = Open();
  auto reader = Open();
  writer->Begin();
  writer->AppendInput(In(1, "a"));
  EXPECT_EQ(reader->InputCount(), 0u);  // WAL: readers see the last commit
  writer->Commit();
  EXPECT_EQ(reader->InputCount(), 1u);
}

TEST_F(StoreTest, OpenDoesNotWaitForAWriterHoldingTheLock) {
  auto writer = Open();
  writer->Begin();
  writer->AppendInput(In(1, "a"));
  auto reader = Open();  // would wait 5 s and throw if Open took the write lock
  EXPECT_EQ(reader->InputCount(), 0u);
  writer->Commit();
}

TEST_F(StoreTest, CorruptDocumentThrowsStoreError) {
  auto s = Open();
  s->PutAccount("acme", 1, "ae", AccountDoc("acme", 1, "ae"), {});
  // Damage the stored document the way an external SQL user might.
  {
    Database db((dir_ / "headroom.db").string());
    db.Exec("UPDATE accounts SET summary = '{not json'");
  }
  EXPECT_THROW(s->Accounts(std::nullopt, std::nullopt), StoreError);
}

// Snapshot bodies come back byte for byte (read by incremental blob I/O):
// empty, one byte, and 1 MiB + 3 bytes of every byte value (NULs included,
// spanning many overflow pages); only the two newest rows are kept and the
// newest is returned.
TEST_F(StoreTest, SnapshotBodiesRoundTripByteForByte) {
  auto store = Open();
  SnapshotStore snaps(store->database());
  EXPECT_FALSE(snaps.Latest().has_value());
  std::string big(1024 * 1024 + 3, '\0');
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<char>((i * 131 + i / 7) & 0xff);
  const std::vector<std::pair<uint64_t, std::string>> bodies = {
      {5, ""}, {7, std::string(1, '\0')}, {9, big}};
  for (const auto& [seq, body] : bodies) {
    snaps.Put(seq, "rules-" + std::to_string(seq), 5, 1000 + static_cast<int64_t>(seq), body);
    const std::optional<StoredSnapshot> s = snaps.Latest();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->seq, seq);
    EXPECT_EQ(s->rules_fingerprint, "rules-" + std::to_string(seq));
    EXPECT_EQ(s->format, 5u);
    EXPECT_EQ(s->created_at, 1000 + static_cast<int64_t>(seq));
    EXPECT_EQ(s->body.size(), body.size());
    EXPECT_TRUE(s->body == body) << seq;
  }
  EXPECT_EQ(snaps.Seqs(), (std::vector<uint64_t>{9, 7}));
}

}  // namespace
}  // namespace headroom
