// Thin RAII wrappers over the SQLite C API, used only by src/store.
//
// Every SQLite failure becomes a StoreError carrying SQLite's own message
// (an I/O failure ends the command; see common/error.h). Text is bound with
// SQLITE_STATIC: the caller keeps the bound bytes alive until the statement is
// reset, which Statement::Use guarantees by resetting at the end of its scope.
// Threads: a connection and its statements may be used by several threads, one
// at a time: every Statement::Use, Exec, InTransaction and Changes holds the
// Database's recursive mutex, and a thread that must keep several statements
// together (a whole transaction, e.g. the ingest pipeline's writer thread,
// ingest/ingestor.h) holds mutex() around them.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace headroom {

// The one exception the store throws: an SQLite (or file system) failure.
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// One open connection (sqlite3_close_v2 on destruction).
class Database {
 public:
  // Opens or creates `path` read-write. Throws StoreError.
  explicit Database(const std::string& path);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  // Runs one or more statements that return no rows needed (DDL, PRAGMA ...).
  void Exec(const char* sql);
  // Throws StoreError("<what>: <sqlite message>") when rc is an error code.
  void Check(int rc, std::string_view what) const;
  int64_t Changes() const;
  bool InTransaction() const;
  // See the file comment. Recursive: the holder may run statements.
  std::recursive_mutex& mutex() const { return mu_; }

 private:
  sqlite3* db_ = nullptr;
  mutable std::recursive_mutex mu_;
};

// A prepared statement, reused: bind, step, reset.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Scope of one execution: resets the statement and clears its bindings when
  // it ends (also on exceptions), releasing read locks and the bound bytes.
  // A statement is not re-entrant: using it while a Use of it is alive throws.
  class Use {
   public:
    explicit Use(Statement& s);
    ~Use();
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;

   private:
    std::unique_lock<std::recursive_mutex> lock_;  // the connection, for the whole execution
    Statement* s_;
  };

  // Parameters are 1-based, as in SQLite.
  void Bind(int i, int64_t v);
  void Bind(int i, double v);
  void Bind(int i, std::string_view v);                   // SQLITE_STATIC: v must outlive the Use
  void Bind(int i, const std::optional<std::string>& v);  // null when empty
  void BindNull(int i);
  void BindBlob(int i, std::string_view bytes);  // SQLITE_STATIC, as Bind(text)

  // true when a row is available, false when done; throws StoreError on error.
  bool Step();
  // Steps a statement that returns no rows.
  void Run() {
    while (Step()) {
    }
  }

  bool IsNull(int col) const;
  int64_t Int(int col) const;
  double Double(int col) const;
  // Valid until the next Step or the end of the Use.
  std::string_view Text(int col) const;
  std::string_view Blob(int col) const;  // same lifetime as Text

 private:
  Database& db_;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;  // for error messages
  bool in_use_ = false;
};

}  // namespace headroom
