#include "ingest/text_ops.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

#include "common/strings.h"

namespace atiende::ingest {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool starts_sentence(std::string_view text, size_t i) {
  if (i >= text.size()) return true;
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '"' || c == '(' || c == '-') {
    return true;
  }
  // ¿ ¡ and upper-case Latin-1 letters (Á É Í Ó Ú Ñ Ü) start with 0xC2/0xC3.
  if (c == 0xC2 && i + 1 < text.size()) {
    const unsigned char d = static_cast<unsigned char>(text[i + 1]);
    return d == 0xBF || d == 0xA1;
  }
  if (c == 0xC3 && i + 1 < text.size()) {
    const unsigned char d = static_cast<unsigned char>(text[i + 1]);
    return d >= 0x80 && d <= 0x9E;
  }
  return false;
}

}  // namespace

Result<std::string> normalize_document_text(std::string_view text) {
  utf8proc_uint8_t* out = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE);
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                   static_cast<utf8proc_ssize_t>(text.size()), &out, options);
  if (n < 0) {
    return Status::invalid_argument(std::string("cannot normalize text: ") + utf8proc_errmsg(n));
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> guard(out, &std::free);
  std::string_view nfc(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::string clean;
  clean.reserve(nfc.size());
  for (size_t i = 0; i < nfc.size(); ++i) {
    const char c = nfc[i];
    if (c == '\r') {
      if (i + 1 < nfc.size() && nfc[i + 1] == '\n') continue;
      while (!clean.empty() && (clean.back() == ' ' || clean.back() == '\t')) clean.pop_back();
      clean += '\n';
      continue;
    }
    if (c == '\n') {
      while (!clean.empty() && (clean.back() == ' ' || clean.back() == '\t')) clean.pop_back();
      clean += '\n';
      continue;
    }
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F) continue;
    clean += c;
  }
  while (!clean.empty() && is_space(clean.back())) clean.pop_back();
  return clean;
}

std::vector<ByteSpan> sentence_spans(std::string_view text) {
  std::vector<ByteSpan> spans;
  size_t begin = 0;
  auto emit = [&](size_t end) {
    size_t b = begin;
    while (b < end && is_space(text[b])) ++b;
    size_t e = end;
    while (e > b && is_space(text[e - 1])) --e;
    if (e > b) spans.push_back({b, e});
    begin = end;
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n') {
      emit(i);
      continue;
    }
    if (c == '.' || c == '!' || c == '?' || c == ';') {
      size_t j = i + 1;
      while (j < text.size() && (text[j] == '.' || text[j] == '"' || text[j] == ')')) ++j;
      if (j < text.size() && text[j] == ' ') {
        size_t k = j;
        while (k < text.size() && text[k] == ' ') ++k;
        // "Sr. Pérez", "p. ej." and decimals are not ends: require a sentence-like start.
        if (starts_sentence(text, k) && c != ';') {
          emit(j);
          i = j - 1;
        }
      }
    }
  }
  emit(text.size());
  return spans;
}

std::string detect_language(std::string_view text) {
  static const char* kEs[] = {"de", "la", "que", "el", "en", "los", "del", "se", "las", "por",
                              "un", "para", "con", "una", "su", "al", "es", "lo", "como", "tu"};
  static const char* kEn[] = {"the", "of", "and", "to", "in", "is", "you", "that", "it", "for",
                              "your", "on", "with", "are", "be", "this", "can", "or", "if", "an"};
  int es = 0;
  int en = 0;
  size_t i = 0;
  int words = 0;
  while (i < text.size() && words < 2000) {
    while (i < text.size() && !std::isalpha(static_cast<unsigned char>(text[i]))) ++i;
    size_t j = i;
    while (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) ++j;
    if (j == i) break;
    const std::string word = ascii_lower(text.substr(i, j - i));
    ++words;
    for (const char* w : kEs) es += word == w;
    for (const char* w : kEn) en += word == w;
    i = j;
  }
  return en > es ? "en" : "es";
}

size_t count_tokens(std::string_view text) { return approximate_tokens(text); }

}  // namespace atiende::ingest
