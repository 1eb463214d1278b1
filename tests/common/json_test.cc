#include "common/json.h"

#include <gtest/gtest.h>

namespace atiende {
namespace {

TEST(Json, ParsesAndRejectsWithClearErrors) {
  auto ok = parse_json(R"({"query":"teléfono","k":3})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(json_string_field(*ok, "query").value(), "teléfono");
  EXPECT_EQ(json_optional_int(*ok, "k", 10).value(), 3);
  EXPECT_FALSE(json_string_field(*ok, "k").ok());
  auto bad = parse_json("{\"query\": ");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("malformed JSON"), std::string::npos);
}

TEST(Json, DepthAndSizeLimits) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  auto r = parse_json(deep, JsonLimits{1024, 64});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("nesting"), std::string::npos);
  EXPECT_FALSE(parse_json(std::string(2000, ' '), JsonLimits{1000, 64}).ok());
  // Brackets inside strings do not count.
  EXPECT_TRUE(parse_json("\"[[[[[[[[[[[[\"", JsonLimits{1024, 2}).ok());
}

TEST(Json, DumpNeverThrowsOnInvalidUtf8) {
  Json value = std::string("bad \xff byte");
  EXPECT_NO_THROW({ auto text = dump_json(value); EXPECT_NE(text.find("bad"), std::string::npos); });
}

}  // namespace
}  // namespace atiende
