#include <gtest/gtest.h>

#include "retrieve/filter.h"

namespace atiende::retrieve {
namespace {

store::Chunk chunk(std::string type, std::string language, std::string doc_id,
                   std::string metadata) {
  store::Chunk c;
  c.type = std::move(type);
  c.language = std::move(language);
  c.doc_id = std::move(doc_id);
  c.metadata_json = std::move(metadata);
  return c;
}

ChunkFilter compile(const index::Filter& f) {
  auto compiled = ChunkFilter::compile(f);
  EXPECT_TRUE(compiled.ok()) << compiled.status().to_string();
  return compiled.ok() ? *compiled : ChunkFilter();
}

TEST(FilterTest, EqualsInAndConjunction) {
  const auto faq = chunk("faq", "es", "faq-1", R"({"category":"billing","priority":2,"vip":true})");
  const auto doc = chunk("doc", "en", "manual", R"({"category":"router"})");

  auto f = compile({{{"type", {"faq"}}}});
  EXPECT_TRUE(f.matches(faq));
  EXPECT_FALSE(f.matches(doc));

  f = compile({{{"type", {"faq", "doc"}}}});
  EXPECT_TRUE(f.matches(faq));
  EXPECT_TRUE(f.matches(doc));

  f = compile({{{"type", {"faq", "doc"}}, {"language", {"en"}}}});
  EXPECT_FALSE(f.matches(faq));
  EXPECT_TRUE(f.matches(doc));

  f = compile({{{"doc_id", {"manual"}}}});
  EXPECT_TRUE(f.matches(doc));
  EXPECT_FALSE(f.matches(faq));

  EXPECT_TRUE(compile({}).matches(faq));
}

TEST(FilterTest, MetadataStringsNumbersBoolsAndMissingKeys) {
  const auto faq = chunk("faq", "es", "faq-1", R"({"category":"billing","priority":2,"vip":true})");
  EXPECT_TRUE(compile({{{"metadata.category", {"billing"}}}}).matches(faq));
  EXPECT_FALSE(compile({{{"metadata.category", {"Billing"}}}}).matches(faq));  // exact
  EXPECT_TRUE(compile({{{"metadata.priority", {"1", "2"}}}}).matches(faq));
  EXPECT_TRUE(compile({{{"metadata.vip", {"true"}}}}).matches(faq));
  EXPECT_FALSE(compile({{{"metadata.plan", {"5G"}}}}).matches(faq));
  EXPECT_FALSE(compile({{{"metadata.category", {"billing"}}}})
                   .matches(chunk("faq", "es", "x", "not json")));
}

TEST(FilterTest, RejectsUnknownFieldsAndEmptyValues) {
  auto bad = ChunkFilter::compile({{{"colour", {"red"}}}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("colour"), std::string::npos);
  EXPECT_FALSE(ChunkFilter::compile({{{"metadata.", {"x"}}}}).ok());
  EXPECT_FALSE(ChunkFilter::compile({{{"type", {}}}}).ok());
}

TEST(FilterTest, ParsesCliArguments) {
  const std::vector<std::string> args = {"type=faq", "metadata.category = billing, roaming ",
                                         "language=es"};
  auto filter = parse_filter_args(args);
  ASSERT_TRUE(filter.ok()) << filter.status().to_string();
  ASSERT_EQ(filter->conditions.size(), 3u);
  EXPECT_EQ(filter->conditions[1].field, "metadata.category");
  EXPECT_EQ(filter->conditions[1].values, (std::vector<std::string>{"billing", "roaming"}));

  for (std::string bad : {"type", "type=", "type=a,,b", "size=3"}) {
    const std::vector<std::string> one = {bad};
    auto parsed = parse_filter_args(one);
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(FilterTest, ParsesJsonObjects) {
  auto filter = parse_filter_json(
      R"({"type":"faq","metadata.plan":["5G",4],"metadata":{"vip":true},"language":["es","en"]})");
  ASSERT_TRUE(filter.ok()) << filter.status().to_string();
  ASSERT_EQ(filter->conditions.size(), 4u);
  const auto c = chunk("faq", "es", "d", R"({"plan":4,"vip":true})");
  EXPECT_TRUE(compile(*filter).matches(c));

  EXPECT_TRUE(parse_filter_json("null")->empty());
  EXPECT_TRUE(parse_filter_json("{}")->empty());
  EXPECT_FALSE(parse_filter_json("[1]").ok());
  EXPECT_FALSE(parse_filter_json(R"({"type":[]})").ok());
  EXPECT_FALSE(parse_filter_json(R"({"type":{"a":1}})").ok());
  auto unknown = parse_filter_json(R"({"author":"x"})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("author"), std::string::npos);
  EXPECT_FALSE(parse_filter_json("{not json").ok());
}

}  // namespace
}  // namespace atiende::retrieve
