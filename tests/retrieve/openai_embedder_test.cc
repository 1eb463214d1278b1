// The OpenAI-compatible /v1/embeddings embedder over HTTP on 127.0.0.1 (scripted server): request
// shape, batching, prefixes, normalization, dimension probe, validation of bad responses, and a
// KnowledgeBase opened from config with embed.provider = "openai" answering a vector search.

#include <gtest/gtest.h>

#include <cmath>

#include "common/json.h"
#include "embed/openai_embedder.h"
#include "retrieve/kb_test_util.h"
#include "support/scripted_server.h"

namespace atiende::retrieve {
namespace {

using atiende::testing::RecordedRequest;
using atiende::testing::ScriptedHttpServer;
using atiende::testing::ScriptedResponse;

constexpr const char* kTopics[] = {"factura", "roaming", "router", "esim"};

/// A toy embedding server: dimension 4, one axis per topic word found in the input (plus a small
/// constant so no vector is zero), scaled by 3 so that normalization is visible.
void serve_topic_embeddings(ScriptedHttpServer& server) {
  server.set_handler([](const RecordedRequest& request) -> std::optional<ScriptedResponse> {
    auto body = parse_json(request.body);
    if (!body.ok() || !(*body)["input"].is_array()) return ScriptedResponse::full(400, "{}");
    Json data = Json::array();
    size_t index = 0;
    for (const auto& input : (*body)["input"]) {
      const std::string text = input.get<std::string>();
      Json vector = Json::array();
      for (const char* topic : kTopics) {
        vector.push_back(text.find(topic) != std::string::npos ? 3.0 : 0.03);
      }
      data.push_back({{"object", "embedding"}, {"index", index++}, {"embedding", vector}});
    }
    // Answer in reverse order: the client must place vectors by "index".
    std::reverse(data.begin(), data.end());
    return ScriptedResponse::full(200, dump_json({{"object", "list"}, {"data", data}}));
  });
}

embed::OpenAiEmbedderOptions options_for(const ScriptedHttpServer& server) {
  embed::OpenAiEmbedderOptions o;
  o.base_url = server.base_url();
  o.model = "bge-m3";
  o.api_key = "sk-test";
  o.batch_size = 2;
  o.timeout_ms = 5000;
  o.query_prefix = "query: ";
  return o;
}

TEST(OpenAiEmbedderTest, ProbesDimensionBatchesAndNormalizes) {
  ScriptedHttpServer server;
  serve_topic_embeddings(server);
  auto embedder = embed::make_openai_embedder(options_for(server), nullptr);
  ASSERT_TRUE(embedder.ok()) << embedder.status().to_string();
  EXPECT_EQ((*embedder)->dimension(), 4u);
  EXPECT_EQ(server.request_count(), 1u);  // the probe
  EXPECT_NE((*embedder)->name().find("openai:bge-m3:d4"), std::string::npos);

  const std::vector<std::string> texts = {"mi factura", "roaming en Europa", "router", "esim"};
  auto vectors = (*embedder)->embed(texts, embed::EmbedRole::kPassage);
  ASSERT_TRUE(vectors.ok()) << vectors.status().to_string();
  ASSERT_EQ(vectors->size(), 4u);
  EXPECT_EQ(server.request_count(), 3u);  // probe + two batches of 2
  for (size_t i = 0; i < 4; ++i) {
    const auto& v = (*vectors)[i];
    ASSERT_EQ(v.size(), 4u);
    double norm = 0;
    for (float x : v) norm += x * x;
    EXPECT_NEAR(norm, 1.0, 1e-5);
    const auto best = std::max_element(v.begin(), v.end()) - v.begin();
    EXPECT_EQ(static_cast<size_t>(best), i) << texts[i];  // order kept despite reversed answers
  }
  const auto requests = server.requests();
  EXPECT_EQ(requests[1].target, "/v1/embeddings");
  EXPECT_EQ(net::find_header(requests[1].headers, "authorization").value_or(""), "Bearer sk-test");
  auto body = parse_json(requests[1].body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["model"], "bge-m3");
  EXPECT_EQ((*body)["input"], Json::array({"mi factura", "roaming en Europa"}));

  auto query = (*embedder)->embed(std::vector<std::string>{"router"}, embed::EmbedRole::kQuery);
  ASSERT_TRUE(query.ok());
  auto query_body = parse_json(server.requests().back().body);
  ASSERT_TRUE(query_body.ok());
  EXPECT_EQ((*query_body)["input"][0], "query: router");
}

TEST(OpenAiEmbedderTest, BadResponsesAreErrorsNamingTheProblem) {
  ScriptedHttpServer server;
  auto options = options_for(server);
  options.dimension = 3;  // no probe
  auto embedder = embed::make_openai_embedder(options, nullptr);
  ASSERT_TRUE(embedder.ok());
  const std::vector<std::string> one = {"hola"};
  struct Case {
    std::string body;
    std::string expected;
  } cases[] = {
      {"not json", "not JSON"},
      {R"({"object":"list"})", "no \"data\" array"},
      {R"({"data":[]})", "0 embeddings for 1 inputs"},
      {R"({"data":[{"index":0,"embedding":[1,2]}]})", "has 2 dimensions, expected 3"},
      {R"({"data":[{"index":5,"embedding":[1,2,3]}]})", "bad \"index\""},
      {R"({"data":[{"index":0,"embedding":[1,"x",3]}]})", "non-finite or non-number"},
  };
  for (const auto& c : cases) {
    server.enqueue(ScriptedResponse::full(200, c.body));
    auto result = (*embedder)->embed(one, embed::EmbedRole::kPassage);
    ASSERT_FALSE(result.ok()) << c.body;
    EXPECT_NE(result.status().message().find(c.expected), std::string::npos)
        << result.status().to_string();
    EXPECT_NE(result.status().to_string().find("/v1/embeddings"), std::string::npos);
  }
  server.enqueue(ScriptedResponse::full(401, R"({"error":"bad key"})"));
  auto unauthorized = (*embedder)->embed(one, embed::EmbedRole::kPassage);
  ASSERT_FALSE(unauthorized.ok());
  EXPECT_NE(unauthorized.status().to_string().find("401"), std::string::npos);
}

TEST(OpenAiEmbedderTest, UnreachableServerFailsAtStartNamingTheUrl) {
  embed::OpenAiEmbedderOptions options;
  options.base_url = "http://127.0.0.1:9";  // discard port: connection refused
  options.model = "m";
  options.timeout_ms = 2000;
  auto embedder = embed::make_openai_embedder(options, nullptr);
  ASSERT_FALSE(embedder.ok());
  EXPECT_NE(embedder.status().to_string().find("http://127.0.0.1:9/v1/embeddings"),
            std::string::npos);
}

TEST(OpenAiEmbedderTest, ConfigNamesMissingKeys) {
  auto missing = Config::load_string("[embed]\nprovider = \"openai\"\n", map_env({}));
  ASSERT_TRUE(missing.ok());
  auto options = embed::openai_embedder_options_from_config(*missing);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("embed.base_url"), std::string::npos);
  auto no_model = Config::load_string("[embed]\nbase_url = \"http://h:1/v1\"\n", map_env({}));
  ASSERT_TRUE(no_model.ok());
  options = embed::openai_embedder_options_from_config(*no_model);
  ASSERT_FALSE(options.ok());
  EXPECT_NE(options.status().message().find("embed.model"), std::string::npos);
}

TEST(OpenAiEmbedderTest, KnowledgeBaseFromConfigSearchesWithRemoteVectors) {
  ScriptedHttpServer server;
  serve_topic_embeddings(server);
  testing::TempDir dir;
  auto config = Config::load_string("[data]\ndir = \"" + dir.path().string() +
                                        "\"\n[embed]\nprovider = \"openai\"\nbase_url = \"" +
                                        server.base_url() + "/v1\"\nmodel = \"toy\"\n",
                                    map_env({}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  auto kb = open_knowledge_base(*config);
  ASSERT_TRUE(kb.ok()) << kb.status().to_string();
  const std::vector<store::DocumentWithChunks> docs = {
      testing::make_doc("f", "Facturas", {"como pagar la factura"}),
      testing::make_doc("r", "Viajes", {"activar roaming"}),
      testing::make_doc("w", "Internet", {"reiniciar el router"})};
  ASSERT_TRUE((*kb)->upsert_documents(docs, std::nullopt).ok());
  auto hits = (*kb)->search("el router no va", 1, SearchMode::kVector);
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc_id, "w");
  EXPECT_NE((*kb)->embedder().name().find("openai:toy:d4"), std::string::npos);
}

}  // namespace
}  // namespace atiende::retrieve
