#pragma once
/// Sentence splitter for Spanish and English.
///
/// A sentence ends at '.', '!', '?', '…' (or runs of them, with closing quotes/brackets) when the
/// next non-space character starts a sentence (upper-case letter, digit, '¿', '¡', quote, bullet)
/// and the word before a '.' is not an abbreviation (Sr. Sra. Dr. Dra. núm. pág. Av. Cra. etc.)
/// or a single initial. Decimals ("1.5") never split. A blank line always ends a sentence; a single
/// newline ends one when the next line starts with a bullet or heading marker, or when the line
/// before ends in punctuation or is short (a heading); otherwise it is wrapped text.

#include <cstdint>
#include <string_view>
#include <vector>

namespace atiende::text {

/// One sentence, trimmed of surrounding whitespace. Non-empty.
struct SentenceSpan {
  uint32_t start = 0;       ///< code point offset
  uint32_t end = 0;         ///< code point offset, exclusive
  uint32_t start_byte = 0;  ///< byte offset
  uint32_t end_byte = 0;    ///< byte offset, exclusive
};

/// Sentences of `text` in order. `language` ("es" / "en") picks the abbreviation list; both lists
/// are small and the Spanish one is used for anything else. Thread-safe. Invalid UTF-8 bytes are
/// treated as ordinary characters (never crash).
std::vector<SentenceSpan> split_sentences(std::string_view text, std::string_view language = "es");

}  // namespace atiende::text
