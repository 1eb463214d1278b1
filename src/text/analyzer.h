#pragma once
/// Analyzer: text -> index terms for Spanish ("es") and English ("en").
///
/// Pipeline for a word: casefold -> accent fold (ñ kept distinct from n, ü -> u) -> restore the
/// Spanish accent of a few suffixes Snowball needs (-cion -> -ción, -sion -> -sión, -logia ->
/// -logía) -> Snowball stem -> accent fold. Because the stemmer sees a canonical form that depends
/// only on the folded word, "teléfono", "telefono", "TELÉFONOS" and "Teléfonos" give one term, and
/// so do "facturación", "facturacion" and "facturas" ("factur"). "año" and "ano" stay different.
///
/// Telecom tokens are kept whole (never stemmed): "5G" -> "5g"; "4GB" and "4 GB" -> "4gb"; phone
/// numbers such as "+57 300 123 4567" or "300-123-4567" -> their digits "573001234567";
/// versions such as "iPhone 15" -> "iphone", "15" plus the compound "iphone15" at the number's
/// position. Numbers are kept ("1.5", "2024"). Stopwords come from own lists in the repo.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::text {

enum class TokenKind : uint8_t {
  kWord,      ///< letters: stemmed term
  kNumber,    ///< digits with optional inner '.' or ',' ("1.5", "2024")
  kAlnum,     ///< letters and digits mixed ("5g", "s24", "4gb", "lte4")
  kPhone,     ///< a phone-like digit sequence, term = digits only
  kCompound,  ///< extra term for "word number" versions ("iphone15"), same position as number
};

/// One emitted term with where it came from in the input.
struct Token {
  std::string term;        ///< the index term (lower-case, stemmed, accent-folded)
  uint32_t start_byte = 0;  ///< byte offset in the analyzed text
  uint32_t end_byte = 0;    ///< byte offset, exclusive
  uint32_t start = 0;       ///< code point offset in the analyzed text
  uint32_t end = 0;         ///< code point offset, exclusive
  uint32_t position = 0;    ///< word position (stopwords count, so phrase gaps are preserved)
  TokenKind kind = TokenKind::kWord;
};

struct AnalyzerOptions {
  bool remove_stopwords = true;
  bool stem = true;
};

/// Immutable after creation; analyze() is thread-safe (each thread uses its own Snowball stemmer
/// and a per-thread term cache).
class Analyzer {
 public:
  /// `language` is "es" or "en" (anything else is invalid_argument).
  static Result<Analyzer> create(std::string_view language, AnalyzerOptions options = {});
  /// The analyzer for a language code, falling back to Spanish for unknown codes. Shared
  /// instances, never null; lifetime is the program's.
  static const Analyzer& for_language(std::string_view language);

  const std::string& language() const { return language_; }

  /// Tokens of `text` in order. Invalid UTF-8 bytes act as separators (never crash).
  std::vector<Token> analyze(std::string_view text) const;
  /// Only the terms of analyze(), in order.
  std::vector<std::string> terms(std::string_view text) const;
  /// Appends the terms of `text` to `out` without offsets (fast path for indexing).
  void append_terms(std::string_view text, std::vector<std::string>& out) const;

  /// The term of one word (no stopword removal): e.g. "TELÉFONOS" -> "telefon".
  std::string term_of_word(std::string_view word) const;
  /// True when the casefolded, accent-folded `word` is a stopword of this language.
  bool is_stopword(std::string_view word) const;

 private:
  Analyzer(std::string language, AnalyzerOptions options) :
      language_(std::move(language)), options_(options) {}
  std::string language_;
  AnalyzerOptions options_;
};

/// Casefold + accent fold keeping ñ (and Ñ -> ñ); ü -> u; compatibility forms flattened
/// (NFKC): "Teléfono ÑANDÚ" -> "telefono ñandu". Invalid bytes become U+FFFD.
std::string fold(std::string_view text);

/// True when `folded` (output of fold()) is a stopword of `language` ("es" or "en").
bool is_stopword(std::string_view language, std::string_view folded);

}  // namespace atiende::text
