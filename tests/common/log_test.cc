// Log lines cannot be forged: whatever a message carries (a request path with an encoded newline,
// terminal escapes), each message stays one line, and the JSON format stays valid JSON.

#include <gtest/gtest.h>

#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "common/json.h"
#include "common/log.h"

namespace atiende {
namespace {

/// Logs `message` once through a logger with make_log_formatter(json); returns what it wrote.
std::string logged(std::string_view message, bool json) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  spdlog::logger logger("log-test", sink);
  logger.set_formatter(make_log_formatter(json));
  logger.info("http GET {} 404", message);
  return out.str();
}

constexpr std::string_view kForgery = "/v1/x\n2026-12-07T00:00:00.000 info admin: key \"rotated\"\x1b[31m\\";

TEST(LogTest, AMessageStaysOneLineWithoutControlCharacters) {
  const std::string line = logged(kForgery, /*json=*/false);
  ASSERT_FALSE(line.empty());
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;  // only the line's own end
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  EXPECT_NE(line.find("/v1/x\\x0a2026-12-07T00:00:00.000 info admin"), std::string::npos) << line;
  EXPECT_NE(line.find("\\x1b[31m\\\\ 404"), std::string::npos) << line;
  EXPECT_NE(line.find(" info http GET "), std::string::npos) << line;
}

TEST(LogTest, JsonLinesParseAndKeepTheMessage) {
  const std::string line = logged(kForgery, /*json=*/true);
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  auto parsed = parse_json(line.substr(0, line.size() - 1));
  ASSERT_TRUE(parsed.ok()) << line;
  EXPECT_EQ((*parsed)["level"], "info");
  EXPECT_EQ((*parsed)["msg"], "http GET " + std::string(kForgery) + " 404");
}

TEST(LogTest, EscapeKeepsUtf8AndPrintableText) {
  EXPECT_EQ(escape_log_text("¿Cómo activo la eSIM? 100%"), "¿Cómo activo la eSIM? 100%");
  EXPECT_EQ(escape_log_text("a\tb\rc\x7f"), "a\\x09b\\x0dc\\x7f");
  EXPECT_EQ(escape_log_text("say \"hi\"", /*json=*/true), "say \\\"hi\\\"");
  EXPECT_EQ(escape_log_text("say \"hi\""), "say \"hi\"");
}

}  // namespace
}  // namespace atiende
