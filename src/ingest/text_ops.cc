#include "ingest/text_ops.h"

#include "text/language.h"
#include "text/sentences.h"
#include "text/token_count.h"
#include "text/utf8.h"

namespace atiende::ingest {

Result<std::string> normalize_document_text(std::string_view text) {
  ATIENDE_ASSIGN_OR_RETURN(std::string nfc, text::normalize(text, text::NormalForm::kNFC));
  std::string clean;
  clean.reserve(nfc.size());
  auto trim_line_end = [&clean] {
    while (!clean.empty() && (clean.back() == ' ' || clean.back() == '\t')) clean.pop_back();
  };
  for (size_t i = 0; i < nfc.size(); ++i) {
    const char c = nfc[i];
    if (c == '\r') {
      if (i + 1 < nfc.size() && nfc[i + 1] == '\n') continue;
      trim_line_end();
      clean += '\n';
      continue;
    }
    if (c == '\n') {
      trim_line_end();
      clean += '\n';
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) continue;
    clean += c;
  }
  while (!clean.empty() &&
         (clean.back() == ' ' || clean.back() == '\t' || clean.back() == '\n')) {
    clean.pop_back();
  }
  return clean;
}

std::vector<ByteSpan> sentence_spans(std::string_view text, std::string_view language) {
  std::vector<ByteSpan> spans;
  for (const auto& s : text::split_sentences(text, language)) {
    spans.push_back({s.start_byte, s.end_byte});
  }
  return spans;
}

std::string detect_language(std::string_view text) {
  return text::detect_language(text, "es").language;
}

size_t count_tokens(std::string_view text) { return text::approx_token_count(text); }

}  // namespace atiende::ingest
