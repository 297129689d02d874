#include "store/store.h"

#include <cstdint>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <system_error>
#include <utility>

#include <sqlite3.h>

namespace headroom {

namespace {

// Schema version 1. Every statement is idempotent (create if not exists).
// docs/STORE.md describes each table and column; keep it in step.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS meta(
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inputs(
  seq        INTEGER PRIMARY KEY,
  type       TEXT NOT NULL,
  time       INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  message_id TEXT NOT NULL,
  raw        TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS quarantine(
  id        INTEGER PRIMARY KEY,
  source    TEXT NOT NULL,
  line      INTEGER NOT NULL,
  raw       TEXT NOT NULL,
  error     TEXT NOT NULL,
  after_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS records(
  seq        INTEGER PRIMARY KEY,
  type       TEXT NOT NULL,
  key        TEXT NOT NULL,
  account_id TEXT NOT NULL,
  time       INTEGER NOT NULL,
  raw        TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS accounts(
  account_id TEXT PRIMARY KEY,
  score      REAL NOT NULL,
  route      TEXT NOT NULL,
  summary    TEXT NOT NULL,
  detail     TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS accounts_by_score ON accounts(score DESC, account_id);
CREATE TABLE IF NOT EXISTS signals(
  signal_id  TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  status     TEXT NOT NULL,
  owner      TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  doc        TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS signals_by_created ON signals(created_at, signal_id);
CREATE TABLE IF NOT EXISTS firings(
  account_id TEXT NOT NULL,
  trigger    TEXT NOT NULL,
  fired_at   INTEGER NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY(account_id, trigger, fired_at));
CREATE INDEX IF NOT EXISTS firings_by_time ON firings(fired_at, account_id, trigger);
CREATE TABLE IF NOT EXISTS effects(
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT NOT NULL UNIQUE,
  type       TEXT NOT NULL,
  at         INTEGER NOT NULL,
  account_id TEXT NOT NULL,
  data       TEXT NOT NULL);
)sql";

// The cached statements, indexed by Store::Stmt.
constexpr const char* kSql[] = {
    /* kBegin */ "BEGIN IMMEDIATE",
    /* kCommit */ "COMMIT",
    /* kRollback */ "ROLLBACK",
    /* kLastSeq */ "SELECT max(seq) FROM inputs",
    /* kAppendInput */
    "INSERT INTO inputs(seq, type, time, account_id, message_id, raw) VALUES(?1, ?2, ?3, ?4, ?5, "
    "?6)",
    /* kForEachInput */
    "SELECT seq, type, time, account_id, message_id, raw FROM inputs WHERE seq > ?1 ORDER BY seq",
    /* kForEachMessageId */
    "SELECT message_id FROM inputs WHERE seq > ?1 AND message_id <> '' ORDER BY seq",
    /* kInputCount */ "SELECT count(*) FROM inputs",
    /* kAppendQuarantine */
    "INSERT INTO quarantine(source, line, raw, error, after_seq) VALUES(?1, ?2, ?3, ?4, ?5)",
    /* kQuarantine */
    "SELECT id, source, line, raw, error, after_seq FROM quarantine ORDER BY id LIMIT ?1",
    /* kQuarantineCount */ "SELECT count(*) FROM quarantine",
    /* kAppendRecord */
    "INSERT INTO records(seq, type, key, account_id, time, raw) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    /* kForEachRecordLine */ "SELECT raw FROM records ORDER BY seq",
    /* kPutAccount */
    "INSERT INTO accounts(account_id, score, route, summary, detail) VALUES(?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(account_id) DO UPDATE SET score = excluded.score, route = excluded.route, "
    "summary = excluded.summary, detail = excluded.detail",
    /* kPutSignal */
    "INSERT INTO signals(signal_id, account_id, status, owner, created_at, doc) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT(signal_id) DO UPDATE SET account_id = excluded.account_id, "
    "status = excluded.status, owner = excluded.owner, created_at = excluded.created_at, "
    "doc = excluded.doc",
    /* kPutFiring */
    "INSERT INTO firings(account_id, trigger, fired_at, doc) VALUES(?1, ?2, ?3, ?4) "
    "ON CONFLICT(account_id, trigger, fired_at) DO UPDATE SET doc = excluded.doc",
    /* kAppendEffect */
    "INSERT OR IGNORE INTO effects(id, type, at, account_id, data) VALUES(?1, ?2, ?3, ?4, ?5)",
    /* kAccounts */
    "SELECT summary FROM accounts WHERE (?1 IS NULL OR route = ?1) "
    "ORDER BY score DESC, account_id LIMIT ?2",
    /* kAccount */ "SELECT detail FROM accounts WHERE account_id = ?1",
    /* kSignals */
    "SELECT doc FROM signals WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR owner = ?2) "
    "AND (?3 IS NULL OR account_id = ?3) ORDER BY created_at, signal_id",
    /* kSignal */ "SELECT doc FROM signals WHERE signal_id = ?1",
    /* kFirings */
    "SELECT doc FROM firings WHERE (?1 IS NULL OR account_id = ?1) "
    "AND (?2 IS NULL OR trigger = ?2) ORDER BY fired_at, account_id, trigger",
    /* kEffects */
    "SELECT seq, id, type, at, account_id, data FROM effects ORDER BY seq LIMIT ?1",
    /* kGetMeta */ "SELECT value FROM meta WHERE key = ?1",
    /* kSetMeta */
    "INSERT INTO meta(key, value) VALUES(?1, ?2) ON CONFLICT(key) DO UPDATE SET value = "
    "excluded.value",
    /* kGetCounter */ "SELECT value FROM counters WHERE name = ?1",
    /* kAddCounter */
    "INSERT INTO counters(name, value) VALUES(?1, ?2) "
    "ON CONFLICT(name) DO UPDATE SET value = value + excluded.value",
};

// Documents are stored minified; invalid UTF-8 is replaced rather than thrown.
std::string Dump(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json Parse(std::string_view text, const char* table) {
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw StoreError(std::string("corrupt document in table ") + table + ": " + e.what());
  }
}

int64_t SqlLimit(std::optional<int64_t> limit) {
  return limit && *limit >= 0 ? *limit : -1;  // LIMIT -1: no limit
}

}  // namespace

int64_t Store::MemoryUsed() { return sqlite3_memory_used(); }

std::unique_ptr<Store> Store::Open(const std::string& dir, const std::string& synchronous) {
  if (synchronous != "normal" && synchronous != "full") {
    throw StoreError("storage.synchronous: must be normal or full, not '" + synchronous + "'");
  }
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw StoreError("cannot create directory " + dir + ": " + ec.message());
  const std::string path = (std::filesystem::path(dir) / kFileName).string();
  return std::unique_ptr<Store>(new Store(path, synchronous));
}

Store::Store(std::string path, const std::string& synchronous)
    : path_(std::move(path)), db_(path_) {
  db_.Exec("PRAGMA busy_timeout = 5000");
  {
    Statement wal(db_, "PRAGMA journal_mode = WAL");
    Statement::Use use(wal);
    if (!wal.Step() || wal.Text(0) != "wal") {
      throw StoreError("cannot enable WAL journal mode on " + path_);
    }
  }
  db_.Exec(synchronous == "full" ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
  db_.Exec("PRAGMA cache_size = -32000; PRAGMA temp_store = MEMORY");
  CreateSchema();
}

Store::~Store() = default;

void Store::CreateSchema() {
  // Fast path without the write lock, so a query command opening the file while
  // `serve` writes does not wait: every table exists and the version matches.
  {
    Statement tables(db_,
                     "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN "
                     "('meta', 'counters', 'inputs', 'quarantine', 'records', 'accounts', "
                     "'signals', 'firings', 'effects')");
    Statement::Use use(tables);
    if (tables.Step() && tables.Int(0) == 9) {
      const auto version = GetMeta("schema_version");
      if (version == kSchemaVersion) return;
    }
  }
  Transaction tx(*this);
  db_.Exec(kSchema);
  const auto version = GetMeta("schema_version");
  if (!version) {
    SetMeta("schema_version", kSchemaVersion);
  } else if (*version != kSchemaVersion) {
    throw StoreError(path_ + ": schema version " + *version + " is not supported (expected " +
                     kSchemaVersion + ")");
  }
  tx.Commit();
}

Statement& Store::Get(Stmt which) {
  static_assert(std::size(kSql) == kStmtCount, "one SQL text per Stmt");
  std::lock_guard lock(db_.mutex());  // the ingest pipeline's threads share the Store
  auto& s = stmts_[which];
  if (!s) s = std::make_unique<Statement>(db_, kSql[which]);
  return *s;
}

// --- Transactions ---------------------------------------------------------------

void Store::Begin() {
  auto& s = Get(kBegin);
  Statement::Use use(s);
  s.Run();
}

void Store::Commit() {
  auto& s = Get(kCommit);
  Statement::Use use(s);
  s.Run();
}

void Store::Rollback() {
  auto& s = Get(kRollback);
  Statement::Use use(s);
  s.Run();
}

bool Store::InTransaction() const { return db_.InTransaction(); }

Transaction::~Transaction() {
  if (done_ || !store_.InTransaction()) return;
  try {
    store_.Rollback();
  } catch (const StoreError&) {
    // Destructors do not throw; closing the connection rolls back anyway.
  }
}

// --- Input log --------------------------------------------------------------------

uint64_t Store::LastSeq() {
  auto& s = Get(kLastSeq);
  Statement::Use use(s);
  if (!s.Step() || s.IsNull(0)) return 0;
  return static_cast<uint64_t>(s.Int(0));
}

void Store::AppendInput(const LoggedInput& in) {
  auto& s = Get(kAppendInput);
  Statement::Use use(s);
  s.Bind(1, static_cast<int64_t>(in.seq));
  s.Bind(2, std::string_view(in.type));
  s.Bind(3, in.time);
  s.Bind(4, std::string_view(in.account_id));
  s.Bind(5, std::string_view(in.message_id));
  s.Bind(6, std::string_view(in.raw));
  s.Run();
}

void Store::ForEachInput(uint64_t after_seq, const std::function<void(const LoggedInput&)>& fn) {
  auto& s = Get(kForEachInput);
  Statement::Use use(s);
  s.Bind(1, static_cast<int64_t>(after_seq));
  LoggedInput in;  // reused: assign() keeps the buffers
  while (s.Step()) {
    in.seq = static_cast<uint64_t>(s.Int(0));
    in.type.assign(s.Text(1));
    in.time = s.Int(2);
    in.account_id.assign(s.Text(3));
    in.message_id.assign(s.Text(4));
    in.raw.assign(s.Text(5));
    fn(in);
  }
}

void Store::ForEachMessageId(uint64_t after_seq, const std::function<void(std::string_view)>& fn) {
  auto& s = Get(kForEachMessageId);
  Statement::Use use(s);
  s.Bind(1, static_cast<int64_t>(after_seq));
  while (s.Step()) fn(s.Text(0));
}

uint64_t Store::InputCount() {
  auto& s = Get(kInputCount);
  Statement::Use use(s);
  s.Step();
  return static_cast<uint64_t>(s.Int(0));
}

// --- Quarantine --------------------------------------------------------------------

void Store::AppendQuarantine(std::string_view source, int64_t line, std::string_view raw,
                             std::string_view error, uint64_t after_seq) {
  auto& s = Get(kAppendQuarantine);
  Statement::Use use(s);
  s.Bind(1, source);
  s.Bind(2, line);
  s.Bind(3, raw);
  s.Bind(4, error);
  s.Bind(5, static_cast<int64_t>(after_seq));
  s.Run();
}

std::vector<nlohmann::json> Store::Quarantine(int64_t limit) {
  auto& s = Get(kQuarantine);
  Statement::Use use(s);
  s.Bind(1, SqlLimit(limit));
  std::vector<nlohmann::json> out;
  while (s.Step()) {
    out.push_back({{"id", s.Int(0)},
                   {"source", s.Text(1)},
                   {"line", s.Int(2)},
                   {"raw", s.Text(3)},
                   {"error", s.Text(4)},
                   {"after_seq", s.Int(5)}});
  }
  return out;
}

uint64_t Store::QuarantineCount() {
  auto& s = Get(kQuarantineCount);
  Statement::Use use(s);
  s.Step();
  return static_cast<uint64_t>(s.Int(0));
}

// --- Records -------------------------------------------------------------------------

void Store::AppendRecord(uint64_t seq, std::string_view type, std::string_view key,
                         std::string_view account_id, int64_t time, std::string_view raw) {
  auto& s = Get(kAppendRecord);
  Statement::Use use(s);
  s.Bind(1, static_cast<int64_t>(seq));
  s.Bind(2, type);
  s.Bind(3, key);
  s.Bind(4, account_id);
  s.Bind(5, time);
  s.Bind(6, raw);
  s.Run();
}

void Store::ForEachRecordLine(const std::function<void(std::string_view)>& fn) {
  auto& s = Get(kForEachRecordLine);
  Statement::Use use(s);
  while (s.Step()) fn(s.Text(0));
}

// --- Derived state -------------------------------------------------------------------

void Store::PutAccount(std::string_view account_id, double score, std::string_view route,
                       const nlohmann::json& summary, const nlohmann::json& detail) {
  const std::string summary_text = Dump(summary);
  const std::string detail_text = Dump(detail);
  auto& s = Get(kPutAccount);
  Statement::Use use(s);
  s.Bind(1, account_id);
  s.Bind(2, score);
  s.Bind(3, route);
  s.Bind(4, std::string_view(summary_text));
  s.Bind(5, std::string_view(detail_text));
  s.Run();
}

void Store::PutSignal(std::string_view signal_id, std::string_view account_id,
                      std::string_view status, std::string_view owner, int64_t created_at,
                      const nlohmann::json& doc) {
  const std::string text = Dump(doc);
  auto& s = Get(kPutSignal);
  Statement::Use use(s);
  s.Bind(1, signal_id);
  s.Bind(2, account_id);
  s.Bind(3, status);
  s.Bind(4, owner);
  s.Bind(5, created_at);
  s.Bind(6, std::string_view(text));
  s.Run();
}

void Store::PutFiring(std::string_view account_id, std::string_view trigger, int64_t fired_at,
                      const nlohmann::json& doc) {
  const std::string text = Dump(doc);
  auto& s = Get(kPutFiring);
  Statement::Use use(s);
  s.Bind(1, account_id);
  s.Bind(2, trigger);
  s.Bind(3, fired_at);
  s.Bind(4, std::string_view(text));
  s.Run();
}

void Store::AppendEffect(std::string_view id, std::string_view type, int64_t at,
                         std::string_view account_id, const nlohmann::json& data) {
  const std::string text = Dump(data);
  auto& s = Get(kAppendEffect);
  Statement::Use use(s);
  s.Bind(1, id);
  s.Bind(2, type);
  s.Bind(3, at);
  s.Bind(4, account_id);
  s.Bind(5, std::string_view(text));
  s.Run();
}

void Store::ClearDerived() {
  db_.Exec("DELETE FROM accounts; DELETE FROM signals; DELETE FROM firings; DELETE FROM effects");
}

// --- Queries ---------------------------------------------------------------------------

std::vector<nlohmann::json> Store::Accounts(std::optional<std::string> route,
                                            std::optional<int64_t> limit) {
  auto& s = Get(kAccounts);
  Statement::Use use(s);
  s.Bind(1, route);
  s.Bind(2, SqlLimit(limit));
  std::vector<nlohmann::json> out;
  while (s.Step()) out.push_back(Parse(s.Text(0), "accounts"));
  return out;
}

std::optional<nlohmann::json> Store::Account(std::string_view id) {
  auto& s = Get(kAccount);
  Statement::Use use(s);
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return Parse(s.Text(0), "accounts");
}

std::vector<nlohmann::json> Store::Signals(std::optional<std::string> status,
                                           std::optional<std::string> owner,
                                           std::optional<std::string> account) {
  auto& s = Get(kSignals);
  Statement::Use use(s);
  s.Bind(1, status);
  s.Bind(2, owner);
  s.Bind(3, account);
  std::vector<nlohmann::json> out;
  while (s.Step()) out.push_back(Parse(s.Text(0), "signals"));
  return out;
}

std::optional<nlohmann::json> Store::Signal(std::string_view id) {
  auto& s = Get(kSignal);
  Statement::Use use(s);
  s.Bind(1, id);
  if (!s.Step()) return std::nullopt;
  return Parse(s.Text(0), "signals");
}

std::vector<nlohmann::json> Store::Firings(std::optional<std::string> account,
                                           std::optional<std::string> trigger) {
  auto& s = Get(kFirings);
  Statement::Use use(s);
  s.Bind(1, account);
  s.Bind(2, trigger);
  std::vector<nlohmann::json> out;
  while (s.Step()) out.push_back(Parse(s.Text(0), "firings"));
  return out;
}

std::vector<nlohmann::json> Store::Effects(uint64_t limit) {
  auto& s = Get(kEffects);
  Statement::Use use(s);
  s.Bind(1, limit > static_cast<uint64_t>(INT64_MAX) ? int64_t{-1} : static_cast<int64_t>(limit));
  std::vector<nlohmann::json> out;
  while (s.Step()) {
    out.push_back({{"seq", s.Int(0)},
                   {"id", s.Text(1)},
                   {"type", s.Text(2)},
                   {"at", s.Int(3)},
                   {"account_id", s.Text(4)},
                   {"data", Parse(s.Text(5), "effects")}});
  }
  return out;
}

// --- Meta and counters -------------------------------------------------------------------

std::optional<std::string> Store::GetMeta(std::string_view key) {
  auto& s = Get(kGetMeta);
  Statement::Use use(s);
  s.Bind(1, key);
  if (!s.Step()) return std::nullopt;
  return std::string(s.Text(0));
}

void Store::SetMeta(std::string_view key, std::string_view value) {
  auto& s = Get(kSetMeta);
  Statement::Use use(s);
  s.Bind(1, key);
  s.Bind(2, value);
  s.Run();
}

int64_t Store::GetCounter(std::string_view name) {
  auto& s = Get(kGetCounter);
  Statement::Use use(s);
  s.Bind(1, name);
  if (!s.Step()) return 0;
  return s.Int(0);
}

void Store::AddCounter(std::string_view name, int64_t delta) {
  auto& s = Get(kAddCounter);
  Statement::Use use(s);
  s.Bind(1, name);
  s.Bind(2, delta);
  s.Run();
}

}  // namespace headroom
