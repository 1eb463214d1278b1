// `--log-format json` on the real binary: every line the server logs is one JSON object with
// ts, level and msg, for a log collector; a format other than text or json is a usage error.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "common/json.h"
#include "e2e/command_run.h"

namespace atiende {
namespace {

const std::string kBinary = std::string(ATIENDE_BINARY_DIR) + "/atiende";

std::string fresh_data_dir() {
  return (std::filesystem::temp_directory_path() / ("atiende-logfmt-" + std::to_string(getpid()))).string();
}

TEST(LogFormatE2E, JsonLinesFromAServerThatStartsAndStops) {
  const std::string data = fresh_data_dir();
  // SIGINT after 4 s (start-up takes well under 1 s): the server logs its start, then its
  // graceful stop. stderr only.
  auto run = atiende::testing::run_command("timeout -s INT 4 " + kBinary +
                                           " --log-format json --log-level info serve --port 0 --data " +
                                           data + " 2>&1 >/dev/null");
  std::filesystem::remove_all(data);
  std::istringstream lines(run.out);
  std::vector<std::string> messages;
  for (std::string line; std::getline(lines, line);) {
    auto parsed = parse_json(line);
    ASSERT_TRUE(parsed.ok()) << "not JSON: " << line;
    EXPECT_EQ((*parsed)["level"], "info") << line;
    EXPECT_EQ((*parsed)["ts"].get<std::string>().back(), 'Z') << line;  // UTC
    messages.push_back((*parsed)["msg"].get<std::string>());
  }
  ASSERT_GE(messages.size(), 2u) << run.out;
  EXPECT_EQ(messages.front().rfind("http: listening on http://127.0.0.1:", 0), 0u) << messages.front();
  EXPECT_EQ(messages.back(), "http: stopped");
}

TEST(LogFormatE2E, AnUnknownFormatIsAUsageError) {
  auto flag = atiende::testing::run_command(kBinary + " --log-format xml version 2>&1");
  EXPECT_EQ(flag.exit_code, 2) << flag.out;
  EXPECT_NE(flag.out.find("xml not in {text,json}"), std::string::npos) << flag.out;
  auto env = atiende::testing::run_command("ATIENDE_LOG_FORMAT=yaml " + kBinary + " version 2>&1");
  EXPECT_EQ(env.exit_code, 2) << env.out;
  EXPECT_NE(env.out.find("ATIENDE_LOG_FORMAT must be text or json, not 'yaml'"), std::string::npos) << env.out;
  auto text = atiende::testing::run_command("ATIENDE_LOG_FORMAT=text " + kBinary + " version 2>&1");
  EXPECT_EQ(text.exit_code, 0) << text.out;
}

}  // namespace
}  // namespace atiende
