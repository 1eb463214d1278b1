#pragma once
/// UTF-8 helpers: validation, normalization (utf8proc), decoding, and code point <-> byte offsets.
///
/// Units: every `*_byte` / `byte` value is a byte offset into the UTF-8 string; every other offset
/// is a Unicode code point index. All functions are thread-safe (no shared state).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::text {

/// Byte offset of the first invalid UTF-8 sequence in `s` (overlongs, surrogates, code points
/// above U+10FFFF and truncated sequences are invalid), or std::string_view::npos when valid.
size_t find_invalid_utf8(std::string_view s);

/// Ok when `s` is valid UTF-8; otherwise invalid_argument "invalid UTF-8 at byte N".
Status validate_utf8(std::string_view s);

/// Copy of `s` where every invalid sequence is replaced by U+FFFD. Valid input is returned as is.
std::string sanitize_utf8(std::string_view s);

enum class NormalForm {
  kNFC,   ///< canonical composition: what the store and chunker keep
  kNFKC,  ///< compatibility composition: fullwidth letters, ligatures and circled digits flattened
};

/// Normalizes valid UTF-8 with utf8proc. Invalid input is an invalid_argument naming the byte.
Result<std::string> normalize(std::string_view s, NormalForm form = NormalForm::kNFC);

/// Decodes the code point starting at byte `pos` and advances `pos` past it. Invalid or
/// truncated sequences yield U+FFFD and advance one byte. Precondition: pos < s.size().
char32_t decode_utf8(std::string_view s, size_t& pos);

/// Appends the UTF-8 encoding of `cp` (U+FFFD for surrogates and values above U+10FFFF).
void append_utf8(std::string& out, char32_t cp);

/// Number of code points in `s` (each invalid byte counts as one, as decode_utf8 sees it).
size_t count_code_points(std::string_view s);

/// Code point index of byte offset `byte` in `s` (counts the code points that start before it).
/// O(byte). For many lookups on one string use OffsetMap.
size_t byte_to_code_point(std::string_view s, size_t byte);

/// Byte offset of code point index `cp` in `s`; s.size() when cp >= count_code_points(s).
size_t code_point_to_byte(std::string_view s, size_t cp);

/// Precomputed offset conversion for one string: O(n) to build, O(1) cp->byte, O(log n)
/// byte->cp. Immutable after construction, so safe to share between threads.
class OffsetMap {
 public:
  explicit OffsetMap(std::string_view s);
  /// Number of code points.
  size_t code_points() const { return starts_.size() - 1; }
  /// Byte offset where code point `cp` starts; total bytes for cp == code_points(); clamped.
  size_t to_byte(size_t cp) const;
  /// Index of the code point containing byte `byte` (a byte inside a multi-byte sequence maps to
  /// that code point); code_points() for byte >= total bytes.
  size_t to_code_point(size_t byte) const;

 private:
  std::vector<uint32_t> starts_;  ///< byte start of each code point, plus the total size
};

}  // namespace atiende::text
