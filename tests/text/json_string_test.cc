#include "text/json_string.h"

#include <gtest/gtest.h>

#include "common/json.h"
#include "text/utf8.h"

namespace atiende::text {
namespace {

std::string literal(std::string_view text) {
  std::string out = "prefix:";
  append_json_string(out, text);
  return out.substr(7);
}

TEST(JsonString, MatchesTheJsonLibraryOnValidText) {
  const std::string samples[] = {
      "",
      "¿Cuánto cuesta el plan 5G? [1]",
      "comillas \" y barra \\ y / barra",
      "línea\nnueva\ttab\rretorno\bback\fform",
      std::string("nul \0 y \x01\x1f\x7f", 12),
      "emoji 🙂 y ñandú",
  };
  for (const std::string& s : samples) {
    EXPECT_EQ(literal(s), dump_json(Json(s))) << s;
  }
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  const std::string bad = std::string("a\xFFz \xC3(") + "ok";
  const std::string out = literal(bad);
  auto parsed = parse_json(out);
  ASSERT_TRUE(parsed.ok()) << out;
  EXPECT_EQ(parsed->get<std::string>(), sanitize_utf8(bad));
  EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
}

TEST(JsonString, AppendsAfterWhatIsThere) {
  std::string out = "{\"a\":";
  append_json_string(out, "x\"y");
  out += '}';
  EXPECT_EQ(out, "{\"a\":\"x\\\"y\"}");
}

}  // namespace
}  // namespace atiende::text
