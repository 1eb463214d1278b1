#pragma once
/// sacreBLEU 2.x tokenizers, reproduced exactly on code points: "13a" (mteval-v13a),
/// "intl" (TokenizerV14International: Unicode punctuation and symbols), "char", "none", and the
/// Tercom normalizer used by TER. Output is the tokenized line with single spaces between tokens
/// (what sacreBLEU then splits with str.split()). Pure functions, thread-safe.

#include <optional>
#include <string>
#include <string_view>

namespace atiende::eval {

/// The BLEU tokenizers of sacreBLEU.
enum class SacreTokenizer { k13a, kIntl, kChar, kNone };

/// Parses "13a", "intl", "char", "none"; std::nullopt otherwise.
std::optional<SacreTokenizer> parse_sacre_tokenizer(std::string_view name);
/// The name used in signatures ("13a", "intl", "char", "none").
std::string_view sacre_tokenizer_name(SacreTokenizer tokenizer);

/// Applies a tokenizer to one line (already lower-cased / right-stripped by the caller).
std::u32string sacre_tokenize(SacreTokenizer tokenizer, std::u32string_view line);

/// Options of sacreBLEU's TercomTokenizer.
struct TercomOptions {
  bool normalized = false;      ///< tokenize punctuation (Western rules)
  bool no_punct = false;        ///< remove . , ? : ; ! " ( )
  bool case_sensitive = false;  ///< false lower-cases first (sacreBLEU's default)
};

/// sacreBLEU's TercomTokenizer (without Asian support).
std::u32string tercom_tokenize(std::u32string_view line, const TercomOptions& options);

}  // namespace atiende::eval
