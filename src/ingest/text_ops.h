#pragma once
/// The text operations ingest needs, in one place, on top of the text/ module: normalization,
/// sentence spans, language and token counts.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/chunker.h"

namespace atiende::ingest {

/// NFC (text::normalize), "\r\n" and "\r" -> "\n", control characters other than "\n" and "\t"
/// removed, trailing spaces of lines and of the text removed. Invalid UTF-8 is invalid_argument
/// naming the byte.
Result<std::string> normalize_document_text(std::string_view text);

/// Sentence byte spans of normalized text (text::split_sentences).
std::vector<ByteSpan> sentence_spans(std::string_view text, std::string_view language = "es");

/// "es" or "en" (text::detect_language).
std::string detect_language(std::string_view text);

/// Token count used for chunk budgets (text::approx_token_count).
size_t count_tokens(std::string_view text);

}  // namespace atiende::ingest
