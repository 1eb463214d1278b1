#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

#include "common/json.h"
#include "llm/openai_client.h"
#include "llm/recording_sink.h"  // tests/llm
#include "text/utf8.h"
#include "support/llm_scripts.h"

namespace atiende::llm {
namespace {

using std::chrono::milliseconds;
using testing::ScriptedHttpServer;
using testing::ScriptedResponse;

OpenAiOptions options_for(const ScriptedHttpServer& server) {
  OpenAiOptions o;
  o.base_url = server.base_url() + "/v1";
  o.api_key = "sk-test";
  o.model = "configured-model";
  o.request.connect_timeout = milliseconds(2000);
  o.request.idle_timeout = milliseconds(5000);
  o.request.retry.max_attempts = 3;
  o.request.retry.initial_backoff = milliseconds(1);
  o.request.retry.max_backoff = milliseconds(5);
  o.request.retry.retry_non_idempotent = true;
  o.breaker.failure_threshold = 100;
  return o;
}

ChatRequest hello_request() {
  ChatRequest r;
  r.messages = {{Role::kSystem, "Eres el asistente de UnaEmpresa.", {}, "", ""},
                {Role::kUser, "¿Cuánto cuesta el plan 5G?", {}, "", ""}};
  r.temperature = 0.2;
  r.max_tokens = 256;
  return r;
}

TEST(OpenAiClient, StreamsTokensAndSendsTheRequestWeExpect) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_stream({"El plan ", "5G ", "cuesta ", "30 €."}, 42));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(sink.text, "El plan 5G cuesta 30 €.");
  EXPECT_EQ(sink.pieces.size(), 4u);
  EXPECT_TRUE(sink.finished);
  EXPECT_EQ(sink.finish, FinishReason::kStop);
  EXPECT_EQ(sink.model, "scripted-model");
  ASSERT_TRUE(sink.got_usage);
  EXPECT_EQ(sink.usage.prompt_tokens, 42);
  EXPECT_EQ(sink.usage.completion_tokens, 4);

  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].method, "POST");
  EXPECT_EQ(reqs[0].target, "/v1/chat/completions");
  EXPECT_EQ(net::find_header(reqs[0].headers, "authorization").value_or(""), "Bearer sk-test");
  auto body = parse_json(reqs[0].body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["model"], "configured-model");
  EXPECT_EQ((*body)["stream"], true);
  EXPECT_EQ((*body)["stream_options"]["include_usage"], true);
  EXPECT_EQ((*body)["max_tokens"], 256);
  ASSERT_EQ((*body)["messages"].size(), 2u);
  EXPECT_EQ((*body)["messages"][0]["role"], "system");
  EXPECT_EQ((*body)["messages"][1]["content"], "¿Cuánto cuesta el plan 5G?");
}

TEST(OpenAiClient, ToolCallArrivingInPiecesIsAssembled) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_tool_call_stream("call_1", "cambiar_plan", {"{\"pl", "an\": \"5G", " Max\"}"}));
  OpenAiClient client(options_for(server), nullptr);
  ChatRequest req = hello_request();
  req.tools.push_back({"cambiar_plan", "Cambia el plan", "{\"type\":\"object\",\"properties\":{\"plan\":{\"type\":\"string\"}}}"});
  RecordingSink sink;
  ASSERT_TRUE(client.stream(req, sink).ok());
  ASSERT_EQ(sink.calls.size(), 1u);
  EXPECT_EQ(sink.calls[0].id, "call_1");
  EXPECT_EQ(sink.calls[0].name, "cambiar_plan");
  EXPECT_EQ(sink.calls[0].arguments_json, "{\"plan\": \"5G Max\"}");
  EXPECT_EQ(sink.tool_deltas.size(), 3u);
  EXPECT_EQ(sink.tool_deltas[0], "0|call_1|cambiar_plan|{\"pl");
  EXPECT_EQ(sink.finish, FinishReason::kToolCalls);
  auto body = parse_json(server.requests()[0].body);
  EXPECT_EQ((*body)["tools"][0]["function"]["name"], "cambiar_plan");
  EXPECT_EQ((*body)["tools"][0]["function"]["parameters"]["properties"]["plan"]["type"], "string");
  EXPECT_EQ((*body)["tool_choice"], "auto");
}

TEST(OpenAiClient, ToolResultsGoBackIntoTheConversation) {
  OpenAiClient client(OpenAiOptions{}, nullptr);
  ChatRequest req;
  Message assistant{Role::kAssistant, "", {{"call_9", "consultar_cuenta", "{}"}}, "", ""};
  Message tool{Role::kTool, "{\"plan\":\"Básico\"}", {}, "call_9", "consultar_cuenta"};
  req.messages = {{Role::kUser, "mi plan?", {}, "", ""}, assistant, tool};
  auto body = client.request_body_for_test(req, true);
  ASSERT_TRUE(body.ok());
  auto j = parse_json(*body);
  EXPECT_TRUE((*j)["messages"][1]["content"].is_null());
  EXPECT_EQ((*j)["messages"][1]["tool_calls"][0]["function"]["name"], "consultar_cuenta");
  EXPECT_EQ((*j)["messages"][2]["role"], "tool");
  EXPECT_EQ((*j)["messages"][2]["tool_call_id"], "call_9");
  req.tools.push_back({"bad", "x", "not json"});
  EXPECT_EQ(client.request_body_for_test(req, true).status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenAiClient, BodyCarriesAnyTextAsValidJson) {
  OpenAiOptions options;
  options.model = "m\"odel";
  OpenAiClient client(options, nullptr);
  ChatRequest req;
  const std::string tricky = std::string("cita \"[1]\"\n\ttab \\ barra \x01 y ñ 🙂 ") + "\xFF fin";
  req.messages = {{Role::kSystem, "Eres el asistente.\nPasajes:\n[1] «Plan 5G»", {}, "", ""},
                  {Role::kUser, tricky, {}, "", ""}};
  req.temperature = 0.25;
  req.stop = {"\n\n", "FIN"};
  auto body = client.request_body_for_test(req, false);
  ASSERT_TRUE(body.ok());
  auto j = parse_json(*body);
  ASSERT_TRUE(j.ok()) << *body;
  EXPECT_EQ((*j)["model"], "m\"odel");
  EXPECT_EQ((*j)["stream"], false);
  EXPECT_FALSE(j->contains("stream_options"));
  EXPECT_DOUBLE_EQ((*j)["temperature"].get<double>(), 0.25);
  EXPECT_EQ((*j)["stop"][1], "FIN");
  EXPECT_EQ((*j)["messages"][0]["content"], "Eres el asistente.\nPasajes:\n[1] «Plan 5G»");
  EXPECT_EQ((*j)["messages"][1]["content"], text::sanitize_utf8(tricky));
  EXPECT_FALSE((*j)["messages"][1].contains("tool_call_id"));

  // Tools: the schema is embedded compact, a named choice becomes a function object, and the
  // second body (schemas already checked) is the same as the first.
  req.tools.push_back({"cambiar_plan", "Cambia el \"plan\"", "{ \"type\" : \"object\",\n \"properties\": {} }"});
  req.tool_choice = "cambiar_plan";
  auto first = client.request_body_for_test(req, true);
  auto second = client.request_body_for_test(req, true);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first, *second);
  auto with_tools = parse_json(*first);
  ASSERT_TRUE(with_tools.ok()) << *first;
  EXPECT_EQ((*with_tools)["tools"][0]["function"]["description"], "Cambia el \"plan\"");
  EXPECT_EQ((*with_tools)["tools"][0]["function"]["parameters"]["type"], "object");
  EXPECT_NE(first->find("\"parameters\":{\"properties\":{},\"type\":\"object\"}"), std::string::npos) << *first;
  EXPECT_EQ((*with_tools)["tool_choice"]["function"]["name"], "cambiar_plan");
  req.tools.push_back({"rota", "x", "[1, 2]"});
  EXPECT_EQ(client.request_body_for_test(req, true).status().code(), StatusCode::kInvalidArgument);
}

TEST(OpenAiClient, RetriesOn429And500BeforeTheFirstToken) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_error(429, "rate limited"));
  server.enqueue(testing::openai_error(500, "oops"));
  server.enqueue(testing::openai_stream({"ok"}));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(sink.text, "ok");
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(OpenAiClient, GivesUpAfterRetriesWithTheUpstreamMessage) {
  ScriptedHttpServer server;
  for (int i = 0; i < 3; ++i) server.enqueue(testing::openai_error(503, "overloaded"));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("overloaded"), std::string::npos) << s.message();
  EXPECT_FALSE(sink.finished);
}

TEST(OpenAiClient, ErrorBodiesMapToClearStatuses) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_error(401, "Incorrect API key provided"));
  server.enqueue(testing::openai_error(400, "max_tokens is too large"));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("Incorrect API key"), std::string::npos);
  EXPECT_EQ(client.stream(hello_request(), sink).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(server.request_count(), 2u);  // 4xx are not retried
}

TEST(OpenAiClient, StallBetweenTokensTimesOut) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk(testing::sse_data(testing::openai_text_chunk("Hola"))).stall());
  OpenAiOptions o = options_for(server);
  o.request.idle_timeout = milliseconds(150);
  OpenAiClient client(o, nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kDeadlineExceeded) << s.to_string();
  EXPECT_EQ(sink.text, "Hola");
  EXPECT_FALSE(sink.finished);
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

TEST(OpenAiClient, MalformedFrameIsAnErrorAndNotShown) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse()
                     .chunk(testing::sse_data(testing::openai_text_chunk("Bien")))
                     .chunk("data: {\"choices\": [GARBAGE <script>\n\n")
                     .chunk("data: [DONE]\n\n"));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("malformed"), std::string::npos);
  EXPECT_EQ(sink.text, "Bien");
  EXPECT_EQ(sink.text.find("GARBAGE"), std::string::npos);
}

TEST(OpenAiClient, ErrorObjectInsideTheStream) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk(testing::sse_data("{\"error\":{\"message\":\"model crashed\"}}")));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("model crashed"), std::string::npos);
}

TEST(OpenAiClient, StreamEndingEarlyIsAnError) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk(testing::sse_data(testing::openai_text_chunk("a"))));
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  EXPECT_EQ(client.stream(hello_request(), sink).code(), StatusCode::kUnavailable);
}

TEST(OpenAiClient, SinkCancelClosesTheUpstreamConnection) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse()
                     .chunk(testing::sse_data(testing::openai_text_chunk("uno")))
                     .chunk(testing::sse_data(testing::openai_text_chunk("dos")))
                     .stall());
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  sink.cancel_after_pieces = 1;
  Status s = client.stream(hello_request(), sink);
  EXPECT_EQ(s.code(), StatusCode::kCancelled) << s.to_string();
  EXPECT_EQ(sink.pieces.size(), 1u);
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

// The customer hangs up while the upstream has not said anything yet: request_cancel() from
// another thread must close the upstream connection at once.
TEST(OpenAiClient, RequestCancelFromAnotherThreadWhileWaiting) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().stall_before_head());
  OpenAiClient client(options_for(server), nullptr);
  RecordingSink sink;
  Status s;
  std::thread caller([&] { s = client.stream(hello_request(), sink); });
  ASSERT_TRUE(server.wait_for_requests(1, milliseconds(5000)));
  sink.request_cancel();
  caller.join();
  EXPECT_EQ(s.code(), StatusCode::kCancelled) << s.to_string();
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
  EXPECT_EQ(server.request_count(), 1u);  // a cancel is not retried
}

TEST(OpenAiClient, CircuitBreakerStopsCallingADeadUpstream) {
  ScriptedHttpServer server;
  for (int i = 0; i < 2; ++i) server.enqueue(testing::openai_error(500, "down"));
  OpenAiOptions o = options_for(server);
  o.request.retry.max_attempts = 1;
  o.breaker.failure_threshold = 2;
  o.breaker.open_duration = milliseconds(10'000);
  FakeClock clock;
  OpenAiClient client(o, nullptr, clock);
  RecordingSink sink;
  EXPECT_EQ(client.stream(hello_request(), sink).code(), StatusCode::kUnavailable);
  EXPECT_EQ(client.stream(hello_request(), sink).code(), StatusCode::kUnavailable);
  EXPECT_EQ(client.breaker_state(), net::CircuitBreaker::State::kOpen);
  Status blocked = client.stream(hello_request(), sink);
  EXPECT_EQ(blocked.code(), StatusCode::kUnavailable);
  EXPECT_NE(blocked.message().find("circuit breaker"), std::string::npos);
  EXPECT_EQ(server.request_count(), 2u);  // the third call never reached the server
  clock.advance(milliseconds(10'000));
  server.enqueue(testing::openai_stream({"de vuelta"}));
  EXPECT_TRUE(client.stream(hello_request(), sink).ok());
  EXPECT_EQ(client.breaker_state(), net::CircuitBreaker::State::kClosed);
}

TEST(OpenAiClient, CompleteParsesContentAndUsage) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_completion("Hola, ¿en qué te ayudo?"));
  OpenAiClient client(options_for(server), nullptr);
  auto res = client.complete(hello_request());
  ASSERT_TRUE(res.ok()) << res.status().to_string();
  EXPECT_EQ(res->content, "Hola, ¿en qué te ayudo?");
  EXPECT_EQ(res->provider, "openai");
  EXPECT_EQ(res->finish_reason, FinishReason::kStop);
  EXPECT_EQ(res->usage.total_tokens, 10);
  EXPECT_EQ((*parse_json(server.requests()[0].body))["stream"], false);
}

TEST(OpenAiClient, StreamAsyncOnTheCallersExecutor) {
  ScriptedHttpServer server;
  server.enqueue(testing::openai_stream({"a", "b"}));
  server.enqueue(testing::openai_stream({"c", "d"}));
  OpenAiClient client(options_for(server), nullptr);
  boost::asio::io_context ioc;
  RecordingSink sinks[2];
  Status results[2];
  for (int i = 0; i < 2; ++i) {
    boost::asio::co_spawn(
        ioc, [&, i]() -> net::Awaitable<void> { results[i] = co_await client.stream_async(hello_request(), sinks[i]); },
        [](std::exception_ptr e) { ASSERT_FALSE(e); });
  }
  ioc.run();
  EXPECT_TRUE(results[0].ok() && results[1].ok());
  std::string all = sinks[0].text + sinks[1].text;
  std::sort(all.begin(), all.end());
  EXPECT_EQ(all, "abcd");
}

}  // namespace
}  // namespace atiende::llm
