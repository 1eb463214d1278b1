#pragma once
/// Prompt assembly under a token budget: system prompt (versioned template files in
/// src/chat/prompts/, embedded at build time; `chat.prompt_dir` overrides them at run time),
/// retrieved passages with their numbers, and as much recent history as fits.

#include <string>
#include <string_view>
#include <vector>

#include "chat/citations.h"
#include "common/status.h"

namespace atiende::chat {

/// Token budget (approximate tokens, text/token_count.h), split between the parts of a prompt.
struct PromptBudget {
  size_t system_tokens = 400;    ///< chat.budget_system
  size_t context_tokens = 1500;  ///< chat.budget_context: passages beyond it are dropped
  size_t history_tokens = 600;   ///< chat.budget_history: oldest turns are dropped first
};

/// One prior turn ("user" or "assistant"), already anonymized.
struct HistoryTurn {
  std::string role;
  std::string text;
};

/// A message of the assembled prompt.
struct PromptMessage {
  std::string role;     ///< system | user | assistant
  std::string content;
};

struct AssembledPrompt {
  std::vector<PromptMessage> messages;  ///< system, history..., user (with CONTEXT)
  std::vector<Passage> passages;        ///< the passages that fit, numbered from 1
  size_t history_turns_used = 0;
  size_t approx_tokens = 0;             ///< sum over messages of approx_token_count + 4
  std::string template_version;         ///< e.g. "system.es.v1"
};

/// The text of a template by name (e.g. "system.es.v1"): from `override_dir` when it holds
/// "<name>.txt", otherwise the embedded copy. not_found for unknown names.
Result<std::string> prompt_template(std::string_view name, std::string_view override_dir = "");

/// Untrusted text (a passage's title and text, the customer's question) made unable to imitate
/// the prompt's structure: citation markers "[n]" become "(n)", and a line that starts with one
/// of the user message's section labels (CONTEXTO:, PREGUNTA DEL CLIENTE:, CONTEXT:,
/// CUSTOMER QUESTION:, any case) gets "» " in front. Everything else is kept as is.
std::string neutralize_prompt_markers(std::string_view text);

/// Builds the prompt for `question` in `language` ("es"/"en") from candidate `passages` (best
/// first; renumbered 1..n in the order kept) and `history` (oldest first). Passages and the
/// question go in through neutralize_prompt_markers().
Result<AssembledPrompt> assemble_prompt(std::string_view question, std::string_view language,
                                        const std::vector<Passage>& passages,
                                        const std::vector<HistoryTurn>& history,
                                        const PromptBudget& budget,
                                        std::string_view template_dir = "");

}  // namespace atiende::chat
