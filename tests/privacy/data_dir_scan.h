#pragma once
// For the no-raw-PII tests: every regular file under a data dir (SQLite db and WAL, indexes,
// keys, logs) read as bytes and searched for raw values.

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "common/files.h"

namespace atiende::privacy::testing {

/// Fails the test for each of `raw_values` found in any file under `dir`; returns the number of
/// files read (a test should expect at least one, or it proved nothing).
inline size_t expect_no_raw_values_in(const std::filesystem::path& dir,
                                      const std::vector<std::string>& raw_values) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    auto content = read_file(entry.path());
    EXPECT_TRUE(content.ok()) << entry.path();
    if (!content.ok()) continue;
    ++files;
    for (const auto& raw : raw_values) {
      EXPECT_EQ(content->find(raw), std::string::npos)
          << "'" << raw << "' found in " << entry.path().filename().string();
    }
  }
  return files;
}

}  // namespace atiende::privacy::testing
