#pragma once
/// The `openai` provider: any OpenAI-compatible /chat/completions server (OpenAI, llama.cpp's
/// llama-server, vLLM, Ollama). Streams with SSE, assembles tool calls that arrive in pieces,
/// retries 429/5xx/connect failures with jittered backoff before the first byte, and stops
/// calling a dead upstream with a circuit breaker.

#include <memory>
#include <string>

#include "common/clock.h"
#include "common/config.h"
#include "llm/llm_client.h"
#include "net/http_client.h"
#include "net/retry.h"

namespace atiende::llm {

struct OpenAiOptions {
  std::string base_url = "https://api.openai.com/v1";  ///< POSTs go to {base_url}/chat/completions
  std::string api_key;   ///< sent as "Authorization: Bearer"; empty sends none (local servers)
  std::string model = "gpt-4o-mini";
  bool include_usage = true;  ///< ask for usage in the stream (stream_options.include_usage)
  net::RequestOptions request;
  net::CircuitBreaker::Options breaker;
};

/// From config: llm.base_url, llm.model, llm.api_key (env ATIENDE_LLM_API_KEY), llm.include_usage,
/// plus the timeouts/retries/breaker keys of llm/internal.h. Errors name the key.
Result<OpenAiOptions> openai_options_from_config(const Config& config);

class OpenAiClient final : public LlmClient {
 public:
  /// `http` is shared and thread-safe; `clock` drives the breaker and must outlive the client.
  OpenAiClient(OpenAiOptions options, std::shared_ptr<net::HttpClient> http, const Clock& clock = system_clock());

  std::string_view name() const override { return "openai"; }
  Result<ChatResponse> complete(const ChatRequest& request) override;
  Status stream(const ChatRequest& request, StreamSink& sink) override;
  net::Awaitable<Result<ChatResponse>> complete_async(ChatRequest request) override;
  net::Awaitable<Status> stream_async(ChatRequest request, StreamSink& sink) override;

  /// The breaker's state, for /metrics and tests.
  net::CircuitBreaker::State breaker_state() const { return breaker_.state(); }

  /// The JSON body sent for `request` (exposed for tests and debugging).
  Result<std::string> request_body_for_test(const ChatRequest& request, bool stream) const;

 private:
  net::Awaitable<Status> stream_impl(const ChatRequest& request, StreamSink& sink);
  net::Awaitable<Status> stream_once(std::string body, StreamSink& sink);
  net::Awaitable<Result<ChatResponse>> complete_impl(const ChatRequest& request);
  net::Awaitable<Result<ChatResponse>> complete_once(std::string body);

  OpenAiOptions options_;
  std::shared_ptr<net::HttpClient> http_;
  net::CircuitBreaker breaker_;
};

}  // namespace atiende::llm
