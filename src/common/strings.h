#pragma once
/// Small string helpers (ASCII only; Unicode-aware text processing lives in text/).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atiende {

/// Removes ASCII whitespace at both ends. The view points into `s`.
std::string_view trim(std::string_view s);
/// Splits on every `separator`; keeps empty parts. Views point into `s`.
std::vector<std::string_view> split(std::string_view s, char separator);
/// ASCII lower-case copy (bytes >= 0x80 are kept as they are).
std::string ascii_lower(std::string_view s);
/// Joins with `separator`.
std::string join(const std::vector<std::string>& parts, std::string_view separator);
/// Whole-string base-10 parse; std::nullopt on any junk or overflow.
std::optional<int64_t> parse_int64(std::string_view s);
/// Whole-string parse of a finite double; std::nullopt on junk.
std::optional<double> parse_double(std::string_view s);
/// Lower-case hex of bytes.
std::string to_hex(std::string_view bytes);

}  // namespace atiende
