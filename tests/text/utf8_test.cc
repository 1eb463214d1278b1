#include "text/utf8.h"

#include <gtest/gtest.h>

namespace atiende::text {
namespace {

TEST(Utf8, ValidatesAndNamesTheByte) {
  EXPECT_TRUE(validate_utf8("año ñandú 🙂").ok());
  Status bad = validate_utf8(std::string("abc\xC3(def"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.message().find("byte 3"), std::string::npos) << bad.message();
  EXPECT_EQ(find_invalid_utf8(std::string("\xC0\xAF")), 0u);        // overlong
  EXPECT_EQ(find_invalid_utf8(std::string("ab\xED\xA0\x80")), 2u);  // surrogate
  EXPECT_EQ(find_invalid_utf8(std::string("abcdefghij\xF0\x9F")), 10u);  // truncated
}

TEST(Utf8, SanitizeReplacesInvalidBytes) {
  EXPECT_EQ(sanitize_utf8(std::string("a\xFFz")), "a\xEF\xBF\xBDz");
  EXPECT_EQ(sanitize_utf8("ñ"), "ñ");
}

TEST(Utf8, NormalizeNfcAndNfkc) {
  auto nfc = normalize("Tele\xCC\x81" "fono");  // e + combining acute
  ASSERT_TRUE(nfc.ok());
  EXPECT_EQ(*nfc, "Teléfono");
  auto nfkc = normalize("ﬁ①", NormalForm::kNFKC);
  ASSERT_TRUE(nfkc.ok());
  EXPECT_EQ(*nfkc, "fi1");
  EXPECT_FALSE(normalize(std::string("x\xFF")).ok());
}

TEST(Utf8, CodePointOffsets) {
  const std::string s = "añ🙂b";  // 1 + 2 + 4 + 1 bytes
  EXPECT_EQ(count_code_points(s), 4u);
  EXPECT_EQ(code_point_to_byte(s, 2), 3u);
  EXPECT_EQ(byte_to_code_point(s, 7), 3u);
  OffsetMap map(s);
  EXPECT_EQ(map.code_points(), 4u);
  EXPECT_EQ(map.to_byte(0), 0u);
  EXPECT_EQ(map.to_byte(3), 7u);
  EXPECT_EQ(map.to_byte(4), 8u);
  EXPECT_EQ(map.to_byte(99), 8u);
  EXPECT_EQ(map.to_code_point(4), 2u);  // inside the emoji
  EXPECT_EQ(map.to_code_point(8), 4u);
  std::string out;
  append_utf8(out, U'ñ');
  EXPECT_EQ(out, "ñ");
}

}  // namespace
}  // namespace atiende::text
