#pragma once
/// The SQLite implementation of Store, for callers that share one SqliteDatabase between several
/// repositories (the app opens "<data>/atiende.db" once and hands the same connection to the
/// knowledge base, conversations, feedback...).

#include <memory>

#include "common/status.h"
#include "store/migrations.h"
#include "store/sqlite_database.h"
#include "store/store.h"

namespace atiende::store {

/// The knowledge-base component's migrations ("kb"), exposed for tests and tooling.
std::span<const Migration> knowledge_base_migrations();

/// A Store over an already open database; applies the "kb" migrations.
Result<std::unique_ptr<Store>> open_sqlite_store(std::shared_ptr<SqliteDatabase> db);

}  // namespace atiende::store
