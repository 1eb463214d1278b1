// The point of issue 3, end to end: after `atiende ingest` of the demo tickets and chats (and a
// `reindex` that builds the lexical and vector indexes), no seeded raw PII value appears anywhere
// in the data dir (SQLite db, WAL, index files) or in the logs. Runs the real binary.

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

namespace fs = std::filesystem;

std::string substr_cp(const std::string& text, size_t start, size_t end) {
  size_t cp = 0;
  size_t b0 = std::string::npos, b1 = text.size();
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cp == start) b0 = i;
      if (cp == end) {
        b1 = i;
        break;
      }
      ++cp;
    }
  }
  return b0 == std::string::npos ? std::string() : text.substr(b0, b1 - b0);
}

int run(const std::string& command) {
  const int rc = std::system(command.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(PrivacyIngest, NoSeededRawPiiIsPersistedOrLogged) {
  const std::string binary = std::string(ATIENDE_BINARY_DIR) + "/atiende";
  ASSERT_TRUE(fs::exists(binary)) << "build the atiende binary first";
  const std::string source = ATIENDE_SOURCE_DIR;
  const fs::path work = fs::path(ATIENDE_BINARY_DIR) / ("privacy-e2e-" + std::to_string(getpid()));
  fs::remove_all(work);
  fs::create_directories(work);
  const fs::path data = work / "data";
  const fs::path logs = work / "logs";
  fs::create_directories(logs);

  const std::string env = "env -u ATIENDE_CONFIG -u ATIENDE_DATA ";
  ASSERT_EQ(run(env + binary + " --data " + data.string() + " --log-level debug ingest " + source +
                "/data/demo/tickets.jsonl " + source + "/data/demo/chats.jsonl > " +
                (logs / "ingest.out").string() + " 2> " + (logs / "ingest.err").string()),
            0)
      << read_file(logs / "ingest.err").value_or("");
  // Build the lexical and vector indexes too (when this binary has the command).
  if (run(binary + " --help 2>&1 | grep -q '^ *reindex'") == 0) {
    ASSERT_EQ(run(env + binary + " --data " + data.string() + " --log-level debug reindex > " +
                  (logs / "reindex.out").string() + " 2> " + (logs / "reindex.err").string()),
              0)
        << read_file(logs / "reindex.err").value_or("");
  }

  // Every gold PII value, in its raw form, folded (lower-case, no accents: what analyzers index)
  // and digits-only for numbers.
  auto gold = read_file(source + "/data/demo/golden/pii_gold.jsonl");
  ASSERT_TRUE(gold.ok());
  std::set<std::string> needles;
  std::string residual;  // every gold text with its PII spans blanked out
  size_t values = 0;
  for (std::string_view line : split(*gold, '\n')) {
    if (trim(line).empty()) continue;
    auto j = parse_json(line);
    ASSERT_TRUE(j.ok());
    const std::string text = (*j)["text"].get<std::string>();
    {
      std::string blank = text;
      for (const auto& s : (*j)["spans"]) {
        const std::string value = substr_cp(text, s["start"].get<size_t>(), s["end"].get<size_t>());
        const size_t at = blank.find(value);
        if (at != std::string::npos) blank.replace(at, value.size(), std::string(value.size(), ' '));
      }
      residual += blank + "\n";
    }
    for (const auto& s : (*j)["spans"]) {
      const std::string value = substr_cp(text, s["start"].get<size_t>(), s["end"].get<size_t>());
      ++values;
      if (value.size() >= 5) {
        needles.insert(value);
        needles.insert(internal::fold(value));
      }
      std::string digits;
      for (char c : value) {
        if (c >= '0' && c <= '9') digits.push_back(c);
      }
      if (digits.size() >= 7) needles.insert(digits);
    }
  }
  ASSERT_GT(values, 1000u);
  // A value that also occurs as ordinary text ("Santa Marta" the city, "Santiago de Chile") is no
  // evidence of a leak: leave it out.
  const std::string residual_folded = internal::fold(residual);
  std::erase_if(needles, [&](const std::string& n) {
    return residual.find(n) != std::string::npos || residual_folded.find(n) != std::string::npos;
  });
  ASSERT_GT(needles.size(), 800u);

  size_t files_checked = 0;
  std::vector<std::string> leaks;
  auto scan = [&](const fs::path& root) {
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
      if (!entry.is_regular_file()) continue;
      auto content = read_file(entry.path());
      ASSERT_TRUE(content.ok());
      ++files_checked;
      for (const auto& needle : needles) {
        if (content->find(needle) != std::string::npos && leaks.size() < 20) {
          // Report the file and the length only: this test must not print PII either.
          leaks.push_back(entry.path().filename().string() + ": a " +
                          std::to_string(needle.size()) + "-byte seeded value");
        }
      }
    }
  };
  scan(data);
  scan(logs);
  EXPECT_GE(files_checked, 3u);  // at least the db and the logs
  EXPECT_TRUE(leaks.empty()) << join(leaks, "\n");
  // The anonymized content did land: tokens are in the store.
  bool tokens_found = false;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    if (!entry.is_regular_file()) continue;
    auto content = read_file(entry.path());
    if (content.ok() && content->find("<PERSON_1>") != std::string::npos) tokens_found = true;
  }
  EXPECT_TRUE(tokens_found);
  fs::remove_all(work);
}

}  // namespace
}  // namespace atiende::privacy
