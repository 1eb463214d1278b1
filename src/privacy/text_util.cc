#include "privacy/text_util.h"

#include <algorithm>
#include <numeric>

#include <utf8proc.h>

namespace atiende::privacy::internal {
namespace {

// Folding of the Latin-1 supplement letters U+00C0..U+00FF to ASCII lower-case (0 = not a letter).
constexpr const char* kLatin1Fold =
    "aaaaaaaceeeeiiii"  // C0-CF
    "dnooooo\0ouuuuyts"  // D0-DF (D7 multiplication sign -> 0, DE thorn -> t, DF sharp s -> s)
    "aaaaaaaceeeeiiii"  // E0-EF
    "dnooooo\0ouuuuyty";  // F0-FF

bool ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

size_t decode_at(std::string_view text, size_t pos, int32_t& code_point) {
  const auto c = static_cast<unsigned char>(text[pos]);
  if (c < 0x80) {
    code_point = c;
    return 1;
  }
  utf8proc_int32_t cp = 0;
  const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + pos),
                                  static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
  if (n <= 0) {
    code_point = 0xFFFD;
    return 1;
  }
  code_point = cp;
  return static_cast<size_t>(n);
}

bool is_letter(int32_t cp) {
  if (cp < 0x80) return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  const auto cat = utf8proc_category(cp);
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}

bool is_upper(int32_t cp) {
  if (cp < 0x80) return cp >= 'A' && cp <= 'Z';
  const auto cat = utf8proc_category(cp);
  return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

bool is_lower(int32_t cp) {
  if (cp < 0x80) return cp >= 'a' && cp <= 'z';
  return utf8proc_category(cp) == UTF8PROC_CATEGORY_LL;
}

bool is_digit_cp(int32_t cp) { return cp >= '0' && cp <= '9'; }

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : static_cast<char>(c));
      ++i;
      continue;
    }
    int32_t cp = 0;
    const size_t n = decode_at(text, i, cp);
    if (cp >= 0xC0 && cp <= 0xFF && kLatin1Fold[cp - 0xC0] != '\0') {
      out.push_back(kLatin1Fold[cp - 0xC0]);
    } else if (cp == 0xFFFD && n == 1) {
      // Invalid byte: keep a placeholder so that offsets of later words stay meaningful.
      out.push_back('?');
    } else {
      utf8proc_uint8_t* mapped = nullptr;
      const auto len = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i),
                                    static_cast<utf8proc_ssize_t>(n), &mapped,
                                    static_cast<utf8proc_option_t>(
                                        UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD |
                                        UTF8PROC_STRIPMARK));
      if (len > 0 && mapped != nullptr) {
        out.append(reinterpret_cast<const char*>(mapped), static_cast<size_t>(len));
      } else {
        out.append(text.substr(i, n));
      }
      std::free(mapped);
    }
    i += n;
  }
  return out;
}

std::vector<size_t> code_points_at(std::string_view text, const std::vector<size_t>& byte_offsets) {
  std::vector<size_t> order(byte_offsets.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return byte_offsets[a] < byte_offsets[b]; });
  std::vector<size_t> result(byte_offsets.size(), 0);
  size_t byte = 0;
  size_t cps = 0;
  for (size_t idx : order) {
    const size_t target = std::min(byte_offsets[idx], text.size());
    while (byte < target) {
      // Count lead bytes only (continuation bytes are 10xxxxxx).
      if ((static_cast<unsigned char>(text[byte]) & 0xC0) != 0x80) ++cps;
      ++byte;
    }
    result[idx] = cps;
  }
  return result;
}

ContextWords::ContextWords(const std::vector<std::string>& words) {
  for (const auto& w : words) {
    std::string f = fold(w);
    if (f.empty()) continue;
    // A phrase of plain tokens separated by single spaces goes to the token index.
    std::vector<std::string> tokens;
    bool plain = f.front() != ' ' && f.back() != ' ';
    size_t start = 0;
    for (size_t i = 0; plain && i <= f.size(); ++i) {
      if (i == f.size() || f[i] == ' ') {
        if (i == start) plain = false;  // double space
        else tokens.push_back(f.substr(start, i - start));
        start = i + 1;
      } else if (!ascii_alnum(f[i])) {
        plain = false;
      }
    }
    if (plain) {
      by_last_token_[tokens.back()].push_back(phrases_.size());
      phrases_.push_back(std::move(tokens));
    } else {
      literals_.push_back(std::move(f));
    }
  }
}

namespace {

struct Token {
  size_t start;
  size_t end;
};

/// Runs of ASCII letters/digits of `text` (anything else separates them, as ascii_boundary does).
void tokenize(const std::string& text, std::vector<Token>& out) {
  out.clear();
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && !ascii_alnum(text[i])) ++i;
    const size_t start = i;
    while (i < text.size() && ascii_alnum(text[i])) ++i;
    if (i > start) out.push_back({start, i});
  }
}

}  // namespace

bool ContextWords::found_near(std::string_view text, size_t start_byte, size_t end_byte,
                              size_t window_bytes, size_t after_bytes, size_t* distance) const {
  if (empty()) return false;
  const size_t from = start_byte > window_bytes ? start_byte - window_bytes : 0;
  const std::string before = fold(text.substr(from, start_byte - from));
  const size_t after_end = std::min(text.size(), end_byte + after_bytes);
  const std::string after =
      after_bytes > 0 ? fold(text.substr(end_byte, after_end - end_byte)) : std::string();
  bool found = false;
  size_t best = std::string::npos;
  // Token-indexed phrases: every window token that ends a phrase, checked backwards.
  thread_local std::vector<Token> tokens;
  auto scan = [&](const std::string& hay, bool is_before) {
    tokenize(hay, tokens);
    std::string key;
    for (size_t t = 0; t < tokens.size(); ++t) {
      key.assign(hay, tokens[t].start, tokens[t].end - tokens[t].start);
      auto it = by_last_token_.find(key);
      if (it == by_last_token_.end()) continue;
      for (size_t index : it->second) {
        const auto& phrase = phrases_[index];
        if (phrase.size() > t + 1) continue;
        bool match = true;
        for (size_t k = 1; k < phrase.size() && match; ++k) {
          const Token& tok = tokens[t - k];
          const Token& next = tokens[t - k + 1];
          match = next.start == tok.end + 1 && hay[tok.end] == ' ' &&
                  hay.compare(tok.start, tok.end - tok.start, phrase[phrase.size() - 1 - k]) == 0;
        }
        if (!match) continue;
        found = true;
        const size_t first = tokens[t + 1 - phrase.size()].start;
        best = std::min(best, is_before ? hay.size() - tokens[t].end : first);
      }
    }
  };
  scan(before, true);
  if (!after.empty()) scan(after, false);
  auto whole_word = [](const std::string& hay, size_t pos, size_t len) {
    const bool left_ok = pos == 0 || !ascii_alnum(hay[pos - 1]);
    const bool right_ok = pos + len >= hay.size() || !ascii_alnum(hay[pos + len]);
    return left_ok && right_ok;
  };
  for (const auto& w : literals_) {
    for (size_t pos = before.rfind(w); pos != std::string::npos;
         pos = pos == 0 ? std::string::npos : before.rfind(w, pos - 1)) {
      if (whole_word(before, pos, w.size())) {
        found = true;
        best = std::min(best, before.size() - (pos + w.size()));
        break;
      }
    }
    if (!after.empty()) {
      for (size_t pos = after.find(w); pos != std::string::npos; pos = after.find(w, pos + 1)) {
        if (whole_word(after, pos, w.size())) {
          found = true;
          best = std::min(best, pos);
          break;
        }
      }
    }
  }
  if (distance != nullptr) *distance = best;
  return found;
}

bool ascii_boundary(std::string_view text, size_t pos, size_t end) {
  const bool left = pos == 0 || !ascii_alnum(text[pos - 1]);
  const bool right = end >= text.size() || !ascii_alnum(text[end]);
  return left && right;
}

}  // namespace atiende::privacy::internal
