#include "store/sqlite.h"

#include <utility>

namespace kgate {

bool Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc != SQLITE_DONE && status_.ok()) {
    status_ = Status::Infrastructure(std::string("SQLite: ") + sqlite3_errmsg(db_));
  }
  return false;
}

Status Statement::Run() {
  while (Step()) {
  }
  return Reset();
}

Status Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  return std::exchange(status_, Status::Ok());
}

std::string Statement::Text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = raw ? sqlite3_errmsg(raw) : sqlite3_errstr(rc);
    sqlite3_close(raw);
    return Status::Infrastructure(path + ": cannot open: " + msg);
  }
  sqlite3_extended_result_codes(raw, 1);
  return std::unique_ptr<Db>(new Db(raw));
}

Db::~Db() {
  cache_.clear();  // statements first: sqlite3_close refuses while any is live
  sqlite3_close(db_);
}

Status Db::Exec(const std::string& sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : ErrorMessage();
    sqlite3_free(err);
    return Status::Infrastructure("SQLite: " + msg);
  }
  return Status::Ok();
}

Result<std::int64_t> Db::QueryInt(const std::string& sql) {
  KG_ASSIGN_OR_RETURN(auto stmt, Cached(sql));
  Statement& s = *stmt;
  std::int64_t value = 0;
  if (s.Step()) value = s.Int64(0);
  KG_RETURN_IF_ERROR(s.Reset());
  return value;
}

Result<Statement*> Db::Cached(std::string_view sql) {
  std::string key(sql);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second.get();
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.c_str(), static_cast<int>(key.size()),
                              SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
  if (rc != SQLITE_OK) {
    return Status::Infrastructure("SQLite: " + ErrorMessage() + " (preparing: " + key + ")");
  }
  auto owned = std::make_unique<Statement>(db_, stmt);
  Statement* ptr = owned.get();
  cache_.emplace(std::move(key), std::move(owned));
  return ptr;
}

// BEGIN, COMMIT and ROLLBACK go through cached statements too: a trial is a
// transaction, and re-parsing them per trial showed in small-trial inserts.
Transaction::~Transaction() {
  if (!open_) return;
  auto rollback = db_.Cached("ROLLBACK");
  if (rollback.ok()) (*rollback)->Run();  // best effort: the error is already on its way
}

Status Transaction::Begin() {
  KG_PREPARE(begin, db_, "BEGIN IMMEDIATE");
  KG_RETURN_IF_ERROR(begin.Run());
  open_ = true;
  return Status::Ok();
}

Status Transaction::Commit() {
  KG_PREPARE(commit, db_, "COMMIT");
  KG_RETURN_IF_ERROR(commit.Run());
  open_ = false;
  return Status::Ok();
}

}  // namespace kgate
