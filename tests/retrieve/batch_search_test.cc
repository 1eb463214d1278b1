#include <gtest/gtest.h>

#include <sstream>

#include "common/json.h"
#include "retrieve/batch_search.h"
#include "retrieve/hit_json.h"

namespace atiende::retrieve {
namespace {

/// Returns k hits whose doc_id echoes the query, so output order can be checked.
class EchoRetriever final : public Retriever {
 public:
  Result<std::vector<Hit>> search(const SearchRequest& request) const override {
    if (request.query == "boom") return Status::unavailable("index exploded");
    std::vector<Hit> hits;
    for (size_t i = 0; i < request.k; ++i) {
      Hit h;
      h.doc_id = request.query;
      h.chunk_id = static_cast<int64_t>(i);
      h.score = 1.0 / static_cast<double>(i + 1);
      h.title = std::string(search_mode_name(request.mode));
      h.text = request.filter.empty() ? "" : request.filter.conditions[0].values[0];
      h.start = 3;
      h.end = 9;
      h.source = "src";
      hits.push_back(h);
    }
    return hits;
  }
};

TEST(BatchSearchTest, WritesOneLinePerQueryInInputOrderKeepingIds) {
  std::string input;
  for (int i = 0; i < 200; ++i) {
    input += i % 2 == 0 ? R"({"id": "q)" + std::to_string(i) + R"(", "query": "consulta )" +
                              std::to_string(i) + "\"}\n"
                        : R"({"id": )" + std::to_string(i) + R"(, "query": "consulta )" +
                              std::to_string(i) + "\"}\n";
    if (i == 10) input += "\n";  // blank lines are skipped
  }
  std::istringstream in(input);
  BatchOptions options;
  options.k = 2;
  options.threads = 4;
  auto queries = parse_batch_queries(in, options);
  ASSERT_TRUE(queries.ok()) << queries.status().to_string();
  ASSERT_EQ(queries->size(), 200u);
  std::ostringstream out;
  EchoRetriever retriever;
  auto stats = run_batch_search(retriever, *queries, out, options);
  ASSERT_TRUE(stats.ok()) << stats.status().to_string();
  EXPECT_EQ(stats->queries, 200u);
  EXPECT_EQ(stats->latencies_ms.size(), 200u);

  std::istringstream lines(out.str());
  std::string line;
  int i = 0;
  while (std::getline(lines, line)) {
    auto j = parse_json(line);
    ASSERT_TRUE(j.ok()) << line;
    ASSERT_EQ(j->size(), 2u) << line;  // exactly "id" and "hits"
    if (i % 2 == 0) {
      EXPECT_EQ((*j)["id"], "q" + std::to_string(i));
    } else {
      ASSERT_TRUE((*j)["id"].is_number_integer());
      EXPECT_EQ((*j)["id"], i);
    }
    const auto& hits = (*j)["hits"];
    ASSERT_EQ(hits.size(), 2u);
    EXPECT_EQ(hits[0]["doc_id"], "consulta " + std::to_string(i));
    for (const char* field : {"doc_id", "chunk_id", "score", "title", "text", "start", "end",
                              "page", "type", "language", "source"}) {
      EXPECT_TRUE(hits[0].contains(field)) << field;
    }
    EXPECT_EQ(hits[1]["start"], 3);
    EXPECT_EQ(hits[1]["end"], 9);
    ++i;
  }
  EXPECT_EQ(i, 200);
}

TEST(BatchSearchTest, PerLineOverridesOfKModeAndFilter) {
  std::istringstream in(
      R"({"id":1,"query":"a","k":1,"mode":"bm25","filter":{"type":"faq"}})"
      "\n"
      R"({"id":2,"query":"b"})"
      "\n");
  BatchOptions options;
  options.k = 3;
  options.mode = SearchMode::kVector;
  auto queries = parse_batch_queries(in, options);
  ASSERT_TRUE(queries.ok()) << queries.status().to_string();
  std::ostringstream out;
  ASSERT_TRUE(run_batch_search(EchoRetriever(), *queries, out, options).ok());
  std::istringstream lines(out.str());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  auto a = parse_json(first);
  auto b = parse_json(second);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ((*a)["hits"].size(), 1u);
  EXPECT_EQ((*a)["hits"][0]["title"], "bm25");
  EXPECT_EQ((*a)["hits"][0]["text"], "faq");
  ASSERT_EQ((*b)["hits"].size(), 3u);
  EXPECT_EQ((*b)["hits"][0]["title"], "vector");
}

TEST(BatchSearchTest, MalformedLineIsAnErrorNamingTheLine) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"{\"id\":1,\"query\":\"ok\"}\n{\"id\":2,\"query\":\n", "line 2"},
      {"{\"id\":1,\"query\":\"ok\"}\n\n{\"query\":\"no id\"}\n", "line 3"},
      {"[1,2]\n", "line 1"},
      {"{\"id\":{\"x\":1},\"query\":\"q\"}\n", "line 1"},
      {"{\"id\":1,\"query\":\"  \"}\n", "line 1"},
      {"{\"id\":1,\"query\":\"q\",\"k\":0}\n", "line 1"},
      {"{\"id\":1,\"query\":\"q\",\"mode\":\"fuzzy\"}\n", "line 1"},
      {"{\"id\":1,\"query\":\"q\",\"filter\":{\"colour\":\"red\"}}\n", "line 1"},
  };
  for (const auto& [text, where] : cases) {
    std::istringstream in(text);
    auto parsed = parse_batch_queries(in, BatchOptions{});
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(parsed.status().message().starts_with(where)) << parsed.status().message();
  }
}

TEST(BatchSearchTest, FailingQueryStopsWithItsId) {
  std::istringstream in("{\"id\":\"a\",\"query\":\"x\"}\n{\"id\":\"b\",\"query\":\"boom\"}\n");
  auto queries = parse_batch_queries(in, BatchOptions{});
  ASSERT_TRUE(queries.ok());
  std::ostringstream out;
  BatchOptions options;
  options.threads = 1;
  auto stats = run_batch_search(EchoRetriever(), *queries, out, options);
  ASSERT_FALSE(stats.ok());
  EXPECT_NE(stats.status().message().find("\"b\""), std::string::npos);
}

TEST(HitJsonTest, HasEveryContractField) {
  Hit hit;
  hit.doc_id = "faq-1";
  hit.chunk_id = 42;
  hit.score = 0.5;
  hit.title = "Título";
  hit.text = "Texto";
  hit.start = 10;
  hit.end = 15;
  hit.page = 2;
  hit.type = "faq";
  hit.language = "es";
  hit.source = "data/demo/faq.csv";
  const Json j = hit;
  EXPECT_EQ(j["doc_id"], "faq-1");
  EXPECT_EQ(j["chunk_id"], 42);
  EXPECT_EQ(j["score"], 0.5);
  EXPECT_EQ(j["title"], "Título");
  EXPECT_EQ(j["start"], 10);
  EXPECT_EQ(j["end"], 15);
  EXPECT_EQ(j["page"], 2);
  EXPECT_EQ(j["source"], "data/demo/faq.csv");
  EXPECT_EQ(j.size(), 11u);
}

}  // namespace
}  // namespace atiende::retrieve
