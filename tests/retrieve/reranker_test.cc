#include <gtest/gtest.h>

#include <mutex>

#include "common/json.h"
#include "retrieve/reranker.h"

namespace atiende::retrieve {
namespace {

class FakePoster final : public JsonPoster {
 public:
  explicit FakePoster(Result<std::string> reply) : reply_(std::move(reply)) {}
  Result<std::string> post_json(const std::string& url, const std::string& body,
                                const Headers& headers) const override {
    std::lock_guard lock(mutex_);
    last_url = url;
    last_body = body;
    last_headers = headers;
    return reply_;
  }
  mutable std::string last_url;
  mutable std::string last_body;
  mutable Headers last_headers;

 private:
  Result<std::string> reply_;
  mutable std::mutex mutex_;
};

TEST(HttpRerankerTest, SendsTheWireShapeAndOrdersResults) {
  auto poster = std::make_shared<FakePoster>(std::string(
      R"({"results":[{"index":2,"relevance_score":0.1},{"index":0,"relevance_score":0.9}]})"));
  HttpReranker reranker({"http://127.0.0.1:8012/v1/", "bge-reranker", "sk-test"}, poster);
  EXPECT_EQ(reranker.url(), "http://127.0.0.1:8012/v1/rerank");
  const std::vector<std::string> docs = {"a", "b", "c"};
  auto scores = reranker.rerank("¿cuánto cuesta?", docs, 2);
  ASSERT_TRUE(scores.ok()) << scores.status().to_string();
  ASSERT_EQ(scores->size(), 2u);
  EXPECT_EQ((*scores)[0].index, 0u);
  EXPECT_DOUBLE_EQ((*scores)[0].relevance_score, 0.9);
  EXPECT_EQ((*scores)[1].index, 2u);

  auto sent = parse_json(poster->last_body);
  ASSERT_TRUE(sent.ok());
  EXPECT_EQ((*sent)["model"], "bge-reranker");
  EXPECT_EQ((*sent)["query"], "¿cuánto cuesta?");
  EXPECT_EQ((*sent)["documents"], Json::array({"a", "b", "c"}));
  EXPECT_EQ((*sent)["top_n"], 2);
  ASSERT_EQ(poster->last_headers.size(), 1u);
  EXPECT_EQ(poster->last_headers[0].second, "Bearer sk-test");

  HttpReranker plain({"http://h:1", "m", ""}, poster);
  EXPECT_EQ(plain.url(), "http://h:1/v1/rerank");
}

TEST(HttpRerankerTest, RejectsMalformedResponses) {
  for (const char* bad : {"not json", "{}", R"({"results":[{"index":5,"relevance_score":1}]})",
                          R"({"results":[{"index":-1,"relevance_score":1}]})",
                          R"({"results":[{"relevance_score":1}]})",
                          R"({"results":[{"index":0,"relevance_score":"high"}]})"}) {
    auto parsed = parse_rerank_response(bad, 2);
    EXPECT_EQ(parsed.status().code(), StatusCode::kUnavailable) << bad;
  }
  auto dup = parse_rerank_response(
      R"({"results":[{"index":1,"relevance_score":0.5},{"index":1,"relevance_score":0.7}]})", 2);
  ASSERT_TRUE(dup.ok());
  EXPECT_EQ(dup->size(), 1u);
  auto score_key = parse_rerank_response(R"({"results":[{"index":1,"score":0.5}]})", 2);
  ASSERT_TRUE(score_key.ok());
  EXPECT_EQ((*score_key)[0].index, 1u);
}

TEST(HttpRerankerTest, TransportErrorsCarryTheUrl) {
  auto poster = std::make_shared<FakePoster>(Status::unavailable("connection refused"));
  HttpReranker reranker({"http://127.0.0.1:9", "m", ""}, poster);
  const std::vector<std::string> docs = {"a"};
  auto scores = reranker.rerank("q", docs, 1);
  ASSERT_FALSE(scores.ok());
  EXPECT_NE(scores.status().message().find("127.0.0.1:9/v1/rerank"), std::string::npos);
}

class ListRetriever final : public Retriever {
 public:
  Result<std::vector<Hit>> search(const SearchRequest& request) const override {
    last_k = request.k;
    std::vector<Hit> hits;
    for (size_t i = 0; i < std::min<size_t>(request.k, 5); ++i) {
      Hit h;
      h.chunk_id = static_cast<int64_t>(i);
      h.title = "t" + std::to_string(i);
      h.text = "body " + std::to_string(i);
      h.score = 10.0 - static_cast<double>(i);
      hits.push_back(h);
    }
    return hits;
  }
  mutable size_t last_k = 0;
};

/// Scores documents by the digit at their end: "t3\nbody 3" -> 3 (so reversed order).
class DigitReranker final : public Reranker {
 public:
  Result<std::vector<RerankScore>> rerank(std::string_view, std::span<const std::string> docs,
                                          size_t top_n) const override {
    if (fail) return Status::unavailable("down");
    seen = std::vector<std::string>(docs.begin(), docs.end());
    std::vector<RerankScore> out;
    for (size_t i = 0; i < docs.size(); ++i) out.push_back({i, double(docs[i].back() - '0')});
    std::sort(out.begin(), out.end(),
              [](auto& a, auto& b) { return a.relevance_score > b.relevance_score; });
    if (out.size() > top_n) out.resize(top_n);
    return out;
  }
  bool fail = false;
  mutable std::vector<std::string> seen;
};

TEST(RerankingRetrieverTest, WidensRerankesAndTruncates) {
  auto inner = std::make_shared<ListRetriever>();
  auto reranker = std::make_shared<DigitReranker>();
  RerankOptions options;
  options.enabled = true;
  options.candidates = 4;
  RerankingRetriever retriever(inner, reranker, options);
  SearchRequest request;
  request.query = "q";
  request.k = 2;
  auto hits = retriever.search(request);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(inner->last_k, 4u);
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].chunk_id, 3);
  EXPECT_DOUBLE_EQ((*hits)[0].score, 3.0);
  EXPECT_EQ((*hits)[1].chunk_id, 2);
  ASSERT_EQ(reranker->seen.size(), 4u);
  EXPECT_EQ(reranker->seen[1], "t1\nbody 1");
}

TEST(RerankingRetrieverTest, FailOpenKeepsInnerOrderFailClosedErrors) {
  auto inner = std::make_shared<ListRetriever>();
  auto reranker = std::make_shared<DigitReranker>();
  reranker->fail = true;
  RerankOptions options;
  options.candidates = 4;
  SearchRequest request;
  request.query = "q";
  request.k = 2;
  auto open = RerankingRetriever(inner, reranker, options).search(request);
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 2u);
  EXPECT_EQ((*open)[0].chunk_id, 0);
  options.fail_open = false;
  auto closed = RerankingRetriever(inner, reranker, options).search(request);
  EXPECT_EQ(closed.status().code(), StatusCode::kUnavailable);
}

TEST(RerankOptionsTest, OffByDefaultAndValidatedWhenOn) {
  Config empty(map_env({}));
  auto off = rerank_options_from_config(empty);
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->enabled);

  auto missing = rerank_options_from_config(Config(map_env({{"ATIENDE_RETRIEVE_RERANK", "true"}})));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("rerank.base_url"), std::string::npos);

  auto on = rerank_options_from_config(Config(map_env({{"ATIENDE_RETRIEVE_RERANK", "true"},
                                                       {"ATIENDE_RERANK_BASE_URL", "http://x:1"},
                                                       {"ATIENDE_RERANK_MODEL", "m"},
                                                       {"ATIENDE_RERANK_API_KEY", "secret"}})));
  ASSERT_TRUE(on.ok()) << on.status().to_string();
  EXPECT_TRUE(on->enabled);
  EXPECT_EQ(on->http.api_key, "secret");
}

}  // namespace
}  // namespace atiende::retrieve
