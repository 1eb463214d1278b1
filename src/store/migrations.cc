#include "store/migrations.h"

#include <chrono>

namespace atiende::store {
namespace {

constexpr std::string_view kBookkeeping =
    "CREATE TABLE IF NOT EXISTS schema_migrations("
    "  component TEXT NOT NULL,"
    "  version INTEGER NOT NULL,"
    "  applied_ms INTEGER NOT NULL,"
    "  PRIMARY KEY (component, version))";

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<int64_t> current_version(SqliteDatabase& db, std::string_view component) {
  ATIENDE_ASSIGN_OR_RETURN(
      Statement stmt,
      db.prepare("SELECT max(version) FROM schema_migrations WHERE component = ?1"));
  stmt.bind(1, component);
  ATIENDE_ASSIGN_OR_RETURN(bool has_row, stmt.step());
  if (!has_row || stmt.column_is_null(0)) return int64_t{0};
  return stmt.column_int(0);
}

}  // namespace

Result<int64_t> applied_migration_version(SqliteDatabase& db, std::string_view component) {
  ATIENDE_RETURN_IF_ERROR(db.exec(kBookkeeping));
  int64_t version = 0;
  ATIENDE_RETURN_IF_ERROR(db.with_connection([&](SqliteDatabase& d) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(version, current_version(d, component));
    return {};
  }));
  return version;
}

Status apply_migrations(SqliteDatabase& db, std::string_view component,
                        std::span<const Migration> migrations) {
  const std::string name(component);
  if (name.empty()) return Status::invalid_argument("migration component name is empty");
  int64_t previous = 0;
  for (const auto& migration : migrations) {
    if (migration.version <= previous) {
      return Status::invalid_argument("migrations of '" + name +
                                      "' must have strictly increasing versions from 1 (got " +
                                      std::to_string(migration.version) + " after " +
                                      std::to_string(previous) + ")");
    }
    previous = migration.version;
  }
  ATIENDE_RETURN_IF_ERROR(db.exec(kBookkeeping));
  // The whole check-and-apply runs under one transaction per migration; re-reading the version
  // inside it makes two processes opening the same database at once safe (BEGIN IMMEDIATE
  // serializes them).
  for (const auto& migration : migrations) {
    Status status = db.with_transaction([&](SqliteDatabase& d) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(int64_t current, current_version(d, name));
      if (current >= migration.version) return {};
      ATIENDE_RETURN_IF_ERROR(d.exec(migration.sql));
      ATIENDE_ASSIGN_OR_RETURN(
          Statement record,
          d.prepare("INSERT INTO schema_migrations(component, version, applied_ms) "
                    "VALUES (?1, ?2, ?3)"));
      record.bind(1, name).bind(2, migration.version).bind(3, now_ms());
      return record.run();
    });
    if (!status.ok()) {
      return status.with_context("migration " + name + " v" + std::to_string(migration.version));
    }
  }
  ATIENDE_ASSIGN_OR_RETURN(int64_t final_version, applied_migration_version(db, name));
  if (final_version > previous) {
    return Status::failed_precondition(
        "database '" + db.path() + "' has schema version " + std::to_string(final_version) +
        " of '" + name + "', newer than this binary knows (" + std::to_string(previous) +
        "); upgrade atiende");
  }
  return {};
}

Status MigrationRegistry::add(std::string component, std::vector<Migration> migrations) {
  for (const auto& entry : entries_) {
    if (entry.component == component) {
      return Status::invalid_argument("migrations for component '" + component +
                                      "' are already registered");
    }
  }
  entries_.push_back({std::move(component), std::move(migrations)});
  return {};
}

Status MigrationRegistry::apply_all(SqliteDatabase& db) const {
  for (const auto& entry : entries_) {
    ATIENDE_RETURN_IF_ERROR(apply_migrations(db, entry.component, entry.migrations));
  }
  return {};
}

std::vector<std::string> MigrationRegistry::components() const {
  std::vector<std::string> names;
  for (const auto& entry : entries_) names.push_back(entry.component);
  return names;
}

}  // namespace atiende::store
