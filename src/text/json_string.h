#pragma once
/// JSON string literals written straight into a buffer, for the hot paths that send text every
/// token or every turn (SSE frames, the upstream prompt) and should not build a JSON tree for it.

#include <string>
#include <string_view>

namespace atiende::text {

/// Appends `text` to `out` as a JSON string literal, quotes included: `"` and `\` escaped,
/// control characters as \n, \t, \r, \b, \f or \u00XX, everything else (UTF-8) as is. Invalid
/// UTF-8 sequences are replaced with U+FFFD, as the JSON library's dump does, so the output is
/// always valid JSON. At most one reallocation of `out`.
void append_json_string(std::string& out, std::string_view text);

}  // namespace atiende::text
