#include "text/analyzer.h"

#include <libstemmer.h>
#include <utf8proc.h>

#include <array>
#include <cstring>
#include <unordered_map>

#include "text/utf8.h"

namespace atiende::text {
namespace {

// ---------------------------------------------------------------- character classes

enum class CharClass : uint8_t { kOther, kLetter, kDigit, kMark };

CharClass classify(char32_t cp) {
  if (cp < 0x80) {
    if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) return CharClass::kLetter;
    if (cp >= '0' && cp <= '9') return CharClass::kDigit;
    return CharClass::kOther;
  }
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
      return CharClass::kLetter;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
      return CharClass::kMark;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO:
      return CharClass::kDigit;
    default:
      return CharClass::kOther;
  }
}

/// Appends the fold of one code point (`next` is the following code point, to catch a
/// decomposed ñ: n + U+0303).
void fold_code_point(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp));
    return;
  }
  if (cp == 0xF1 || cp == 0xD1) {
    out.append("\xC3\xB1");  // ñ
    return;
  }
  std::array<utf8proc_int32_t, 8> buf{};
  const utf8proc_ssize_t n = utf8proc_decompose_char(
      static_cast<utf8proc_int32_t>(cp), buf.data(), static_cast<utf8proc_ssize_t>(buf.size()),
      static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE |
                                     UTF8PROC_STRIPMARK | UTF8PROC_IGNORE),
      nullptr);
  if (n < 0 || n > static_cast<utf8proc_ssize_t>(buf.size())) {
    append_utf8(out, cp);
    return;
  }
  for (utf8proc_ssize_t i = 0; i < n; ++i) append_utf8(out, static_cast<char32_t>(buf[i]));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// Puts back the accent of Spanish suffixes that always carry one, so that Snowball (which
/// matches accented suffixes) stems "facturacion" like "facturación".
void restore_spanish_accents(std::string& w) {
  struct Rule {
    std::string_view from, to;
  };
  static constexpr Rule kRules[] = {
      {"cion", "ción"}, {"sion", "sión"}, {"logia", "logía"}, {"logias", "logías"},
      {"xion", "xión"},
  };
  for (const auto& r : kRules) {
    if (w.size() > r.from.size() + 1 && ends_with(w, r.from)) {
      w.replace(w.size() - r.from.size(), r.from.size(), r.to);
      return;
    }
  }
}

// ---------------------------------------------------------------- per-thread stemmers

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct ThreadState {
  sb_stemmer* es = nullptr;
  sb_stemmer* en = nullptr;
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> cache_es;
  std::unordered_map<std::string, std::string, TransparentHash, std::equal_to<>> cache_en;
  ~ThreadState() {
    if (es) sb_stemmer_delete(es);
    if (en) sb_stemmer_delete(en);
  }
  sb_stemmer* stemmer(bool english) {
    sb_stemmer*& s = english ? en : es;
    if (!s) s = sb_stemmer_new(english ? "english" : "spanish", "UTF_8");
    return s;
  }
};

ThreadState& thread_state() {
  thread_local ThreadState state;
  return state;
}

constexpr size_t kCacheLimit = 200000;

std::string digits_of(std::string_view s) {
  std::string d;
  for (char c : s) {
    if (c >= '0' && c <= '9') d.push_back(c);
  }
  return d;
}

/// Unit words that merge with a preceding number: "4 GB" -> "4gb". Colloquial "gigas"/"megas"
/// map to gb/mb.
std::string_view unit_of(std::string_view folded) {
  static constexpr std::pair<std::string_view, std::string_view> kUnits[] = {
      {"gb", "gb"},     {"mb", "mb"},     {"tb", "tb"},   {"kb", "kb"},     {"gbps", "gbps"},
      {"mbps", "mbps"}, {"kbps", "kbps"}, {"ghz", "ghz"}, {"mhz", "mhz"},   {"mah", "mah"},
      {"mp", "mp"},     {"mpx", "mp"},    {"g", "g"},     {"gigas", "gb"},  {"giga", "gb"},
      {"megas", "mb"},  {"mega", "mb"},   {"gigabytes", "gb"}, {"megabytes", "mb"},
      {"hz", "hz"},     {"w", "w"},       {"tera", "tb"}, {"teras", "tb"},
  };
  for (const auto& [from, to] : kUnits) {
    if (folded == from) return to;
  }
  return {};
}

bool is_version_word(std::string_view original, std::string_view folded) {
  static constexpr std::string_view kBrands[] = {
      "iphone", "ipad", "galaxy", "pixel", "redmi", "moto", "xiaomi", "huawei", "android",
      "ios", "watch", "wifi", "windows", "note", "honor", "oppo", "nokia", "poco", "airpods"};
  for (auto b : kBrands) {
    if (folded == b) return true;
  }
  // Mixed case inside the word ("iPhone", "MacBook").
  for (size_t i = 1; i < original.size(); ++i) {
    if (original[i] >= 'A' && original[i] <= 'Z' && original[i - 1] >= 'a' &&
        original[i - 1] <= 'z') {
      return true;
    }
  }
  return false;
}

// ---------------------------------------------------------------- raw tokenization

struct RawToken {
  uint32_t start_byte, end_byte, start, end;
  bool has_letter = false;
  bool has_digit = false;
  bool inner_sep = false;  ///< a '.' or ',' between digits
};

/// Runs of letters/digits/marks; '.' and ',' join digit runs ("1.5", "300.123.4567").
std::vector<RawToken> raw_tokens(std::string_view s) {
  std::vector<RawToken> out;
  size_t pos = 0;
  uint32_t cp_index = 0;
  bool in_token = false;
  RawToken cur{};
  CharClass prev = CharClass::kOther;
  while (pos < s.size()) {
    const size_t at = pos;
    const char32_t cp = decode_utf8(s, pos);
    CharClass c = classify(cp);
    if (c == CharClass::kMark && !in_token) c = CharClass::kOther;
    if (c == CharClass::kOther && in_token && (cp == '.' || cp == ',') && prev == CharClass::kDigit &&
        pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      cur.inner_sep = true;
      prev = CharClass::kOther;
      ++cp_index;
      continue;
    }
    if (c == CharClass::kOther) {
      if (in_token) {
        cur.end_byte = static_cast<uint32_t>(at);
        cur.end = cp_index;
        out.push_back(cur);
        in_token = false;
      }
    } else {
      if (!in_token) {
        cur = RawToken{};
        cur.start_byte = static_cast<uint32_t>(at);
        cur.start = cp_index;
        in_token = true;
      }
      if (c == CharClass::kLetter) cur.has_letter = true;
      if (c == CharClass::kDigit) cur.has_digit = true;
    }
    prev = c;
    ++cp_index;
  }
  if (in_token) {
    cur.end_byte = static_cast<uint32_t>(s.size());
    cur.end = cp_index;
    out.push_back(cur);
  }
  return out;
}

/// True when the bytes between two digit groups look like a phone-number separator.
bool phone_gap(std::string_view gap) {
  if (gap.size() > 3) return false;
  std::string compact;
  for (char c : gap) {
    if (c != ' ') compact.push_back(c);
  }
  return compact.empty() || compact == "-" || compact == ")" || compact == "." ||
         compact == ")-" || compact == "/";
}

}  // namespace

// ---------------------------------------------------------------- public

std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const char32_t cp = decode_utf8(text, pos);
    if ((cp == 'n' || cp == 'N') && pos + 1 < text.size() &&
        static_cast<unsigned char>(text[pos]) == 0xCC &&
        static_cast<unsigned char>(text[pos + 1]) == 0x83) {  // n + U+0303
      out.append("\xC3\xB1");
      pos += 2;
      continue;
    }
    fold_code_point(cp, out);
  }
  return out;
}

Result<Analyzer> Analyzer::create(std::string_view language, AnalyzerOptions options) {
  if (language != "es" && language != "en") {
    return Status::invalid_argument("analyzer: unsupported language '" + std::string(language) +
                                    "' (use es or en)");
  }
  return Analyzer(std::string(language), options);
}

const Analyzer& Analyzer::for_language(std::string_view language) {
  static const Analyzer* es = new Analyzer("es", AnalyzerOptions{});
  static const Analyzer* en = new Analyzer("en", AnalyzerOptions{});
  return language == "en" ? *en : *es;
}

bool Analyzer::is_stopword(std::string_view word) const {
  return text::is_stopword(language_, fold(word));
}

std::string Analyzer::term_of_word(std::string_view word) const {
  ThreadState& state = thread_state();
  const bool english = language_ == "en";
  auto& cache = english ? state.cache_en : state.cache_es;
  if (options_.stem) {
    if (auto it = cache.find(word); it != cache.end()) return it->second;
  }
  std::string folded = fold(word);
  if (!options_.stem || folded.empty()) return folded;
  if (!english) restore_spanish_accents(folded);
  sb_stemmer* stemmer = state.stemmer(english);
  std::string term;
  if (stemmer) {
    const sb_symbol* stemmed = sb_stemmer_stem(
        stemmer, reinterpret_cast<const sb_symbol*>(folded.data()), static_cast<int>(folded.size()));
    if (stemmed) {
      term = fold(std::string_view(reinterpret_cast<const char*>(stemmed),
                                   static_cast<size_t>(sb_stemmer_length(stemmer))));
    } else {
      term = fold(folded);
    }
  } else {
    term = fold(folded);
  }
  if (cache.size() >= kCacheLimit) cache.clear();
  cache.emplace(std::string(word), term);
  return term;
}

std::vector<Token> Analyzer::analyze(std::string_view text) const {
  std::vector<Token> out;
  const std::vector<RawToken> raw = raw_tokens(text);
  out.reserve(raw.size());
  uint32_t position = 0;
  auto emit = [&](std::string term, const RawToken& first, const RawToken& last, TokenKind kind,
                  uint32_t pos) {
    Token t;
    t.term = std::move(term);
    t.start_byte = first.start_byte;
    t.end_byte = last.end_byte;
    t.start = first.start;
    t.end = last.end;
    t.position = pos;
    t.kind = kind;
    out.push_back(std::move(t));
  };
  auto view = [&](const RawToken& r) {
    return text.substr(r.start_byte, r.end_byte - r.start_byte);
  };
  for (size_t i = 0; i < raw.size(); ++i) {
    const RawToken& r = raw[i];
    const std::string_view word = view(r);
    // Phone numbers: '+' prefix or several digit groups with phone separators, >= 7 digits.
    if (r.has_digit && !r.has_letter) {
      const bool plus = r.start_byte > 0 && text[r.start_byte - 1] == '+';
      size_t j = i;
      size_t total_digits = digits_of(word).size();
      while (j + 1 < raw.size() && !raw[j + 1].has_letter && !raw[j + 1].inner_sep &&
             !r.inner_sep && total_digits < 15 &&
             phone_gap(text.substr(raw[j].end_byte, raw[j + 1].start_byte - raw[j].end_byte))) {
        ++j;
        total_digits += raw[j].end_byte - raw[j].start_byte;
      }
      const size_t groups = j - i + 1;
      bool phone = false;
      if (total_digits >= 7 && total_digits <= 15) {
        if (plus || groups >= 3 || (groups == 2 && total_digits >= 9)) phone = true;
        if (groups == 1 && r.inner_sep) {
          // "300.123.4567" is a phone; "1.000.000" (groups of three) is a number.
          size_t group_len = 0;
          bool odd_group = false;
          bool first = true;
          for (char c : word) {
            if (c == '.' || c == ',') {
              if (!first && group_len != 3) odd_group = true;
              first = false;
              group_len = 0;
            } else {
              ++group_len;
            }
          }
          if (group_len != 3) odd_group = true;
          phone = plus || odd_group;
        } else if (groups == 1 && !plus) {
          phone = false;
        }
      }
      if (phone) {
        std::string digits;
        for (size_t k = i; k <= j; ++k) digits += digits_of(view(raw[k]));
        emit(std::move(digits), r, raw[j], TokenKind::kPhone, position++);
        i = j;
        continue;
      }
      // Number, maybe followed by a unit ("4 GB").
      std::string number(word);
      if (i + 1 < raw.size() && !r.inner_sep && raw[i + 1].has_letter && !raw[i + 1].has_digit &&
          raw[i + 1].start_byte - r.end_byte == 1 && text[r.end_byte] == ' ') {
        const std::string_view unit = unit_of(fold(view(raw[i + 1])));
        if (!unit.empty()) {
          emit(number + std::string(unit), r, raw[i + 1], TokenKind::kAlnum, position++);
          ++i;
          continue;
        }
      }
      emit(std::move(number), r, r, TokenKind::kNumber, position);
      // Version compound: "iPhone 15" -> "iphone15".
      if (i > 0 && !r.inner_sep && word.size() <= 3 && raw[i - 1].has_letter &&
          !raw[i - 1].has_digit && r.start_byte - raw[i - 1].end_byte == 1 &&
          text[raw[i - 1].end_byte] == ' ') {
        const std::string prev_folded = fold(view(raw[i - 1]));
        if (is_version_word(view(raw[i - 1]), prev_folded)) {
          emit(prev_folded + std::string(word), r, r, TokenKind::kCompound, position);
        }
      }
      ++position;
      continue;
    }
    if (r.has_digit) {  // letters and digits: "5G", "4GB", "S24"
      std::string term = fold(word);
      // "4,5GB" keeps its separator; nothing else to do.
      emit(std::move(term), r, r, TokenKind::kAlnum, position++);
      continue;
    }
    // Short hyphenated letter groups join: "Wi-Fi" -> "wifi", "e-SIM" -> "esim".
    if (i + 1 < raw.size() && raw[i + 1].has_letter && !raw[i + 1].has_digit &&
        raw[i + 1].start_byte == r.end_byte + 1 && text[r.end_byte] == '-' &&
        (r.end - r.start) <= 3 && (raw[i + 1].end - raw[i + 1].start) <= 4) {
      std::string joined = fold(word) + fold(view(raw[i + 1]));
      emit(std::move(joined), r, raw[i + 1], TokenKind::kWord, position++);
      ++i;
      continue;
    }
    if (options_.remove_stopwords && text::is_stopword(language_, fold(word))) {
      ++position;
      continue;
    }
    std::string term = term_of_word(word);
    if (term.empty()) {
      ++position;
      continue;
    }
    emit(std::move(term), r, r, TokenKind::kWord, position++);
  }
  return out;
}

std::vector<std::string> Analyzer::terms(std::string_view text) const {
  std::vector<std::string> out;
  append_terms(text, out);
  return out;
}

void Analyzer::append_terms(std::string_view text, std::vector<std::string>& out) const {
  for (Token& t : analyze(text)) out.push_back(std::move(t.term));
}

}  // namespace atiende::text
