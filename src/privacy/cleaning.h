#pragma once
/// Cleaning of support conversations before they enter the knowledge base: greetings and
/// signatures are stripped, empty and noise turns dropped, repeated turns deduplicated.
/// Pure functions on valid UTF-8; thread-safe.

#include <string>
#include <string_view>
#include <vector>

namespace atiende::privacy {

struct Turn {
  std::string role;  ///< "customer" | "agent" | other roles kept as given
  std::string text;
};

/// Removes a leading greeting ("Hola, buenas tardes.", "Buenos días:", "Estimado equipo,") and a
/// trailing sign-off/signature block ("Gracias.\nSaludos,\nAna", "Enviado desde mi iPhone").
/// Returns the text trimmed; it may become empty when the text was only a greeting.
std::string strip_greetings_and_signature(std::string_view text);

/// True for turns with no content worth keeping: empty, only punctuation/emoji, or a bare
/// acknowledgement ("ok", "gracias", "vale", "listo", "👍").
bool is_noise_turn(std::string_view text);

/// Cleans every turn (strip greetings/signatures), drops noise turns and drops a turn identical
/// (same role, same text) to an earlier one. Roles are kept. Returns the number of turns dropped.
size_t clean_turns(std::vector<Turn>& turns);

}  // namespace atiende::privacy
