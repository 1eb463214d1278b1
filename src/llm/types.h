#pragma once
/// Our own chat vocabulary. Every provider converts between these types and its wire format at
/// the edge (openai_client.cc, bedrock_client.cc); nothing else in atiende sees a wire format.
/// All text is UTF-8. JSON travels as text (`*_json` fields) so this header stays light.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atiende::llm {

enum class Role { kSystem, kUser, kAssistant, kTool };

/// "system" / "user" / "assistant" / "tool".
std::string_view role_name(Role role);

/// A function call proposed by the model. The model only proposes: agent/policy decides.
struct ToolCall {
  std::string id;              ///< provider id, echoed back in the tool result message
  std::string name;            ///< tool name
  std::string arguments_json;  ///< JSON object text exactly as the model produced it (may be invalid)
};

struct Message {
  Role role = Role::kUser;
  std::string content;              ///< text; may be empty for an assistant turn with only tool calls
  std::vector<ToolCall> tool_calls;  ///< assistant turns only
  std::string tool_call_id;          ///< tool turns: the call this result answers
  std::string name;                  ///< tool turns: the tool name (some providers want it)
};

/// A tool offered to the model.
struct ToolSpec {
  std::string name;
  std::string description;
  std::string parameters_schema_json = "{\"type\":\"object\",\"properties\":{}}";  ///< JSON Schema
};

struct Usage {
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  int64_t total_tokens = 0;
};

enum class FinishReason { kStop, kLength, kToolCalls, kContentFilter, kCancelled, kUnknown };

/// "stop" / "length" / "tool_calls" / "content_filter" / "cancelled" / "unknown".
std::string_view finish_reason_name(FinishReason reason);

struct ChatRequest {
  std::string model;  ///< empty = the provider's configured model
  std::vector<Message> messages;
  std::vector<ToolSpec> tools;
  /// "auto" (default when tools are given), "none", "required", or a tool name to force.
  std::string tool_choice;
  std::optional<double> temperature;
  std::optional<int> max_tokens;
  std::vector<std::string> stop;
};

struct ChatResponse {
  std::string provider;  ///< "openai", "bedrock", "builtin"
  std::string model;     ///< as reported by the upstream (or the configured one)
  std::string content;
  std::vector<ToolCall> tool_calls;
  Usage usage;
  FinishReason finish_reason = FinishReason::kUnknown;
};

}  // namespace atiende::llm
