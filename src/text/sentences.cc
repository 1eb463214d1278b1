#include "text/sentences.h"

#include <utf8proc.h>

#include <string>

#include "text/analyzer.h"
#include "text/utf8.h"

namespace atiende::text {
namespace {

bool is_space(char32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x2028 ||
         c == 0x2029 || c == 0x3000 || c == '\f' || c == '\v';
}
bool is_terminal(char32_t c) { return c == '.' || c == '!' || c == '?' || c == 0x2026; }
bool is_closer(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
         c == 0xBB;
}
bool is_letter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  const auto cat = utf8proc_category(static_cast<utf8proc_int32_t>(c));
  return cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO;
}
bool is_lower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return utf8proc_category(static_cast<utf8proc_int32_t>(c)) == UTF8PROC_CATEGORY_LL;
}
bool is_bullet(char32_t c) {
  return c == '-' || c == '*' || c == 0x2022 || c == 0xB7 || c == '#' || c == '>' || c == '|' ||
         c == 0x2013 || c == 0x2014 || c == 0x25AA || c == 0x25CF;
}

bool is_abbreviation(std::string_view folded, std::string_view language) {
  static constexpr std::string_view kCommon[] = {
      "sr",  "sra", "srta", "sres", "sras", "dr",  "dra",  "dres", "lic", "lda",  "ldo",
      "ing", "arq", "prof", "profa", "num", "nro", "nº",   "pag",  "pags", "av",  "avda",
      "cra", "cll", "cl",   "tel",  "telf", "tlf", "ext",  "art",  "cap", "vol",  "fig",
      "ej",  "aprox", "apdo", "dpto", "depto", "dto", "uds", "ud", "vd",  "vds",  "uu",
      "ee",  "cia", "gral", "pza",  "bco",  "min", "max", "mr",   "mrs", "ms",   "jr",
      "st",  "vs",  "approx", "dept", "inc", "ltd", "corp", "no"};
  for (auto a : kCommon) {
    // "no." ends Spanish sentences ("digo que no."); only English uses it as "number".
    if (a == "no" && language != "en") continue;
    if (folded == a) return true;
  }
  return false;
}

}  // namespace

std::vector<SentenceSpan> split_sentences(std::string_view text, std::string_view language) {
  std::vector<char32_t> cps;
  std::vector<uint32_t> bytes;
  cps.reserve(text.size());
  bytes.reserve(text.size() + 1);
  for (size_t pos = 0; pos < text.size();) {
    bytes.push_back(static_cast<uint32_t>(pos));
    cps.push_back(decode_utf8(text, pos));
  }
  bytes.push_back(static_cast<uint32_t>(text.size()));
  const size_t n = cps.size();

  std::vector<SentenceSpan> out;
  auto emit = [&](size_t from, size_t to) {
    while (from < to && is_space(cps[from])) ++from;
    while (to > from && is_space(cps[to - 1])) --to;
    if (from >= to) return;
    out.push_back(SentenceSpan{static_cast<uint32_t>(from), static_cast<uint32_t>(to), bytes[from],
                               bytes[to]});
  };
  auto next_non_space = [&](size_t k) {
    while (k < n && is_space(cps[k])) ++k;
    return k;
  };

  size_t start = 0;
  size_t line_start = 0;
  for (size_t i = 0; i < n; ++i) {
    const char32_t c = cps[i];
    if (c == '\n') {
      size_t k = i + 1;
      bool blank = false;
      while (k < n && is_space(cps[k])) {
        if (cps[k] == '\n') blank = true;
        ++k;
      }
      bool boundary = blank || k >= n;
      if (!boundary) {
        // Next line starts with a bullet, heading, or "1." / "2)" list marker?
        if (is_bullet(cps[k])) boundary = true;
        size_t d = k;
        while (d < n && cps[d] >= '0' && cps[d] <= '9') ++d;
        if (d > k && d + 1 < n && (cps[d] == '.' || cps[d] == ')') && is_space(cps[d + 1])) {
          boundary = true;
        }
        // Line before ends in punctuation, or is short (a heading).
        size_t p = i;
        while (p > line_start && is_space(cps[p - 1])) --p;
        if (p > line_start) {
          const char32_t last = cps[p - 1];
          if (is_terminal(last) || last == ':' || last == ';' || is_closer(last)) boundary = true;
          if (p - line_start < 50) boundary = true;
        }
      }
      if (boundary) {
        emit(start, i);
        start = i + 1;
      }
      line_start = i + 1;
      continue;
    }
    if (!is_terminal(c)) continue;
    size_t j = i + 1;
    while (j < n && (is_terminal(cps[j]) || is_closer(cps[j]))) ++j;
    if (j >= n) {
      emit(start, n);
      start = n;
      break;
    }
    if (!is_space(cps[j])) {
      i = j - 1;
      continue;  // "1.5", "www.unaempresa.co", "¿Qué?,"
    }
    const size_t k = next_non_space(j);
    if (k >= n) {
      emit(start, n);
      start = n;
      break;
    }
    bool split = !is_lower(cps[k]);
    if (split && c == '.') {
      // A list marker "1." at the start of a line.
      size_t d = i;
      while (d > line_start && cps[d - 1] >= '0' && cps[d - 1] <= '9') --d;
      size_t s = d;
      while (s > line_start && is_space(cps[s - 1])) --s;
      if (d < i && s == line_start) split = false;
    }
    if (split && c == '.' && j == i + 1) {
      size_t w = i;
      while (w > 0 && (is_letter(cps[w - 1]) || cps[w - 1] == 0xBA)) --w;
      const size_t len = i - w;
      if (len == 1 && (w == 0 || !is_letter(cps[w - 1]))) {
        split = false;  // an initial: "J. Pérez"
      } else if (len > 0) {
        const std::string word = fold(text.substr(bytes[w], bytes[i] - bytes[w]));
        if (is_abbreviation(word, language)) split = false;
      }
    }
    if (split) {
      emit(start, j);
      start = j;
    }
    i = j - 1;
  }
  if (start < n) emit(start, n);
  return out;
}

}  // namespace atiende::text
