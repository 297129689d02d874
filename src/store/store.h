// Store: Headroom's embedded SQLite store, one file <dir>/headroom.db (SPEC 7).
//
// Contract:
// * Contents: the input log (arrival order), the quarantine, the typed record
//   history, the derived state the engine produced (accounts, signals, firings,
//   effects) as SPEC 6.3 JSON documents, meta key/values and integer counters.
//   The schema is described in docs/STORE.md; users may open the file with any
//   SQLite tool.
// * Threading: one SQLite connection per Store. Give each thread its own Store
//   (several connections to one file are fine: WAL mode, readers never block
//   the writer; writers wait up to 5 s for each other). The one exception is
//   the Ingestor's writer thread, which shares its caller's Store: every call
//   holds the connection's mutex (store/sqlite.h), so the two threads take
//   turns, and the Ingestor keeps each transaction to one of them at a time.
// * Units: times are UTC milliseconds since the epoch (int64), as everywhere in
//   Headroom; the JSON documents carry whatever the engine put in them.
// * Transactions: without Begin() each write is its own transaction (slow, one
//   sync each). Writers batch (~10k inputs) between Begin() and Commit().
// * Errors: every SQLite failure (and a failure to create the directory, a
//   corrupt stored document, an unknown schema version) throws StoreError with
//   the underlying message. Nothing else is thrown. A failed write inside a
//   transaction leaves the transaction open: the caller rolls back.
// * Callbacks of the ForEach* methods may call other Store methods (writes
//   included), but not the same ForEach* method again.
// * Deduplication by messageId is NOT done here (no index on message_id, see
//   NOTES "SQLite throughput"): the Ingestor keeps recent ids in memory and
//   older ones as sorted runs (store/message_id_runs.h).
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/sqlite.h"

namespace headroom {

class Store {
 public:
  static constexpr const char* kFileName = "headroom.db";
  static constexpr const char* kSchemaVersion = "1";

  // Opens (creating the directory and the file when missing) <dir>/headroom.db
  // in WAL mode with PRAGMA synchronous = `synchronous` ("normal" or "full";
  // anything else throws StoreError).
  static std::unique_ptr<Store> Open(const std::string& dir, const std::string& synchronous);
  // Heap bytes SQLite holds in this process, every connection (page caches,
  // statements, schemas): sqlite3_memory_used. Thread-safe.
  static int64_t MemoryUsed();
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  const std::string& path() const { return path_; }
  // The connection, for parts that keep tables of their own in this file
  // (delivery's outbox, reports' readers). Same threading rules as the Store;
  // they prepare their own Statements and create their tables IF NOT EXISTS.
  Database& database() { return db_; }

  // --- Transactions (BEGIN IMMEDIATE: takes the write lock at once) -----------
  void Begin();
  void Commit();
  void Rollback();
  bool InTransaction() const;

  // --- Input log: table inputs, arrival order --------------------------------
  struct LoggedInput {
    uint64_t seq = 0;        // 1-based arrival order; must be new (greater than LastSeq())
    std::string type;        // track | page | screen | identify | group | alias | record type
    int64_t time = 0;        // UTC ms
    std::string account_id;  // "" when none
    std::string message_id;  // "" when none
    std::string raw;         // the input as received (JSON text)
  };
  uint64_t LastSeq();  // 0 when empty
  void AppendInput(const LoggedInput& in);
  // Inputs with seq > after_seq, in seq order.
  void ForEachInput(uint64_t after_seq, const std::function<void(const LoggedInput&)>& fn);
  // Every non-empty message id of the inputs with seq > after_seq, in seq
  // order. The view is valid during the call.
  void ForEachMessageId(uint64_t after_seq, const std::function<void(std::string_view)>& fn);
  void ForEachMessageId(const std::function<void(std::string_view)>& fn) {
    ForEachMessageId(0, fn);
  }
  uint64_t InputCount();

  // --- Quarantine (SPEC 1.3) ---------------------------------------------------
  // `source`: "http", a file name, ...; `line`: 1-based line in a file (or the
  // index in a batch, 0 when none); `after_seq`: LastSeq() when it was rejected.
  void AppendQuarantine(std::string_view source, int64_t line, std::string_view raw,
                        std::string_view error, uint64_t after_seq);
  // Objects {id, source, line, raw, error, after_seq}, by id; limit < 0: all.
  std::vector<nlohmann::json> Quarantine(int64_t limit);
  uint64_t QuarantineCount();

  // --- Records: every version of every business record, for reports and SQL ----
  void AppendRecord(uint64_t seq, std::string_view type, std::string_view key,
                    std::string_view account_id, int64_t time, std::string_view raw);
  // Every stored record line (the raw text), in seq order: the Ingestor's
  // identical-record set after a snapshot start. The view is valid during the call.
  void ForEachRecordLine(const std::function<void(std::string_view)>& fn);

  // --- Derived state (upserts) ---------------------------------------------------
  // summary: the SPEC 6.3 account object of `accounts`; detail: of `account ID`.
  void PutAccount(std::string_view account_id, double score, std::string_view route,
                  const nlohmann::json& summary, const nlohmann::json& detail);
  void PutSignal(std::string_view signal_id, std::string_view account_id, std::string_view status,
                 std::string_view owner, int64_t created_at, const nlohmann::json& doc);
  // A firing (trigger episode) is identified by (account_id, trigger, fired_at).
  void PutFiring(std::string_view account_id, std::string_view trigger, int64_t fired_at,
                 const nlohmann::json& doc);
  // INSERT OR IGNORE on id: re-emitting an effect (rebuild, replay) is a no-op.
  void AppendEffect(std::string_view id, std::string_view type, int64_t at,
                    std::string_view account_id, const nlohmann::json& data);
  // Deletes accounts, signals, firings and effects (before a rebuild). Keeps
  // inputs, records, quarantine, meta and counters.
  void ClearDerived();

  // --- Queries: the stored documents, parsed, in SPEC 6.3 order ----------------
  // Summary docs, score DESC then account_id ASC; route filter; limit (all when unset).
  std::vector<nlohmann::json> Accounts(std::optional<std::string> route,
                                       std::optional<int64_t> limit);
  std::optional<nlohmann::json> Account(std::string_view id);  // the detail doc
  // By created_at, then signal_id; each filter applies when set.
  std::vector<nlohmann::json> Signals(std::optional<std::string> status,
                                      std::optional<std::string> owner,
                                      std::optional<std::string> account);
  std::optional<nlohmann::json> Signal(std::string_view id);
  // By fired_at, then account_id, then trigger.
  std::vector<nlohmann::json> Firings(std::optional<std::string> account,
                                      std::optional<std::string> trigger);
  // The first `limit` effects in insertion order, as objects
  // {seq, id, type, at (UTC ms), account_id, data}.
  std::vector<nlohmann::json> Effects(uint64_t limit);

  // --- Meta key/values and integer counters ----------------------------------------
  std::optional<std::string> GetMeta(std::string_view key);
  void SetMeta(std::string_view key, std::string_view value);
  int64_t GetCounter(std::string_view name);  // 0 when never added to
  void AddCounter(std::string_view name, int64_t delta);

 private:
  enum Stmt : size_t {
    kBegin,
    kCommit,
    kRollback,
    kLastSeq,
    kAppendInput,
    kForEachInput,
    kForEachMessageId,
    kInputCount,
    kAppendQuarantine,
    kQuarantine,
    kQuarantineCount,
    kAppendRecord,
    kForEachRecordLine,
    kPutAccount,
    kPutSignal,
    kPutFiring,
    kAppendEffect,
    kAccounts,
    kAccount,
    kSignals,
    kSignal,
    kFirings,
    kEffects,
    kGetMeta,
    kSetMeta,
    kGetCounter,
    kAddCounter,
    kStmtCount
  };

  Store(std::string path, const std::string& synchronous);
  void CreateSchema();
  Statement& Get(Stmt which);  // prepared on first use, then reused

  std::string path_;
  Database db_;
  std::array<std::unique_ptr<Statement>, kStmtCount> stmts_;  // destroyed before db_
};

// Rolls back on destruction unless Commit() was called.
class Transaction {
 public:
  explicit Transaction(Store& store) : store_(store) { store_.Begin(); }
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void Commit() {
    store_.Commit();
    done_ = true;
  }

 private:
  Store& store_;
  bool done_ = false;
};

}  // namespace headroom
