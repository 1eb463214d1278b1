#pragma once
/// Python `str` semantics on code points, for metrics that must match Python reference
/// implementations (sacreBLEU, rouge-score) bit for bit: whitespace as `str.isspace`, `str.split()`,
/// `str.rstrip()`, `str.lower()` (full lower-case mapping incl. U+0130 and final sigma) and the
/// Unicode general categories used by the `regex` module's \p{N}, \p{P}, \p{S}.
/// All functions are pure and thread-safe.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::eval {

/// Decodes UTF-8 into code points. Invalid UTF-8 (overlong, surrogates, truncated) is an error
/// naming the byte offset; `what` names the input in the message (e.g. "hyp line 3").
Result<std::u32string> decode_utf8(std::string_view text, std::string_view what = "text");
/// Encodes code points as UTF-8 (input is assumed valid: no surrogates, <= U+10FFFF).
std::string encode_utf8(std::u32string_view text);

/// Python's str.isspace for one code point.
bool py_isspace(char32_t c);
/// Python's str.split() without arguments: runs of whitespace separate, no empty parts.
std::vector<std::u32string> py_split(std::u32string_view text);
/// Python's ' '.join(text.split()).
std::u32string py_normalize_spaces(std::u32string_view text);
/// Python's str.rstrip() without arguments.
std::u32string_view py_rstrip(std::u32string_view text);
/// Python's str.lower(): Unicode full lower-case mapping (U+0130 becomes "i\u0307", capital sigma
/// becomes final sigma at the end of a word).
std::u32string py_lower(std::u32string_view text);

/// Unicode general category tests (Unicode version of utf8proc).
bool is_unicode_number(char32_t c);       ///< Nd, Nl, No
bool is_unicode_punctuation(char32_t c);  ///< Pc, Pd, Ps, Pe, Pi, Pf, Po
bool is_unicode_symbol(char32_t c);       ///< Sm, Sc, Sk, So
bool is_unicode_letter(char32_t c);       ///< Lu, Ll, Lt, Lm, Lo
bool is_unicode_mark(char32_t c);         ///< Mn, Mc, Me

/// NFC normalization (composes "n" + U+0303 into "ñ"). Input must be valid.
std::u32string nfc(std::u32string_view text);
/// Removes accents: canonical decomposition, then drops combining marks ("Ñandú" -> "Nandu").
std::u32string strip_accents(std::u32string_view text);

}  // namespace atiende::eval
