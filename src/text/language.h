#pragma once
/// Language identification for Spanish and English, with no download: character trigram
/// profiles generated from sample text shipped in the repo (src/text/language_samples/, see
/// gen_language_profiles.py) plus stopword evidence and a few decisive characters (ñ ¿ ¡ and
/// accented vowels for Spanish).

#include <string>
#include <string_view>

namespace atiende::text {

struct LanguageGuess {
  std::string language;     ///< "es" or "en"; the fallback when evidence is absent
  double confidence = 0.0;  ///< 0.5 (no evidence) .. 1.0 (certain)
};

/// Detects the language of a document (uses up to the first 4,000 bytes). Empty or
/// letter-free text gives `fallback` with confidence 0.5. Thread-safe.
LanguageGuess detect_language(std::string_view text, std::string_view fallback = "es");

/// Short-text mode for single chat messages ("hola", "my bill is wrong"): leans more on stopwords
/// and greetings, and keeps `fallback` (e.g. the conversation's language so far) unless the
/// evidence is clear (confidence of the other language >= 0.75).
LanguageGuess detect_language_short(std::string_view text, std::string_view fallback = "es");

}  // namespace atiende::text
