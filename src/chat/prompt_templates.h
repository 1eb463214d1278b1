#pragma once
/// The prompt templates of src/chat/prompts/, embedded at configure time (generated .cc).

#include <span>
#include <string_view>

namespace atiende::chat {

struct EmbeddedPromptTemplate {
  std::string_view name;  ///< file name without ".txt", e.g. "system.es.v1"
  std::string_view text;
};

/// Every embedded template. Lives for the whole program.
std::span<const EmbeddedPromptTemplate> embedded_prompt_templates();

}  // namespace atiende::chat
