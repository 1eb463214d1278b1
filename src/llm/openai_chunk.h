#pragma once
/// Fast reading of the common OpenAI stream chunk: `choices[].delta.content` text, a finish reason
/// and the model name, read with a SAX pass that builds no JSON tree. Anything else (tool calls,
/// usage, an error, an unexpected shape, malformed JSON) is left to the full parser, so the fast
/// path never changes what a chunk means; it only skips the tree for the chunks that are plain.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atiende::llm::internal {

/// What a plain chunk carries, in document order.
struct PlainChunk {
  std::vector<std::string> texts;  ///< `delta.content` strings of the choices (empty ones kept)
  std::optional<std::string> model;
  std::vector<std::string> finish_reasons;  ///< string `finish_reason`s of the choices
  void clear() {
    texts.clear();
    model.reset();
    finish_reasons.clear();
  }
};

/// Reads `data` (one SSE data payload) into `out` when it is a plain chunk: a JSON object with no
/// `error` or `usage` member whose `choices` (if any) is an array of objects without
/// `delta.tool_calls`. Returns false otherwise (then `out` is unspecified: use the full parser).
bool read_plain_chunk(std::string_view data, PlainChunk& out);

}  // namespace atiende::llm::internal
