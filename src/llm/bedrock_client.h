#pragma once
/// The `bedrock` provider: Amazon Bedrock Converse and ConverseStream, signed with SigV4
/// (net/sigv4.h), ConverseStream decoded from the binary event stream with CRC checks
/// (net/event_stream.h). Same retries, timeouts and circuit breaker as the openai provider.

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "llm/llm_client.h"
#include "net/http_client.h"
#include "net/retry.h"
#include "net/sigv4.h"

namespace atiende::llm {

struct BedrockOptions {
  std::string region = "us-east-1";
  std::string model_id;  ///< e.g. "anthropic.claude-3-haiku-20240307-v1:0"
  /// Base URL; empty means https://bedrock-runtime.{region}.amazonaws.com. Tests point it at
  /// a local server.
  std::string endpoint;
  net::AwsCredentials credentials;
  net::RequestOptions request;
  net::CircuitBreaker::Options breaker;
};

/// From config and environment: llm.model (model id, required), llm.bedrock_endpoint,
/// llm.region (else AWS_REGION, else AWS_DEFAULT_REGION, else us-east-1), credentials from
/// AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, plus the shared timeout,
/// retry and breaker keys (llm/internal.h).
Result<BedrockOptions> bedrock_options_from_config(const Config& config);

class BedrockClient final : public LlmClient {
 public:
  BedrockClient(BedrockOptions options, std::shared_ptr<net::HttpClient> http, const Clock& clock = system_clock());

  std::string_view name() const override { return "bedrock"; }
  Result<ChatResponse> complete(const ChatRequest& request) override;
  Status stream(const ChatRequest& request, StreamSink& sink) override;
  net::Awaitable<Result<ChatResponse>> complete_async(ChatRequest request) override;
  net::Awaitable<Status> stream_async(ChatRequest request, StreamSink& sink) override;

  net::CircuitBreaker::State breaker_state() const { return breaker_.state(); }

  /// The Converse JSON body for `request` (tests and debugging).
  Result<std::string> request_body_for_test(const ChatRequest& request) const;

 private:
  Result<net::HttpRequest> signed_request(const ChatRequest& request, bool stream) const;
  net::Awaitable<Status> stream_impl(const ChatRequest& request, StreamSink& sink);
  net::Awaitable<Status> stream_once(net::HttpRequest http_request, StreamSink& sink);
  net::Awaitable<Result<ChatResponse>> complete_impl(const ChatRequest& request);
  net::Awaitable<Result<ChatResponse>> complete_once(net::HttpRequest http_request);

  BedrockOptions options_;
  std::shared_ptr<net::HttpClient> http_;
  const Clock& clock_;
  net::CircuitBreaker breaker_;
};

}  // namespace atiende::llm
