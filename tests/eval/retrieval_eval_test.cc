// Golden-file retrieval evaluation: parsing with line-numbered errors, doc-level ranks, the k cut,
// aggregate metrics and unknown-doc warnings, with a scripted search function.

#include <gtest/gtest.h>

#include <map>

#include "eval/retrieval_eval.h"

namespace atiende::eval {
namespace {

constexpr const char* kGolden =
    R"({"id":"q1","query":"factura","relevant":["faq-factura"]})"
    "\n\n"
    R"({"id":"q2","query":"roaming","relevant":["faq-roaming","manual-roaming"]})"
    "\n"
    R"({"id":3,"query":"esim","relevant":["faq-esim","faq-borrada"]})"
    "\n";

/// Chunk-level rankings (a document may appear several times, as its chunks do).
const std::map<std::string, std::vector<std::string>> kRankings = {
    {"factura", {"faq-factura", "faq-factura", "faq-pago"}},
    {"roaming", {"faq-viajes", "manual-roaming", "manual-roaming", "faq-roaming"}},
    {"esim", {"faq-sim", "faq-apn", "faq-esim"}},
};

DocumentSearch scripted_search() {
  return [](std::string_view query, size_t) -> Result<std::vector<std::string>> {
    return kRankings.at(std::string(query));
  };
}

TEST(RetrievalEvalTest, ScoresDocumentRanksWithTheCutAndWarnsAboutUnknownIds) {
  auto golden = parse_golden_queries(kGolden, "g.jsonl");
  ASSERT_TRUE(golden.ok()) << golden.status().to_string();
  ASSERT_EQ(golden->size(), 3u);
  EXPECT_EQ((*golden)[2].id, "3");
  EXPECT_EQ((*golden)[1].line, 3u);
  auto known = [](const std::string& id) { return id != "faq-borrada"; };
  size_t progress_calls = 0;
  auto result = evaluate_retrieval(*golden, scripted_search(), 2, known, "g.jsonl",
                                   [&](size_t done, size_t total) {
                                     ++progress_calls;
                                     EXPECT_LE(done, total);
                                   });
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  EXPECT_EQ(progress_calls, 3u);
  ASSERT_EQ(result->queries.size(), 3u);
  // q1: duplicates collapse; the relevant doc is rank 1.
  EXPECT_EQ(result->queries[0].ranked, (std::vector<std::string>{"faq-factura", "faq-pago"}));
  EXPECT_EQ(result->queries[0].ranks, (std::vector<size_t>{1}));
  EXPECT_DOUBLE_EQ(result->queries[0].scores.mrr, 1.0);
  // q2: manual-roaming at doc rank 2; faq-roaming is doc rank 3, beyond k = 2.
  EXPECT_EQ(result->queries[1].ranks, (std::vector<size_t>{0, 2}));
  EXPECT_DOUBLE_EQ(result->queries[1].scores.recall, 0.5);
  EXPECT_DOUBLE_EQ(result->queries[1].scores.mrr, 0.5);
  // q3: nothing relevant in the top 2; the unknown id is warned about and stays unretrievable.
  EXPECT_DOUBLE_EQ(result->queries[2].scores.hit, 0.0);
  ASSERT_EQ(result->warnings.size(), 1u);
  EXPECT_NE(result->warnings[0].find("g.jsonl:4: unknown doc id 'faq-borrada'"), std::string::npos)
      << result->warnings[0];
  EXPECT_DOUBLE_EQ(result->mean.mrr, (1.0 + 0.5 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(result->mean.recall, (1.0 + 0.5 + 0.0) / 3);
  EXPECT_DOUBLE_EQ(result->mean.hit, 2.0 / 3);
  EXPECT_DOUBLE_EQ(result->mean.precision, (0.5 + 0.5 + 0.0) / 3);
}

TEST(RetrievalEvalTest, MalformedLinesNameTheirLineNumber) {
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"{\"id\":\"a\",\"query\":\"x\",\"relevant\":[\"d\"]}\nnot json\n", "g.jsonl:2: not JSON"},
      {"{\"query\":\"x\",\"relevant\":[\"d\"]}\n", "g.jsonl:1: missing \"id\""},
      {"{\"id\":\"a\",\"relevant\":[\"d\"]}\n", "g.jsonl:1: missing or empty \"query\""},
      {"{\"id\":\"a\",\"query\":\"x\",\"relevant\":[]}\n", "g.jsonl:1: \"relevant\" must be"},
      {"{\"id\":\"a\",\"query\":\"x\",\"relevant\":[7]}\n", "g.jsonl:1: \"relevant\" holds"},
      {"{\"id\":\"a\",\"query\":\"x\",\"relevant\":[\"d\"]}\n{\"id\":\"a\",\"query\":\"y\",\"relevant\":[\"d\"]}\n",
       "g.jsonl:2: duplicate id"},
      {"\n\n", "no golden queries"},
  };
  for (const auto& c : cases) {
    auto parsed = parse_golden_queries(c.text, "g.jsonl");
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_NE(parsed.status().message().find(c.expected), std::string::npos)
        << parsed.status().message();
  }
}

TEST(RetrievalEvalTest, SearchErrorsNameTheQuery) {
  auto golden = parse_golden_queries(kGolden, "g.jsonl");
  ASSERT_TRUE(golden.ok());
  DocumentSearch failing = [](std::string_view, size_t) -> Result<std::vector<std::string>> {
    return Status::unavailable("index is rebuilding");
  };
  auto result = evaluate_retrieval(*golden, failing, 10, {}, "g.jsonl");
  ASSERT_FALSE(result.ok());
  EXPECT_NE(result.status().to_string().find("query q1"), std::string::npos);
  EXPECT_FALSE(evaluate_retrieval(*golden, scripted_search(), 0, {}, "g.jsonl").ok());
}

}  // namespace
}  // namespace atiende::eval
