#pragma once
/// Schema migrations for SQLite-backed repositories.
///
/// Every component (the knowledge base "kb", later "conversations", "feedback", "audit",
/// "tickets"...) owns an ordered list of migrations, versions 1, 2, 3... Applied versions are
/// recorded in the table `schema_migrations(component, version, applied_ms)`, so components never
/// touch each other's migrations. Each migration runs in its own transaction together with its
/// bookkeeping row: a crash leaves either the old or the new version, never half of one.
///
/// How a new repository adds tables (example for a conversations repository):
///
///   constexpr store::Migration kConversationMigrations[] = {
///       {1, "CREATE TABLE conversations(id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL);"},
///       {2, "ALTER TABLE conversations ADD COLUMN customer_id TEXT;"},
///   };
///   Result<std::unique_ptr<ConversationRepo>> open_sqlite_conversations(
///       std::shared_ptr<store::SqliteDatabase> db) {
///     ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "conversations",
///                                                     kConversationMigrations));
///     ...
///   }
///
/// Never edit a migration that has shipped; append a new version instead. Migrations of one
/// component may reference tables of another component only if that component is applied first
/// (the app opens the knowledge base first).

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/sqlite_database.h"

namespace atiende::store {

/// One schema step: `sql` may hold several `;`-separated statements.
struct Migration {
  int64_t version = 0;   ///< 1-based, strictly increasing within a component
  std::string_view sql;  ///< must outlive the call (string literals are fine)
};

/// Applies, in order, the migrations of `component` whose version is above the recorded one.
/// Errors: invalid_argument for non-increasing versions; failed_precondition when the database
/// records a version newer than any known (a downgrade); the SQL error (naming component and
/// version) otherwise. Thread-safe (uses the database's transactions).
Status apply_migrations(SqliteDatabase& db, std::string_view component,
                        std::span<const Migration> migrations);

/// The highest applied version of `component`, 0 when none. Thread-safe.
Result<int64_t> applied_migration_version(SqliteDatabase& db, std::string_view component);

/// A named set of components and their migrations, for callers that want to apply several at
/// once (e.g. the app at start-up). Not thread-safe while being filled.
class MigrationRegistry {
 public:
  /// Adds a component's migrations. invalid_argument when the component is already registered.
  Status add(std::string component, std::vector<Migration> migrations);
  /// Applies every registered component, in registration order.
  Status apply_all(SqliteDatabase& db) const;
  /// Registered component names, in order.
  std::vector<std::string> components() const;

 private:
  struct Entry {
    std::string component;
    std::vector<Migration> migrations;
  };
  std::vector<Entry> entries_;
};

}  // namespace atiende::store
