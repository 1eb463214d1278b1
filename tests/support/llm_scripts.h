#pragma once
/// Scripts for the scripted servers: OpenAI-compatible SSE streams and replies, and a Bedrock
/// test server that verifies SigV4 and streams AWS event-stream frames.

#include <mutex>
#include <string>
#include <vector>

#include "net/sigv4.h"
#include "support/scripted_server.h"

namespace atiende::testing {

// ---- OpenAI-compatible (/v1/chat/completions) ----

/// One SSE frame "data: <json>\n\n".
std::string sse_data(const std::string& json);
/// A chat.completion.chunk carrying a text delta.
std::string openai_text_chunk(const std::string& text, const std::string& model = "scripted-model");
/// A chunk with a tool-call piece (id/name only on the first piece of a call).
std::string openai_tool_chunk(int index, const std::string& id, const std::string& name,
                              const std::string& arguments_piece);
/// A chunk with finish_reason and no delta.
std::string openai_finish_chunk(const std::string& finish_reason);
/// A chunk with only usage (as OpenAI sends with stream_options.include_usage).
std::string openai_usage_chunk(int prompt_tokens, int completion_tokens);

/// A full streamed answer: one SSE chunk per token, finish "stop", usage, [DONE].
ScriptedResponse openai_stream(const std::vector<std::string>& tokens, int prompt_tokens = 10);
/// A streamed tool call whose arguments arrive in `pieces`, finish "tool_calls", [DONE].
ScriptedResponse openai_tool_call_stream(const std::string& id, const std::string& name,
                                         const std::vector<std::string>& pieces);
/// A non-streamed chat.completion with `content`.
ScriptedResponse openai_completion(const std::string& content);
/// An OpenAI-style error body with `status`.
ScriptedResponse openai_error(int status, const std::string& message);

// ---- Bedrock (Converse / ConverseStream) ----

/// One event-stream frame of ConverseStream (":message-type" event).
std::string bedrock_event(const std::string& event_type, const std::string& payload_json);
/// The same frame with its message CRC broken.
std::string with_bad_crc(std::string frame);
/// An exception frame (":message-type" exception).
std::string bedrock_exception(const std::string& exception_type, const std::string& message);
/// A ConverseStream answer: messageStart, text deltas, contentBlockStop, messageStop, metadata.
ScriptedResponse bedrock_text_stream(const std::vector<std::string>& tokens);
/// A Converse (non-stream) JSON reply.
ScriptedResponse bedrock_converse_reply(const std::string& text);

/// A scripted server that checks every request's SigV4 Authorization header by recomputing it
/// with `credentials` (service "bedrock"). A bad signature gets 403 and is counted; good ones
/// are served from the queue.
class BedrockTestServer {
 public:
  BedrockTestServer(net::AwsCredentials credentials, std::string region);
  ScriptedHttpServer& http() { return server_; }
  std::string endpoint() const { return server_.base_url(); }
  void enqueue(ScriptedResponse r) { server_.enqueue(std::move(r)); }
  size_t signature_failures() const;
  size_t signatures_ok() const;

 private:
  ScriptedHttpServer server_;
  net::AwsCredentials credentials_;
  std::string region_;
  mutable std::mutex mutex_;
  size_t failures_ = 0;
  size_t ok_ = 0;
};

}  // namespace atiende::testing
