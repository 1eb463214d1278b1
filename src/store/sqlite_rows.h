#pragma once
/// Row-collecting helpers for SQLite repositories (conversations, A/B studies...): run one query
/// and map every row, without each repository writing the step loop again.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "store/sqlite_database.h"

namespace atiende::store {

/// Prepares `sql` on `database`, lets `bind(Statement&)` bind its parameters, and collects
/// `read(const Statement&)` for every row, holding the connection for the whole query.
template <typename T, typename Bind, typename Read>
Result<std::vector<T>> collect_rows(SqliteDatabase& database, const std::string& sql, Bind bind,
                                    Read read) {
  std::vector<T> out;
  Status status = database.with_connection([&](SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto statement, db.prepare(sql));
    bind(statement);
    for (;;) {
      ATIENDE_ASSIGN_OR_RETURN(bool has_row, statement.step());
      if (!has_row) return {};
      out.push_back(read(statement));
    }
  });
  if (!status.ok()) return status;
  return out;
}

/// The first row of a collect_rows() result, std::nullopt when there is none.
template <typename T>
Result<std::optional<T>> first_row(Result<std::vector<T>> rows) {
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return std::optional<T>{};
  return std::optional<T>(std::move(rows->front()));
}

}  // namespace atiende::store
