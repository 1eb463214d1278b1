#include <gtest/gtest.h>

#include "common/json.h"
#include "llm/bedrock_client.h"
#include "llm/recording_sink.h"
#include "support/llm_scripts.h"

namespace atiende::llm {
namespace {

using std::chrono::milliseconds;
using testing::BedrockTestServer;
using testing::ScriptedResponse;

const net::AwsCredentials kCreds{"AKIDTEST", "secret/KEY+example", "session-token-1"};

BedrockOptions options_for(const BedrockTestServer& server) {
  BedrockOptions o;
  o.region = "eu-west-1";
  o.model_id = "anthropic.claude-3-haiku-20240307-v1:0";
  o.endpoint = server.endpoint();
  o.credentials = kCreds;
  o.request.connect_timeout = milliseconds(2000);
  o.request.idle_timeout = milliseconds(5000);
  o.request.retry.max_attempts = 2;
  o.request.retry.initial_backoff = milliseconds(1);
  o.request.retry.max_backoff = milliseconds(5);
  o.request.retry.retry_non_idempotent = true;
  return o;
}

ChatRequest request() {
  ChatRequest r;
  r.messages = {{Role::kSystem, "Responde en español.", {}, "", ""}, {Role::kUser, "Hola", {}, "", ""}};
  r.max_tokens = 100;
  return r;
}

TEST(BedrockClient, ConverseIsSignedAndParsed) {
  BedrockTestServer server(kCreds, "eu-west-1");
  server.enqueue(testing::bedrock_converse_reply("¡Hola! ¿En qué puedo ayudarte?"));
  BedrockClient client(options_for(server), nullptr);
  auto res = client.complete(request());
  ASSERT_TRUE(res.ok()) << res.status().to_string();
  EXPECT_EQ(res->content, "¡Hola! ¿En qué puedo ayudarte?");
  EXPECT_EQ(res->finish_reason, FinishReason::kStop);
  EXPECT_EQ(res->usage.total_tokens, 13);
  EXPECT_EQ(server.signatures_ok(), 1u);
  EXPECT_EQ(server.signature_failures(), 0u);
  auto reqs = server.http().requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse");
  EXPECT_EQ(net::find_header(reqs[0].headers, "x-amz-security-token").value_or(""), "session-token-1");
  auto body = parse_json(reqs[0].body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["system"][0]["text"], "Responde en español.");
  EXPECT_EQ((*body)["messages"][0]["role"], "user");
  EXPECT_EQ((*body)["messages"][0]["content"][0]["text"], "Hola");
  EXPECT_EQ((*body)["inferenceConfig"]["maxTokens"], 100);
}

TEST(BedrockClient, WrongSecretIsRejectedByTheServer) {
  BedrockTestServer server(kCreds, "eu-west-1");
  BedrockOptions o = options_for(server);
  o.credentials.secret_access_key = "not-the-secret";
  BedrockClient client(o, nullptr);
  auto res = client.complete(request());
  EXPECT_EQ(res.status().code(), StatusCode::kPermissionDenied) << res.status().to_string();
  EXPECT_NE(res.status().message().find("signature"), std::string::npos);
  EXPECT_EQ(server.signature_failures(), 1u);
}

TEST(BedrockClient, ConverseStreamDecodesEventFrames) {
  BedrockTestServer server(kCreds, "eu-west-1");
  server.enqueue(testing::bedrock_text_stream({"Buenos ", "días", "."}));
  BedrockClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(request(), sink);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(sink.text, "Buenos días.");
  EXPECT_EQ(sink.pieces.size(), 3u);
  EXPECT_EQ(sink.finish, FinishReason::kStop);
  EXPECT_EQ(sink.usage.prompt_tokens, 12);
  EXPECT_EQ(sink.usage.completion_tokens, 3);
  EXPECT_EQ(server.http().requests()[0].target,
            "/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream");
  EXPECT_EQ(server.signatures_ok(), 1u);
}

TEST(BedrockClient, StreamedToolUseIsAssembled) {
  BedrockTestServer server(kCreds, "eu-west-1");
  ScriptedResponse r;
  r.chunk(testing::bedrock_event("messageStart", "{\"role\":\"assistant\"}"));
  r.chunk(testing::bedrock_event(
      "contentBlockStart",
      "{\"contentBlockIndex\":1,\"start\":{\"toolUse\":{\"toolUseId\":\"tu_1\",\"name\":\"pedir_telefono\"}}}"));
  r.chunk(testing::bedrock_event("contentBlockDelta",
                                 "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"{\\\"modelo\\\":\"}}}"));
  r.chunk(testing::bedrock_event("contentBlockDelta",
                                 "{\"contentBlockIndex\":1,\"delta\":{\"toolUse\":{\"input\":\"\\\"X1\\\"}\"}}}"));
  r.chunk(testing::bedrock_event("contentBlockStop", "{\"contentBlockIndex\":1}"));
  r.chunk(testing::bedrock_event("messageStop", "{\"stopReason\":\"tool_use\"}"));
  server.enqueue(r);
  BedrockClient client(options_for(server), nullptr);
  ChatRequest req = request();
  req.tools.push_back({"pedir_telefono", "Pide un teléfono", "{\"type\":\"object\"}"});
  RecordingSink sink;
  ASSERT_TRUE(client.stream(req, sink).ok());
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0].id, "tu_1");
  EXPECT_EQ(sink.calls[0].name, "pedir_telefono");
  EXPECT_EQ(sink.calls[0].arguments_json, "{\"modelo\":\"X1\"}");
  EXPECT_EQ(sink.finish, FinishReason::kToolCalls);
  auto body = parse_json(server.http().requests()[0].body);
  EXPECT_EQ((*body)["toolConfig"]["tools"][0]["toolSpec"]["name"], "pedir_telefono");
}

TEST(BedrockClient, BadCrcFrameFailsTheStream) {
  BedrockTestServer server(kCreds, "eu-west-1");
  ScriptedResponse r;
  r.chunk(testing::bedrock_event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"ok \"}}"));
  r.chunk(testing::with_bad_crc(
      testing::bedrock_event("contentBlockDelta", "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"BASURA\"}}")));
  r.chunk(testing::bedrock_event("messageStop", "{\"stopReason\":\"end_turn\"}"));
  server.enqueue(r);
  BedrockClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("CRC"), std::string::npos) << s.message();
  EXPECT_EQ(sink.text, "ok ");
  EXPECT_FALSE(sink.finished);
}

TEST(BedrockClient, ExceptionFrameIsAnError) {
  BedrockTestServer server(kCreds, "eu-west-1");
  server.enqueue(ScriptedResponse().chunk(testing::bedrock_exception("throttlingException", "Too many requests")));
  BedrockClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("throttlingException"), std::string::npos);
}

TEST(BedrockClient, ToolResultsMergeIntoAlternatingTurns) {
  BedrockClient client(BedrockOptions{}, nullptr);
  ChatRequest req;
  req.messages = {{Role::kUser, "estado de mi pedido", {}, "", ""},
                  {Role::kAssistant, "", {{"tu_1", "estado_pedido", "{\"pedido\":\"P-1\"}"}}, "", ""},
                  {Role::kTool, "{\"estado\":\"enviado\"}", {}, "tu_1", "estado_pedido"}};
  auto body = client.request_body_for_test(req);
  ASSERT_TRUE(body.ok());
  auto j = parse_json(*body);
  ASSERT_EQ((*j)["messages"].size(), 3u);
  EXPECT_EQ((*j)["messages"][1]["content"][0]["toolUse"]["input"]["pedido"], "P-1");
  EXPECT_EQ((*j)["messages"][2]["role"], "user");
  EXPECT_EQ((*j)["messages"][2]["content"][0]["toolResult"]["toolUseId"], "tu_1");
  req.messages[1].tool_calls[0].arguments_json = "[not an object";
  EXPECT_EQ(client.request_body_for_test(req).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace atiende::llm
