#include "text/token_count.h"

#include <utf8proc.h>

#include "text/utf8.h"

namespace atiende::text {
namespace {

enum class Kind { kSpace, kLetter, kDigit, kIdeograph, kOther };

Kind kind_of(char32_t cp) {
  if (cp < 0x80) {
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r') return Kind::kSpace;
    if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return Kind::kLetter;
    if (cp >= '0' && cp <= '9') return Kind::kDigit;
    return Kind::kOther;
  }
  if ((cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x3400 && cp <= 0x9FFF) ||
      (cp >= 0xAC00 && cp <= 0xD7AF)) {
    return Kind::kIdeograph;
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
      return Kind::kLetter;
    case UTF8PROC_CATEGORY_ND:
      return Kind::kDigit;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
      return Kind::kSpace;
    default:
      return Kind::kOther;
  }
}

}  // namespace

size_t approx_token_count(std::string_view text) {
  size_t tokens = 0;
  size_t run = 0;
  Kind run_kind = Kind::kSpace;
  auto flush = [&] {
    if (run == 0) return;
    if (run_kind == Kind::kLetter) tokens += (run + 3) / 4;
    if (run_kind == Kind::kDigit) tokens += (run + 2) / 3;
    run = 0;
  };
  size_t pos = 0;
  while (pos < text.size()) {
    // ASCII needs no decoding (decode_utf8 reads one byte for it too): history is counted every
    // turn and is mostly ASCII.
    const auto byte = static_cast<unsigned char>(text[pos]);
    const char32_t cp = byte < 0x80 ? (++pos, char32_t{byte}) : decode_utf8(text, pos);
    const Kind k = kind_of(cp);
    if (k == Kind::kLetter || k == Kind::kDigit) {
      if (k != run_kind) flush();
      run_kind = k;
      ++run;
      continue;
    }
    flush();
    run_kind = k;
    if (k == Kind::kOther || k == Kind::kIdeograph) ++tokens;
  }
  flush();
  return tokens;
}

}  // namespace atiende::text
