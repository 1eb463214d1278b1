#include "chat/prompt.h"

#include <filesystem>

#include "chat/prompt_templates.h"
#include "common/files.h"
#include "text/token_count.h"

namespace atiende::chat {

Result<std::string> prompt_template(std::string_view name, std::string_view override_dir) {
  if (!override_dir.empty()) {
    const auto path = std::filesystem::path(override_dir) / (std::string(name) + ".txt");
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return read_file(path);
  }
  for (const auto& entry : embedded_prompt_templates()) {
    if (entry.name == name) return std::string(entry.text);
  }
  return Status::not_found("no prompt template named '" + std::string(name) + "'");
}

Result<AssembledPrompt> assemble_prompt(std::string_view question, std::string_view language,
                                        const std::vector<Passage>& passages,
                                        const std::vector<HistoryTurn>& history,
                                        const PromptBudget& budget,
                                        std::string_view template_dir) {
  AssembledPrompt prompt;
  const std::string lang = language == "en" ? "en" : "es";
  prompt.template_version = "system." + lang + ".v1";
  ATIENDE_ASSIGN_OR_RETURN(std::string system, prompt_template(prompt.template_version, template_dir));
  const size_t system_tokens = text::approx_token_count(system);
  if (system_tokens > budget.system_tokens) {
    return Status::invalid_argument("the system prompt '" + prompt.template_version + "' needs " +
                                    std::to_string(system_tokens) +
                                    " tokens; chat.budget_system is " +
                                    std::to_string(budget.system_tokens));
  }
  prompt.messages.push_back({"system", system});

  // Passages: keep them in rank order while they fit the context budget.
  std::string context;
  size_t context_tokens = 0;
  for (const Passage& candidate : passages) {
    Passage kept = candidate;
    kept.number = static_cast<int>(prompt.passages.size()) + 1;
    std::string block = "[" + std::to_string(kept.number) + "] " + kept.hit.title + "\n" +
                        kept.hit.text + "\n\n";
    const size_t tokens = text::approx_token_count(block);
    if (context_tokens + tokens > budget.context_tokens) {
      if (prompt.passages.empty()) continue;  // a huge first passage: try the next one
      break;
    }
    context_tokens += tokens;
    context += block;
    prompt.passages.push_back(std::move(kept));
  }

  // History: newest turns first until the budget is used, then restore order.
  std::vector<PromptMessage> recent;
  size_t history_tokens = 0;
  for (auto it = history.rbegin(); it != history.rend(); ++it) {
    const size_t tokens = text::approx_token_count(it->text) + 4;
    if (history_tokens + tokens > budget.history_tokens) break;
    history_tokens += tokens;
    recent.push_back({it->role == "assistant" ? "assistant" : "user", it->text});
  }
  prompt.history_turns_used = recent.size();
  prompt.messages.insert(prompt.messages.end(), recent.rbegin(), recent.rend());

  const std::string context_label = lang == "en" ? "CONTEXT" : "CONTEXTO";
  const std::string question_label = lang == "en" ? "CUSTOMER QUESTION" : "PREGUNTA DEL CLIENTE";
  std::string user = context_label + ":\n" +
                     (context.empty() ? std::string("(sin pasajes)\n") : context) + "\n" +
                     question_label + ":\n" + std::string(question);
  // Each message costs its tokens + 4; the system prompt and the history were counted above.
  prompt.approx_tokens = system_tokens + 4 + history_tokens + text::approx_token_count(user) + 4;
  prompt.messages.push_back({"user", std::move(user)});
  return prompt;
}

}  // namespace atiende::chat
