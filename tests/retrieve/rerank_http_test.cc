// The reranker end to end over HTTP on 127.0.0.1: HttpReranker + NetJsonPoster against the
// scripted server, and a KnowledgeBase with reranking turned on.

#include <gtest/gtest.h>

#include "common/json.h"
#include "retrieve/kb_test_util.h"
#include "net/json_poster.h"
#include "support/scripted_server.h"

namespace atiende::retrieve {
namespace {

using atiende::testing::ScriptedHttpServer;
using atiende::testing::ScriptedResponse;

std::shared_ptr<net::NetJsonPoster> poster() {
  return std::make_shared<net::NetJsonPoster>(std::make_shared<net::HttpClient>(),
                                         std::chrono::milliseconds(5000));
}

TEST(RerankHttpTest, PostsTheRequestAndParsesTheAnswer) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(
      200, R"({"results":[{"index":1,"relevance_score":0.8},{"index":0,"relevance_score":0.2}]})"));
  HttpReranker reranker({server.base_url(), "bge-m3", "sk-1"}, poster());
  const std::vector<std::string> docs = {"uno", "dos"};
  auto scores = reranker.rerank("consulta", docs, 2);
  ASSERT_TRUE(scores.ok()) << scores.status().to_string();
  ASSERT_EQ(scores->size(), 2u);
  EXPECT_EQ((*scores)[0].index, 1u);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/v1/rerank");
  EXPECT_EQ(net::find_header(requests[0].headers, "authorization").value_or(""), "Bearer sk-1");
  auto body = parse_json(requests[0].body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["documents"].size(), 2u);
  EXPECT_EQ((*body)["top_n"], 2);
}

TEST(RerankHttpTest, HttpErrorsBecomeStatuses) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(401, R"({"error":"bad key"})"));
  HttpReranker reranker({server.base_url(), "m", ""}, poster());
  const std::vector<std::string> docs = {"uno"};
  auto scores = reranker.rerank("q", docs, 1);
  ASSERT_FALSE(scores.ok());
  EXPECT_EQ(scores.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(scores.status().message().find("HTTP 401"), std::string::npos);
}

TEST(RerankHttpTest, KnowledgeBaseRerankingReordersHits) {
  ScriptedHttpServer server;
  // Score documents by reversing the retrieval order: the last candidate wins.
  server.set_handler([](const atiende::testing::RecordedRequest& request)
                         -> std::optional<ScriptedResponse> {
    auto body = parse_json(request.body);
    if (!body.ok()) return ScriptedResponse::full(400, "{}");
    const size_t n = (*body)["documents"].size();
    Json results = Json::array();
    for (size_t i = 0; i < n; ++i) {
      results.push_back({{"index", i}, {"relevance_score", static_cast<double>(i)}});
    }
    return ScriptedResponse::full(200, dump_json({{"results", results}}));
  });
  testing::TempDir dir;
  auto store = store::open_sqlite_store((dir.path() / "atiende.db").string());
  ASSERT_TRUE(store.ok());
  auto parts = testing::fake_parts(std::shared_ptr<store::Store>(std::move(*store)),
                                   std::make_shared<testing::FakeEmbedder>());
  auto options = testing::fake_options(dir.path() / "index");
  options.rerank.enabled = true;
  options.rerank.candidates = 3;
  options.rerank.fail_open = false;
  parts.reranker = std::make_shared<HttpReranker>(
      HttpRerankerOptions{server.base_url(), "m", ""}, poster());
  auto kb = KnowledgeBase::open(std::move(parts), options);
  ASSERT_TRUE(kb.ok()) << kb.status().to_string();
  const std::vector<store::DocumentWithChunks> docs = {
      testing::make_doc("a", "Router", {"router router router"}),
      testing::make_doc("b", "Router y wifi", {"router wifi"}),
      testing::make_doc("c", "Wifi", {"router"})};
  ASSERT_TRUE((*kb)->upsert_documents(docs, std::nullopt).ok());
  // The same store without reranking gives the retrieval order.
  auto plain_kb = KnowledgeBase::open(
      testing::fake_parts((*kb)->shared_store(), std::make_shared<testing::FakeEmbedder>()),
      testing::fake_options(""));
  ASSERT_TRUE(plain_kb.ok());
  auto plain = (*plain_kb)->search("router", 3, SearchMode::kBm25);
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  ASSERT_EQ(plain->size(), 3u);
  EXPECT_EQ(server.request_count(), 0u);

  auto reranked = (*kb)->search("router", 3, SearchMode::kBm25);
  ASSERT_TRUE(reranked.ok()) << reranked.status().to_string();
  EXPECT_EQ(server.request_count(), 1u);
  ASSERT_EQ(reranked->size(), 3u);
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ((*reranked)[i].doc_id, (*plain)[2 - i].doc_id);
  EXPECT_DOUBLE_EQ((*reranked)[0].score, 2.0);
  auto top1 = (*kb)->search("router", 1, SearchMode::kBm25);  // still reranks 3 candidates
  ASSERT_TRUE(top1.ok());
  ASSERT_EQ(top1->size(), 1u);
  EXPECT_EQ((*top1)[0].doc_id, (*plain)[2].doc_id);
}

}  // namespace
}  // namespace atiende::retrieve
