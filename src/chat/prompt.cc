#include "chat/prompt.h"

#include <cctype>
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

namespace {

/// The labels that open the sections of the prompt's user message, in both languages.
constexpr std::string_view kSectionLabels[] = {"CONTEXTO:", "CONTEXT:", "PREGUNTA DEL CLIENTE:",
                                               "CUSTOMER QUESTION:"};

bool starts_with_label(std::string_view line) {
  for (std::string_view label : kSectionLabels) {
    if (line.size() < label.size()) continue;
    bool same = true;
    for (size_t i = 0; i < label.size() && same; ++i) {
      same = std::toupper(static_cast<unsigned char>(line[i])) == label[i];
    }
    if (same) return true;
  }
  return false;
}

}  // namespace

std::string neutralize_prompt_markers(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  bool line_start = true;
  for (size_t i = 0; i < text.size();) {
    if (line_start) {
      line_start = false;
      size_t first = i;
      while (first < text.size() && (text[first] == ' ' || text[first] == '\t')) ++first;
      if (starts_with_label(text.substr(first))) {
        out.append(text.substr(i, first - i));
        out += "» ";
        i = first;
        continue;
      }
    }
    const char c = text[i];
    if (c == '[') {  // "[12]" -> "(12)": only the prompt's own passages carry citation markers
      size_t end = i + 1;
      while (end < text.size() && end - i <= 4 && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
      if (end > i + 1 && end < text.size() && text[end] == ']') {
        out += '(';
        out.append(text.substr(i + 1, end - i - 1));
        out += ')';
        i = end + 1;
        continue;
      }
    }
    out += c;
    if (c == '\n') line_start = true;
    ++i;
  }
  return out;
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
    std::string block = "[" + std::to_string(kept.number) + "] " +
                        neutralize_prompt_markers(kept.hit.title) + "\n" +
                        neutralize_prompt_markers(kept.hit.text) + "\n\n";
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
                     question_label + ":\n" + neutralize_prompt_markers(question);
  // Each message costs its tokens + 4; the system prompt and the history were counted above.
  prompt.approx_tokens = system_tokens + 4 + history_tokens + text::approx_token_count(user) + 4;
  prompt.messages.push_back({"user", std::move(user)});
  return prompt;
}

}  // namespace atiende::chat
