#include "privacy/cleaning.h"

#include <set>

#include <re2/re2.h>

#include "common/strings.h"
#include "privacy/regex_util.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

// A greeting at the very start, up to its punctuation. The name after "Hola" is kept out on
// purpose ("Hola Ana," -> removed as a whole: the greeting carries no support content).
const re2::RE2& greeting_re() {
  static const re2::RE2 re(
      R"(^\s*(?i:hola|buen(?:os|as)?\s+(?:d[ií]as?|tardes|noches)|buen\s+d[ií]a|saludos|)"
      R"(cordial\s+saludo|estimad[oa]s?|apreciad[oa]s?|querid[oa]s?|qu[eé]\s+tal|hello|hi|)"
      R"(good\s+(?:morning|afternoon|evening)|dear)\b(?:[ ,]+(?:(?i:buen(?:os|as)?\s+)"
      R"((?:d[ií]as?|tardes|noches)|buen\s+d[ií]a|qu[eé]\s+tal|equipo|se[ñn]or(?:es|a)?)\b|)"
      R"(\p{Lu}[\p{L}\-]*(?:\s+\p{Lu}[\p{L}\-]*){0,2}))*\s*[,.:;!¡]*\s*)",
      internal::regex_options());
  return re;
}

// A sign-off line and everything after it.
const re2::RE2& signoff_re() {
  static const re2::RE2 re(
      R"((?m)(?:^|\n)\s*(?i:(?:muchas\s+)?gracias(?:\s+de\s+antemano|\s+por\s+su\s+atenci[oó]n)?|)"
      R"(saludos(?:\s+cordiales)?|un\s+saludo|atentamente|cordialmente|quedo\s+atent[oa]|)"
      R"(enviado\s+desde\s+mi\s+\S+|best\s+regards|regards|thanks|sincerely|--)\s*[,.!]*\s*(?:\n[^\n]{0,80}){0,4}\s*$)",
      internal::regex_options());
  return re;
}

const re2::RE2& noise_re() {
  static const re2::RE2 re(
      R"(^(?i:ok|okay|okey|vale|listo|gracias|muchas gracias|mil gracias|si|sí|no|ya|bueno|)"
      R"(perfecto|de acuerdo|entendido|thanks|thank you|yes|hola|buenas|chao|adi[oó]s|bye|)"
      R"(\?+|\.+|jaja+|jeje+|mmm+|aja|ajá)$)",
      internal::regex_options());
  return re;
}

}  // namespace

std::string strip_greetings_and_signature(std::string_view text) {
  std::string s(trim(text));
  re2::StringPiece input(s);
  if (re2::RE2::Consume(&input, greeting_re())) {
    s = std::string(input.data(), input.size());
  }
  re2::StringPiece whole(s);
  re2::StringPiece match;
  if (signoff_re().Match(whole, 0, s.size(), re2::RE2::UNANCHORED, &match, 1)) {
    const size_t at = static_cast<size_t>(match.data() - s.data());
    // Keep the body when the sign-off would swallow most of it (a one-line "Gracias, ..." reply).
    if (at > 0) s.resize(at);
  }
  return std::string(trim(s));
}

bool is_noise_turn(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.empty()) return true;
  bool has_alnum = false;
  for (size_t i = 0; i < t.size();) {
    int32_t cp = 0;
    i += internal::decode_at(t, i, cp);
    if (internal::is_letter(cp) || internal::is_digit_cp(cp)) {
      has_alnum = true;
      break;
    }
  }
  if (!has_alnum) return true;
  std::string stripped(t);
  while (!stripped.empty() && std::string_view(".!¡?¿, ").find(stripped.back()) != std::string_view::npos) {
    stripped.pop_back();
  }
  return re2::RE2::FullMatch(stripped, noise_re());
}

size_t clean_turns(std::vector<Turn>& turns) {
  std::vector<Turn> kept;
  std::set<std::pair<std::string, std::string>> seen;
  size_t dropped = 0;
  for (auto& turn : turns) {
    std::string text = strip_greetings_and_signature(turn.text);
    if (is_noise_turn(text) || !seen.insert({turn.role, text}).second) {
      ++dropped;
      continue;
    }
    kept.push_back({std::move(turn.role), std::move(text)});
  }
  turns = std::move(kept);
  return dropped;
}

}  // namespace atiende::privacy
