#include <gtest/gtest.h>

#include <filesystem>

#include "common/files.h"
#include "store/migrations.h"
#include "store/sqlite_database.h"
#include "store/sqlite_store.h"

namespace atiende::store {
namespace {

std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             ("atiende_sqlite_test_" + std::to_string(::getpid()) + "_" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::shared_ptr<SqliteDatabase> open_memory() {
  auto db = SqliteDatabase::open(":memory:");
  EXPECT_TRUE(db.ok()) << db.status().to_string();
  return *db;
}

TEST(SqliteDatabase, FileDatabaseUsesWalAndForeignKeys) {
  auto path = (temp_dir("wal") / "x.db").string();
  auto db = SqliteDatabase::open(path);
  ASSERT_TRUE(db.ok());
  std::string mode;
  int64_t fk = 0;
  ASSERT_TRUE((*db)->with_connection([&](SqliteDatabase& d) -> Status {
                     ATIENDE_ASSIGN_OR_RETURN(Statement s, d.prepare("PRAGMA journal_mode"));
                     ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
                     if (row) mode = s.column_text(0);
                     ATIENDE_ASSIGN_OR_RETURN(fk, query_int(d, "PRAGMA foreign_keys", 0));
                     return {};
                   })
                  .ok());
  EXPECT_EQ(mode, "wal");
  EXPECT_EQ(fk, 1);
}

TEST(SqliteDatabase, NotADatabaseIsAClearError) {
  auto path = temp_dir("junk") / "junk.db";
  ASSERT_TRUE(write_file_atomic(path, std::string(4096, 'x')).ok());
  auto db = SqliteDatabase::open(path.string());
  ASSERT_FALSE(db.ok());
  EXPECT_NE(db.status().message().find("junk.db"), std::string::npos) << db.status().message();
}

TEST(SqliteDatabase, TransactionRollsBackOnError) {
  auto db = open_memory();
  ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER)").ok());
  Status failed = db->with_transaction([](SqliteDatabase& d) -> Status {
    ATIENDE_RETURN_IF_ERROR(d.exec("INSERT INTO t VALUES (1)"));
    return Status::invalid_argument("boom");
  });
  EXPECT_EQ(failed.code(), StatusCode::kInvalidArgument);
  int64_t count = -1;
  ASSERT_TRUE(db->with_connection([&](SqliteDatabase& d) -> Status {
                  ATIENDE_ASSIGN_OR_RETURN(count, query_int(d, "SELECT count(*) FROM t", 0));
                  return {};
                }).ok());
  EXPECT_EQ(count, 0);
}

TEST(SqliteDatabase, NestedTransactionFailureRollsBackOnlyInnerPart) {
  auto db = open_memory();
  ASSERT_TRUE(db->exec("CREATE TABLE t(x INTEGER)").ok());
  Status outer = db->with_transaction([](SqliteDatabase& d) -> Status {
    ATIENDE_RETURN_IF_ERROR(d.exec("INSERT INTO t VALUES (1)"));
    Status inner = d.with_transaction([](SqliteDatabase& d2) -> Status {
      ATIENDE_RETURN_IF_ERROR(d2.exec("INSERT INTO t VALUES (2)"));
      return Status::cancelled("inner fails");
    });
    EXPECT_EQ(inner.code(), StatusCode::kCancelled);
    return {};
  });
  ASSERT_TRUE(outer.ok()) << outer.to_string();
  int64_t sum = 0;
  ASSERT_TRUE(db->with_connection([&](SqliteDatabase& d) -> Status {
                  ATIENDE_ASSIGN_OR_RETURN(sum, query_int(d, "SELECT sum(x) FROM t", 0));
                  return {};
                }).ok());
  EXPECT_EQ(sum, 1);
}

TEST(SqliteDatabase, BadSqlNamesTheStatement) {
  auto db = open_memory();
  Status status = db->with_connection([](SqliteDatabase& d) -> Status {
    return d.prepare("SELEC nothing").status();
  });
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("SELEC nothing"), std::string::npos);
}

constexpr Migration kV1[] = {{1, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"}};
constexpr Migration kV2[] = {
    {1, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT);"},
    {2, "ALTER TABLE notes ADD COLUMN author TEXT;"},
};

// Statements are compiled once per SQL text and reused: a reused statement starts from its first
// row with no bindings left over, the same text used twice at once gets two independent
// statements, and a schema change is picked up by the cached statement.
TEST(SqliteDatabase, StatementCacheReusesCompiledStatementsSafely) {
  auto db = open_memory();
  ASSERT_TRUE(db->exec("CREATE TABLE t(n INTEGER); INSERT INTO t VALUES (1), (2), (3);").ok());
  const std::string select = "SELECT n FROM t WHERE n >= ?1 ORDER BY n";
  auto first_row = [&](int64_t from, bool bind) -> Result<int64_t> {
    int64_t value = -1;
    Status status = db->with_connection([&](SqliteDatabase& d) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(Statement s, d.prepare(select));
      if (bind) s.bind(1, from);
      ATIENDE_ASSIGN_OR_RETURN(bool row, s.step());
      if (row) value = s.column_int(0);
      return {};  // dropped mid-iteration: back to the cache
    });
    if (!status.ok()) return status;
    return value;
  };
  const size_t compiled_before = db->statements_compiled();
  EXPECT_EQ(*first_row(2, true), 2);
  EXPECT_EQ(*first_row(3, true), 3);  // reset: not the second row of the earlier run
  EXPECT_EQ(*first_row(0, false), -1);  // bindings cleared: NULL matches nothing
  EXPECT_EQ(db->statements_compiled(), compiled_before + 1);

  // Two live statements of the same text iterate independently.
  ASSERT_TRUE(db->with_connection([&](SqliteDatabase& d) -> Status {
                    ATIENDE_ASSIGN_OR_RETURN(Statement a, d.prepare(select));
                    ATIENDE_ASSIGN_OR_RETURN(Statement b, d.prepare(select));
                    a.bind(1, int64_t{1});
                    b.bind(1, int64_t{1});
                    EXPECT_TRUE(*a.step());
                    EXPECT_TRUE(*a.step());
                    EXPECT_EQ(a.column_int(0), 2);
                    EXPECT_TRUE(*b.step());
                    EXPECT_EQ(b.column_int(0), 1);
                    return {};
                  })
                  .ok());

  // Transactions reuse their BEGIN/COMMIT; a schema change reaches the cached SELECT.
  ASSERT_TRUE(db->with_transaction([](SqliteDatabase& d) -> Status {
                    ATIENDE_ASSIGN_OR_RETURN(Statement s, d.prepare("DELETE FROM t WHERE n = 1"));
                    return s.run();
                  })
                  .ok());
  ASSERT_TRUE(db->exec("ALTER TABLE t RENAME COLUMN n TO m; ALTER TABLE t ADD COLUMN n INTEGER;"
                       "UPDATE t SET n = m * 10;")
                  .ok());
  EXPECT_EQ(*first_row(0, true), 20);
}

TEST(Migrations, AppliesOnceAndUpgradesIncrementally) {
  auto db = open_memory();
  ASSERT_TRUE(apply_migrations(*db, "notes", kV1).ok());
  EXPECT_EQ(*applied_migration_version(*db, "notes"), 1);
  // Re-applying is a no-op (CREATE TABLE would fail if run twice).
  ASSERT_TRUE(apply_migrations(*db, "notes", kV1).ok());
  ASSERT_TRUE(apply_migrations(*db, "notes", kV2).ok());
  EXPECT_EQ(*applied_migration_version(*db, "notes"), 2);
  EXPECT_TRUE(db->exec("INSERT INTO notes(body, author) VALUES ('x', 'y')").ok());
  // Components are independent.
  EXPECT_EQ(*applied_migration_version(*db, "other"), 0);
}

TEST(Migrations, DowngradeAndBadVersionsAreRejected) {
  auto db = open_memory();
  ASSERT_TRUE(apply_migrations(*db, "notes", kV2).ok());
  Status downgrade = apply_migrations(*db, "notes", kV1);
  EXPECT_EQ(downgrade.code(), StatusCode::kFailedPrecondition);
  constexpr Migration bad[] = {{2, "SELECT 1"}, {1, "SELECT 1"}};
  EXPECT_EQ(apply_migrations(*db, "bad", bad).code(), StatusCode::kInvalidArgument);
}

TEST(Migrations, FailingMigrationLeavesNoTraceAndNamesItself) {
  auto db = open_memory();
  constexpr Migration broken[] = {
      {1, "CREATE TABLE a(x INTEGER);"},
      {2, "CREATE TABLE b(y INTEGER); CREATE TABLE oops syntax error;"},
  };
  Status status = apply_migrations(*db, "comp", broken);
  ASSERT_FALSE(status.ok());
  EXPECT_NE(status.message().find("comp v2"), std::string::npos) << status.message();
  EXPECT_EQ(*applied_migration_version(*db, "comp"), 1);
  // Table b of the failed migration was rolled back.
  EXPECT_TRUE(db->exec("CREATE TABLE b(z INTEGER)").ok());
}

TEST(Migrations, RegistryRejectsDuplicatesAndAppliesAll) {
  MigrationRegistry registry;
  ASSERT_TRUE(registry.add("notes", {kV2[0], kV2[1]}).ok());
  EXPECT_FALSE(registry.add("notes", {kV1[0]}).ok());
  auto db = open_memory();
  ASSERT_TRUE(registry.apply_all(*db).ok());
  EXPECT_EQ(*applied_migration_version(*db, "notes"), 2);
}

TEST(Migrations, OtherRepositoriesShareTheStoreConnection) {
  auto db = open_memory();
  auto store = open_sqlite_store(db);
  ASSERT_TRUE(store.ok());
  // A later repository adds its own table referencing documents, without touching "kb".
  constexpr Migration feedback[] = {
      {1, "CREATE TABLE feedback(id INTEGER PRIMARY KEY,"
          " doc_id TEXT REFERENCES documents(id) ON DELETE CASCADE)"}};
  ASSERT_TRUE(apply_migrations(*db, "feedback", feedback).ok());
  EXPECT_EQ(*applied_migration_version(*db, "kb"), 1);
  // Foreign keys are enforced.
  Status fk = db->exec("INSERT INTO feedback(doc_id) VALUES ('missing')");
  EXPECT_FALSE(fk.ok());
}

}  // namespace
}  // namespace atiende::store
