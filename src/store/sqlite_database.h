#pragma once
/// SqliteDatabase: one SQLite connection shared by every SQLite-backed repository (knowledge base,
/// conversations, feedback, audit, tickets...). It owns the connection settings (WAL, busy timeout,
/// foreign keys) and gives a repository three things:
///   - `with_transaction(fn)`: runs `fn` inside BEGIN IMMEDIATE ... COMMIT (ROLLBACK when `fn`
///     returns an error). Nested calls on the same thread become SAVEPOINTs.
///   - `with_connection(fn)`: runs `fn` holding the connection without opening a transaction
///     (reads; each statement is then its own implicit transaction).
///   - `Statement`: a prepared statement wrapper (bind / step / columns) that reports errors as
///     Status and never throws.
///
/// Thread-safety: the object is safe to share between threads (std::shared_ptr). Every use of the
/// connection goes through with_transaction / with_connection / exec, which hold one recursive
/// mutex for their whole duration, so a transaction is never interleaved with another thread's
/// statements. A `Statement` must only be prepared, stepped and destroyed inside such a callback.
///
/// SQL dialect: this is SQLite-specific on purpose. Repositories keep their SQLite SQL in their
/// sqlite implementation file; a PostgreSQL implementation gets its own connection class.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "common/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace atiende::store {

class SqliteDatabase;

namespace detail {
/// A compiled statement kept by SqliteDatabase for its SQL text; `in_use` while a Statement has it.
struct CachedStatement {
  sqlite3_stmt* stmt = nullptr;
  bool in_use = false;
};
}  // namespace detail

/// A prepared statement. Move-only; on destruction it goes back to its database's statement cache
/// (reset, bindings cleared) or is finalized. Bind indexes are 1-based (SQLite), column indexes
/// 0-based.
class Statement {
 public:
  Statement() = default;
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view value);  ///< text (copied by SQLite)
  Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
  Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
  Statement& bind_null(int index);

  /// Advances: true when a row is available, false when done. A bind error recorded earlier is
  /// returned here.
  Result<bool> step();
  /// Steps to completion (INSERT/UPDATE/DELETE); error if the statement fails.
  Status run();
  /// Resets for re-execution and clears bindings.
  void reset();

  int64_t column_int(int column) const;
  std::string column_text(int column) const;
  bool column_is_null(int column) const;

 private:
  friend class SqliteDatabase;
  Statement(sqlite3* db, sqlite3_stmt* stmt, SqliteDatabase* cache_owner = nullptr,
            detail::CachedStatement* cache_slot = nullptr)
      : db_(db), stmt_(stmt), cache_owner_(cache_owner), cache_slot_(cache_slot) {}
  void record_bind(int rc);
  void release();  ///< back to the cache, or finalized
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  SqliteDatabase* cache_owner_ = nullptr;          ///< set when the statement came from the cache
  detail::CachedStatement* cache_slot_ = nullptr;  ///< its slot there
  Status bind_status_;
};

/// Connection options.
struct SqliteOptions {
  int busy_timeout_ms = 5000;  ///< how long a writer waits for another process's lock
  bool wal = true;             ///< journal_mode=WAL (ignored for ":memory:")
};

class SqliteDatabase {
 public:
  /// Opens (creating if needed) the database file. ":memory:" gives a private in-memory database.
  /// Applies WAL, busy timeout, foreign_keys=ON, synchronous=NORMAL and a 32 MiB page cache.
  /// Errors name the path.
  static Result<std::shared_ptr<SqliteDatabase>> open(const std::string& path,
                                                       const SqliteOptions& options = {});
  ~SqliteDatabase();
  SqliteDatabase(const SqliteDatabase&) = delete;
  SqliteDatabase& operator=(const SqliteDatabase&) = delete;

  /// Runs one or more `;`-separated statements without results (DDL, PRAGMA). Thread-safe.
  Status exec(std::string_view sql);
  /// Prepares one statement. Only inside with_transaction / with_connection callbacks. The
  /// compiled statement is cached by its SQL text (up to kStatementCacheSize texts): the next
  /// prepare of the same text reuses it instead of parsing the SQL again.
  Result<Statement> prepare(std::string_view sql);

  /// SQL texts whose compiled statements are kept for reuse.
  static constexpr size_t kStatementCacheSize = 256;
  /// Statements compiled so far (cache misses), for tests and diagnostics. Thread-safe.
  size_t statements_compiled() const { return statements_compiled_.load(); }

  /// Runs `fn` in a write transaction (BEGIN IMMEDIATE); commits when it returns ok, rolls back
  /// otherwise and returns its error. Nested calls (same thread) use SAVEPOINTs, so an inner
  /// failure rolls back only the inner part. Thread-safe.
  Status with_transaction(const std::function<Status(SqliteDatabase&)>& fn);
  /// Runs `fn` holding the connection, without a transaction (for reads). Thread-safe.
  Status with_connection(const std::function<Status(SqliteDatabase&)>& fn);

  /// Rowid of the last INSERT on this connection (call inside the same callback).
  int64_t last_insert_rowid() const;
  /// Rows changed by the last statement (call inside the same callback).
  int64_t changes() const;

  /// The path given to open().
  const std::string& path() const { return path_; }

 private:
  SqliteDatabase(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  friend class Statement;
  Status exec_locked(std::string_view sql);
  /// Runs one statement-less command (BEGIN, COMMIT...) through the statement cache.
  Status run_locked(std::string_view sql);
  Status error(std::string_view what) const;
  /// A Statement from the cache is done: reset it and mark its slot free.
  void give_back(detail::CachedStatement& slot);
  sqlite3* db_;
  std::string path_;
  std::recursive_mutex mutex_;
  int transaction_depth_ = 0;  ///< guarded by mutex_
  /// Guarded by mutex_. Node-based: a slot's address is stable while Statements point to it.
  std::unordered_map<std::string, detail::CachedStatement> statement_cache_;
  std::atomic<size_t> statements_compiled_{0};
};

/// Helper for single-value queries: the first column of the first row as an integer, or
/// `fallback` when there is no row. Call inside a callback.
Result<int64_t> query_int(SqliteDatabase& db, std::string_view sql, int64_t fallback);

}  // namespace atiende::store
