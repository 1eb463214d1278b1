#pragma once
/// LlmClient: the one interface to text generation (DESIGN.md "Interfaces").
///
/// Two ways to call it:
///  - blocking: complete() / stream(), for the CLI, tests and worker threads;
///  - coroutine: complete_async() / stream_async(), for code running on an Asio executor (the
///    HTTP server's handlers). Network providers never block a thread in the async forms.
/// Cancellation: call StreamSink::request_cancel() from any thread (e.g. when the customer's SSE
/// connection drops) or return true from cancel_requested(); the upstream connection is closed
/// at once and the call returns a cancelled Status.

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "llm/types.h"
#include "net/async.h"
#include "net/cancel.h"

namespace atiende::llm {

/// Receives a streamed answer. Callbacks run on the thread (or executor) driving the call, one
/// at a time, in stream order. Default implementations ignore the event.
class StreamSink {
 public:
  virtual ~StreamSink() = default;

  /// A piece of answer text (UTF-8; a piece may split a multi-byte character only if the
  /// upstream did, which the providers here never pass on: pieces are whole upstream deltas).
  virtual void on_text(std::string_view delta) = 0;
  /// A piece of a tool call as it streams: `index` identifies the call within this answer; `id`
  /// and `name` are non-empty on the first piece; `arguments_delta` is a fragment of JSON text.
  virtual void on_tool_call_delta(int index, std::string_view id, std::string_view name,
                                  std::string_view arguments_delta) {
    (void)index, (void)id, (void)name, (void)arguments_delta;
  }
  /// A tool call is complete (arguments fully assembled), before on_finish.
  virtual void on_tool_call(const ToolCall& call) { (void)call; }
  virtual void on_usage(const Usage& usage) { (void)usage; }
  /// Last callback of a successful stream.
  virtual void on_finish(FinishReason reason, std::string_view model) { (void)reason, (void)model; }

  /// Polled after every upstream event; return true to stop.
  virtual bool cancel_requested() const { return cancellation_.cancelled(); }

  /// Thread-safe: cancels the running call (closes the upstream connection).
  void request_cancel() { cancellation_.cancel(); }
  const net::CancellationToken& cancellation() const { return cancellation_; }

 private:
  net::CancellationToken cancellation_;
};

/// Implementations are thread-safe: one client serves concurrent calls.
class LlmClient {
 public:
  virtual ~LlmClient() = default;

  /// Provider name: "openai", "bedrock", "builtin".
  virtual std::string_view name() const = 0;

  /// One whole answer. Errors: unavailable (upstream down, 5xx, malformed reply, breaker open),
  /// deadline_exceeded, resource_exhausted (429 after retries), unauthenticated/permission_denied
  /// (bad credentials), invalid_argument (the request was rejected, or a bad tool schema).
  virtual Result<ChatResponse> complete(const ChatRequest& request) = 0;

  /// Streams an answer into `sink`. Same errors as complete(), plus cancelled. Returns ok only
  /// after sink.on_finish().
  virtual Status stream(const ChatRequest& request, StreamSink& sink) = 0;

  /// Coroutine forms with the same contracts; callbacks run on the caller's executor. The
  /// defaults call the blocking forms inline, which is right for CPU-only providers (builtin)
  /// and must be overridden by network providers.
  virtual net::Awaitable<Result<ChatResponse>> complete_async(ChatRequest request);
  virtual net::Awaitable<Status> stream_async(ChatRequest request, StreamSink& sink);
};

}  // namespace atiende::llm
