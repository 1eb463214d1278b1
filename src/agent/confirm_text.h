#pragma once
/// Explicit yes / no in Spanish or English, decided in code (never by a model or a prompt).
/// Only short replies count (at most 8 words): "sí, confírmalo", "dale", "confirmo", "de una",
/// "yes", "go ahead" are yes; "no", "cancela", "mejor no", "no gracias", "cancel" are no.
/// Anything mixed ("sí pero no"), long or unrelated is unclear, so the caller asks again.

#include <string_view>

namespace atiende::agent {

enum class ConfirmDecision { kYes, kNo, kUnclear };

/// Classifies a reply to a confirmation question. Thread-safe, never throws.
ConfirmDecision parse_confirmation(std::string_view text);

/// "yes" | "no" | "unclear".
std::string_view confirm_decision_name(ConfirmDecision decision);

}  // namespace atiende::agent
