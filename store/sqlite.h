// Thin RAII owners for the SQLite C API: a connection (Db) and a prepared
// statement (Statement). They turn SQLite result codes into Status values
// whose messages carry SQLite's own explanation, and nothing more: the SQL
// itself lives with the code that needs it (schema.cc, sqlite_store.cc).
//
// Neither type is thread-safe; a Db and its Statements belong to one thread.
// Statements must be destroyed before the Db they were prepared on.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "base/status.h"

namespace kgate {

class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binders take 1-based parameter indexes, as SQLite does. Text is bound
  // without a copy (SQLITE_STATIC): the caller keeps the string alive until
  // the statement is stepped and reset.
  void Bind(int index, std::int64_t value) { sqlite3_bind_int64(stmt_, index, value); }
  void Bind(int index, int value) { sqlite3_bind_int(stmt_, index, value); }
  void Bind(int index, double value) { sqlite3_bind_double(stmt_, index, value); }
  void Bind(int index, const std::string& value) {
    sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_STATIC);
  }
  void BindNull(int index) { sqlite3_bind_null(stmt_, index); }

  // Advances one row: true while a row is available, false when done; a
  // failure is recorded and reported by status().
  bool Step();
  // Step() for statements that return no rows; resets the statement after.
  Status Run();
  // Clears bindings and rewinds, ready for the next use; returns the error of
  // the last Step, if any.
  Status Reset();
  const Status& status() const { return status_; }

  std::int64_t Int64(int column) const { return sqlite3_column_int64(stmt_, column); }
  int Int(int column) const { return sqlite3_column_int(stmt_, column); }
  double Double(int column) const { return sqlite3_column_double(stmt_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
  std::string Text(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  Status status_;
};

class Db {
 public:
  // Opens path with sqlite3_open_v2 flags. SQLite opens lazily: a file that
  // is not a database fails on the first statement, not here.
  static Result<std::unique_ptr<Db>> Open(const std::string& path, int flags);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* raw() const { return db_; }

  // Runs one or more statements without results (DDL, PRAGMA, BEGIN...).
  Status Exec(const std::string& sql);
  // Runs a single-row, single-column query and returns its integer.
  Result<std::int64_t> QueryInt(const std::string& sql);
  // A statement prepared once per Db and kept for its lifetime, keyed by its
  // SQL text, reset and ready to bind. Errors name the SQL that failed.
  Result<Statement*> Cached(std::string_view sql);

  std::int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  std::string ErrorMessage() const { return sqlite3_errmsg(db_); }
  int ErrorCode() const { return sqlite3_extended_errcode(db_); }

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back when destroyed uncommitted, so an
// early error return cannot leave a transaction open.
class Transaction {
 public:
  explicit Transaction(Db& db) : db_(db) {}
  ~Transaction();
  Status Begin();
  Status Commit();

 private:
  Db& db_;
  bool open_ = false;
};

}  // namespace kgate

// Declares `Statement& var`, the statement for `sql` cached on `db`, or
// returns its preparation error from the enclosing function.
#define KG_PREPARE(var, db, sql)                            \
  auto var##_prepared = (db).Cached(sql);                   \
  if (!var##_prepared.ok()) return var##_prepared.status(); \
  ::kgate::Statement& var = **var##_prepared
