#pragma once
/// Follow-up questions become standalone queries before retrieval. With an LLM provider the model
/// rewrites them (prompts/rewrite.*); without one, this heuristic carries context over.

#include <string>
#include <string_view>
#include <vector>

namespace atiende::chat {

/// True when `message` looks like a follow-up that needs context: few content words, or it starts
/// with a connective ("y ...", "and ...", "¿y en ...?") or leans on a pronoun ("eso", "that").
bool looks_like_followup(std::string_view message, std::string_view language);

/// The standalone query: `message` itself, or `message` plus the content words of the previous
/// user message when it looks like a follow-up. `previous_user_messages` is oldest first.
std::string carry_over_context(std::string_view message,
                               const std::vector<std::string>& previous_user_messages,
                               std::string_view language);

}  // namespace atiende::chat
