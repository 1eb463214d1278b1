#pragma once
/// Internal helpers of the privacy module (not part of its public interface): code point
/// classification, accent/case folding for gazetteer keys, and context-word lookup.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atiende::privacy::internal {

/// Decodes the code point at `pos` (bytes) and returns its byte length (>= 1). Invalid bytes
/// decode as U+FFFD with length 1, so that callers never loop forever.
size_t decode_at(std::string_view text, size_t pos, int32_t& code_point);

bool is_letter(int32_t cp);
bool is_upper(int32_t cp);
bool is_lower(int32_t cp);
bool is_digit_cp(int32_t cp);

/// Lower-case, accents removed ("Cédula" -> "cedula", "ÑOÑO" -> "nono"). Stable and cheap for
/// Latin text; used for gazetteer keys, context words and pseudonym normalization.
std::string fold(std::string_view text);

/// Code point index of every byte offset is expensive; this maps sorted byte offsets to code
/// point offsets in one pass. `byte_offsets` need not be sorted; results match their order.
std::vector<size_t> code_points_at(std::string_view text, const std::vector<size_t>& byte_offsets);

/// A list of folded context words/phrases ("cedula", "c.c", "numero de documento").
class ContextWords {
 public:
  ContextWords() = default;
  explicit ContextWords(const std::vector<std::string>& words);
  /// True when one of the words occurs as a whole word in the `window_bytes` bytes before
  /// `start_byte` (or `after_bytes` after `end_byte`). Returns the distance in bytes from the
  /// match to the nearest occurrence through `distance` (when not null).
  bool found_near(std::string_view text, size_t start_byte, size_t end_byte, size_t window_bytes,
                  size_t after_bytes, size_t* distance = nullptr) const;
  bool empty() const { return phrases_.empty() && literals_.empty(); }

 private:
  /// Words and phrases of plain ASCII letters/digits ("cedula", "numero de documento") are
  /// matched token by token through `by_last_token_` (one hash lookup per token of the window);
  /// the rest ("c.c", "tel.", "$") by substring search.
  std::vector<std::vector<std::string>> phrases_;
  std::unordered_map<std::string, std::vector<size_t>> by_last_token_;
  std::vector<std::string> literals_;
};

/// True when the byte before `pos` is not an ASCII letter or digit (or pos == 0) and the byte at
/// `end` is not one either. Used to check word boundaries of numeric matches.
bool ascii_boundary(std::string_view text, size_t pos, size_t end);

}  // namespace atiende::privacy::internal
