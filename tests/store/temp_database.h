#pragma once
// A fresh SQLite database file for one test, in the temp dir and unique to the process; the file
// and its -wal/-shm companions are removed when the object goes away. Declare it before the
// stores opened on it, so that they close first.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite_database.h"

namespace atiende::testing {

class TempDatabase {
 public:
  explicit TempDatabase(const std::string& name)
      : path_(std::filesystem::temp_directory_path() /
              ("atiende_" + name + "_" + std::to_string(::getpid()) + ".db")) {
    remove_files();
    auto db = store::SqliteDatabase::open(path_.string());
    EXPECT_TRUE(db.ok()) << db.status().to_string();
    if (db.ok()) db_ = std::move(*db);
  }
  ~TempDatabase() {
    db_.reset();
    remove_files();
  }
  TempDatabase(const TempDatabase&) = delete;
  TempDatabase& operator=(const TempDatabase&) = delete;

  /// The open database (shared with the stores under test).
  const std::shared_ptr<store::SqliteDatabase>& db() const { return db_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }
  std::filesystem::path path_;
  std::shared_ptr<store::SqliteDatabase> db_;
};

}  // namespace atiende::testing
