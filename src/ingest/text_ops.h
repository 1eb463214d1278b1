#pragma once
/// The text operations ingest needs, in one place: normalization, sentence spans, language and
/// token counts. Backed by the text/ module.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/chunker.h"

namespace atiende::ingest {

/// NFC, "\r\n" and "\r" -> "\n", control characters other than "\n" and "\t" removed, trailing
/// spaces of lines removed. Invalid UTF-8 is invalid_argument naming the byte.
Result<std::string> normalize_document_text(std::string_view text);

/// Sentence byte spans of normalized text (a line break also ends a sentence).
std::vector<ByteSpan> sentence_spans(std::string_view text);

/// "es" or "en".
std::string detect_language(std::string_view text);

/// Token count used for chunk budgets.
size_t count_tokens(std::string_view text);

}  // namespace atiende::ingest
