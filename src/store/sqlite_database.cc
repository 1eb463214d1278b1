#include "store/sqlite_database.h"

#include <sqlite3.h>

#include <string>

namespace atiende::store {

// ---------------------------------------------------------------------------------------------
// Statement

Statement::~Statement() { release(); }

void Statement::release() {
  if (stmt_ == nullptr) return;
  if (cache_owner_ != nullptr && cache_slot_ != nullptr) {
    cache_owner_->give_back(*cache_slot_);
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_),
      stmt_(other.stmt_),
      cache_owner_(other.cache_owner_),
      cache_slot_(other.cache_slot_),
      bind_status_(std::move(other.bind_status_)) {
  other.stmt_ = nullptr;
  other.db_ = nullptr;
  other.cache_owner_ = nullptr;
  other.cache_slot_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    release();
    db_ = other.db_;
    stmt_ = other.stmt_;
    cache_owner_ = other.cache_owner_;
    cache_slot_ = other.cache_slot_;
    bind_status_ = std::move(other.bind_status_);
    other.stmt_ = nullptr;
    other.db_ = nullptr;
    other.cache_owner_ = nullptr;
    other.cache_slot_ = nullptr;
  }
  return *this;
}

void Statement::record_bind(int rc) {
  if (rc != SQLITE_OK && bind_status_.ok()) {
    bind_status_ = Status::internal(std::string("sqlite bind failed: ") + sqlite3_errstr(rc));
  }
}

Statement& Statement::bind(int index, int64_t value) {
  record_bind(sqlite3_bind_int64(stmt_, index, value));
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  record_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                  SQLITE_UTF8));
  return *this;
}

Statement& Statement::bind_null(int index) {
  record_bind(sqlite3_bind_null(stmt_, index));
  return *this;
}

Result<bool> Statement::step() {
  if (!bind_status_.ok()) return bind_status_;
  if (stmt_ == nullptr) return Status::internal("step on an empty statement");
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  const StatusCode code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? StatusCode::kUnavailable
                          : (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? StatusCode::kDataLoss
                          : (rc == SQLITE_CONSTRAINT) ? StatusCode::kFailedPrecondition
                                                      : StatusCode::kInternal;
  return Status(code, std::string("sqlite: ") + sqlite3_errmsg(db_));
}

Status Statement::run() {
  while (true) {
    auto row = step();
    if (!row.ok()) return row.status();
    if (!*row) return {};
  }
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  bind_status_ = {};
}

int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::column_text(int column) const {
  const auto* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  const int size = sqlite3_column_bytes(stmt_, column);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---------------------------------------------------------------------------------------------
// SqliteDatabase

Result<std::shared_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path,
                                                             const SqliteOptions& options) {
  sqlite3* raw = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  const int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = "cannot open database '" + path + "': " +
                          (raw != nullptr ? sqlite3_errmsg(raw) : sqlite3_errstr(rc));
    if (raw != nullptr) sqlite3_close_v2(raw);
    return Status::unavailable(message);
  }
  std::shared_ptr<SqliteDatabase> db(new SqliteDatabase(raw, path));
  sqlite3_busy_timeout(raw, options.busy_timeout_ms);
  sqlite3_extended_result_codes(raw, 0);
  // A 32 MiB page cache (default 2 MiB): a busy chat store re-reads its hot pages from memory,
  // not through pread().
  std::string pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-32768;";
  if (options.wal && path != ":memory:" && !path.empty()) pragmas += "PRAGMA journal_mode=WAL;";
  // journal_mode returns a row; sqlite3_exec ignores rows, which is what we want.
  Status status = db->exec(pragmas);
  if (!status.ok()) return status.with_context("opening database '" + path + "'");
  // A file that is not a database fails only on the first real read: check it now.
  status = db->with_connection([](SqliteDatabase& d) -> Status {
    auto count = query_int(d, "SELECT count(*) FROM sqlite_master", 0);
    return count.status();
  });
  if (!status.ok()) return status.with_context("opening database '" + path + "'");
  return db;
}

SqliteDatabase::~SqliteDatabase() {
  for (auto& [sql, cached] : statement_cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

Status SqliteDatabase::error(std::string_view what) const {
  const int rc = sqlite3_errcode(db_);
  const StatusCode code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? StatusCode::kUnavailable
                          : (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? StatusCode::kDataLoss
                                                                          : StatusCode::kInternal;
  return Status(code, std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status SqliteDatabase::exec_locked(std::string_view sql) {
  const std::string copy(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, copy.c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string text = message != nullptr ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    const StatusCode code = (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) ? StatusCode::kUnavailable
                            : (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) ? StatusCode::kDataLoss
                                                                            : StatusCode::kInternal;
    return Status(code, "sqlite: " + text);
  }
  return {};
}

Status SqliteDatabase::exec(std::string_view sql) {
  std::lock_guard lock(mutex_);
  return exec_locked(sql);
}

Result<Statement> SqliteDatabase::prepare(std::string_view sql) {
  std::lock_guard lock(mutex_);  // callers hold it already (recursive); guards the cache
  const std::string key(sql);
  auto found = statement_cache_.find(key);
  if (found != statement_cache_.end() && !found->second.in_use) {
    found->second.in_use = true;
    return Statement(db_, found->second.stmt, this, &found->second);
  }
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) {
    if (stmt != nullptr) sqlite3_finalize(stmt);
    return error("sqlite prepare failed for \"" + std::string(sql.substr(0, 80)) + "\"");
  }
  statements_compiled_.fetch_add(1);
  // Cache the first compile of a text (a second one, while the first is in use, is one-off).
  if (stmt != nullptr && found == statement_cache_.end() &&
      statement_cache_.size() < kStatementCacheSize) {
    auto [slot, inserted] = statement_cache_.emplace(key, detail::CachedStatement{stmt, true});
    return Statement(db_, stmt, this, &slot->second);
  }
  return Statement(db_, stmt);
}

void SqliteDatabase::give_back(detail::CachedStatement& slot) {
  std::lock_guard lock(mutex_);
  sqlite3_reset(slot.stmt);
  sqlite3_clear_bindings(slot.stmt);
  slot.in_use = false;
}

Status SqliteDatabase::run_locked(std::string_view sql) {
  ATIENDE_ASSIGN_OR_RETURN(Statement statement, prepare(sql));
  return statement.run();
}

Status SqliteDatabase::with_transaction(const std::function<Status(SqliteDatabase&)>& fn) {
  std::lock_guard lock(mutex_);
  const int depth = transaction_depth_;
  const std::string savepoint = "sp" + std::to_string(depth);
  ATIENDE_RETURN_IF_ERROR(depth == 0 ? run_locked("BEGIN IMMEDIATE")
                                     : exec_locked("SAVEPOINT " + savepoint));
  ++transaction_depth_;
  Status status;
  try {
    status = fn(*this);
  } catch (const std::exception& e) {
    status = Status::internal(std::string("exception in transaction: ") + e.what());
  }
  --transaction_depth_;
  if (status.ok()) {
    status = depth == 0 ? run_locked("COMMIT") : exec_locked("RELEASE " + savepoint);
    if (status.ok()) return {};
  }
  if (depth == 0) {
    (void)run_locked("ROLLBACK");
  } else {
    (void)exec_locked("ROLLBACK TO " + savepoint + "; RELEASE " + savepoint);
  }
  return status;
}

Status SqliteDatabase::with_connection(const std::function<Status(SqliteDatabase&)>& fn) {
  std::lock_guard lock(mutex_);
  try {
    return fn(*this);
  } catch (const std::exception& e) {
    return Status::internal(std::string("exception in database callback: ") + e.what());
  }
}

int64_t SqliteDatabase::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int64_t SqliteDatabase::changes() const { return sqlite3_changes64(db_); }

Result<int64_t> query_int(SqliteDatabase& db, std::string_view sql, int64_t fallback) {
  ATIENDE_ASSIGN_OR_RETURN(Statement stmt, db.prepare(sql));
  ATIENDE_ASSIGN_OR_RETURN(bool has_row, stmt.step());
  if (!has_row || stmt.column_is_null(0)) return fallback;
  return stmt.column_int(0);
}

}  // namespace atiende::store
