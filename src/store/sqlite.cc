#include "store/sqlite.h"

#include <sqlite3.h>

namespace headroom {

namespace {

std::string Message(sqlite3* db, int rc) {
  std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return msg;
}

}  // namespace

Database::Database(const std::string& path) {
  const int rc =
      sqlite3_open_v2(path.c_str(), &db_,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = "cannot open " + path + ": " + Message(db_, rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw StoreError(msg);
  }
  sqlite3_extended_result_codes(db_, 1);
}

Database::~Database() { sqlite3_close_v2(db_); }

void Database::Exec(const char* sql) {
  std::lock_guard lock(mu_);
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw StoreError(std::string("sqlite: ") + msg + " (in: " + sql + ")");
  }
}

void Database::Check(int rc, std::string_view what) const {
  if (rc == SQLITE_OK || rc == SQLITE_ROW || rc == SQLITE_DONE) return;
  throw StoreError(std::string(what) + ": " + Message(db_, rc));
}

int64_t Database::Changes() const {
  std::lock_guard lock(mu_);
  return sqlite3_changes64(db_);
}

bool Database::InTransaction() const {
  std::lock_guard lock(mu_);
  return sqlite3_get_autocommit(db_) == 0;
}

Statement::Statement(Database& db, std::string_view sql) : db_(db), sql_(sql) {
  const int rc = sqlite3_prepare_v3(db.handle(), sql_.data(), static_cast<int>(sql_.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  db_.Check(rc, "sqlite: prepare " + sql_);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Use::Use(Statement& s) : lock_(s.db_.mutex()), s_(&s) {
  if (s.in_use_) throw StoreError("sqlite: statement re-entered: " + s.sql_);
  s.in_use_ = true;
}

Statement::Use::~Use() {
  sqlite3_reset(s_->stmt_);
  sqlite3_clear_bindings(s_->stmt_);
  s_->in_use_ = false;
}

void Statement::Bind(int i, int64_t v) {
  db_.Check(sqlite3_bind_int64(stmt_, i, v), "sqlite: bind");
}

void Statement::Bind(int i, double v) {
  db_.Check(sqlite3_bind_double(stmt_, i, v), "sqlite: bind");
}

void Statement::Bind(int i, std::string_view v) {
  // An empty view may have a null data(); SQLite would bind NULL for it.
  const char* data = v.data() != nullptr ? v.data() : "";
  db_.Check(sqlite3_bind_text64(stmt_, i, data, v.size(), SQLITE_STATIC, SQLITE_UTF8),
            "sqlite: bind");
}

void Statement::Bind(int i, const std::optional<std::string>& v) {
  if (v) {
    Bind(i, std::string_view(*v));
  } else {
    BindNull(i);
  }
}

void Statement::BindNull(int i) { db_.Check(sqlite3_bind_null(stmt_, i), "sqlite: bind"); }

void Statement::BindBlob(int i, std::string_view bytes) {
  // An empty blob, not NULL, for an empty view.
  const char* data = bytes.data() != nullptr ? bytes.data() : "";
  db_.Check(sqlite3_bind_blob64(stmt_, i, data, bytes.size(), SQLITE_STATIC), "sqlite: bind");
}

bool Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_.Check(rc, "sqlite");
  return false;
}

bool Statement::IsNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }

int64_t Statement::Int(int col) const { return sqlite3_column_int64(stmt_, col); }

double Statement::Double(int col) const { return sqlite3_column_double(stmt_, col); }

std::string_view Statement::Text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

std::string_view Statement::Blob(int col) const {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
  if (p == nullptr) return {};
  return {p, static_cast<size_t>(sqlite3_column_bytes(stmt_, col))};
}

}  // namespace headroom
