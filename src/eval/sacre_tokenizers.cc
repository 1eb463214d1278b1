#include "eval/sacre_tokenizers.h"

#include "eval/py_text.h"

namespace atiende::eval {
namespace {

// Python re.sub for a pattern made of two single-character classes `(A)(B)` with the
// replacement `pre \1 mid \2 post`: scans left to right, non-overlapping matches.
template <typename A, typename B>
std::u32string sub_pair(std::u32string_view s, A first, B second, std::u32string_view pre,
                        std::u32string_view mid, std::u32string_view post) {
  std::u32string out;
  out.reserve(s.size() + s.size() / 2);
  size_t i = 0;
  while (i < s.size()) {
    if (i + 1 < s.size() && first(s[i]) && second(s[i + 1])) {
      out += pre;
      out.push_back(s[i]);
      out += mid;
      out.push_back(s[i + 1]);
      out += post;
      i += 2;
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

// Python re.sub for `(A)` -> ` \1 `.
template <typename A>
std::u32string pad_single(std::u32string_view s, A cls) {
  std::u32string out;
  out.reserve(s.size() + s.size() / 2);
  for (char32_t c : s) {
    if (cls(c)) {
      out.push_back(U' ');
      out.push_back(c);
      out.push_back(U' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::u32string replace_all(std::u32string_view s, std::u32string_view from, std::u32string_view to) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    if (s.substr(i, from.size()) == from) {
      out += to;
      i += from.size();
    } else {
      out.push_back(s[i]);
      ++i;
    }
  }
  return out;
}

bool is_digit(char32_t c) { return c >= U'0' && c <= U'9'; }
bool not_digit(char32_t c) { return !is_digit(c); }
bool is_period_comma(char32_t c) { return c == U'.' || c == U','; }
bool is_dash(char32_t c) { return c == U'-'; }

// [\{-\~\[-\` -\&\(-\+\:-\@\/]
bool is_13a_punct(char32_t c) {
  return (c >= 0x7B && c <= 0x7E) || (c >= 0x5B && c <= 0x60) || (c >= 0x20 && c <= 0x26) ||
         (c >= 0x28 && c <= 0x2B) || (c >= 0x3A && c <= 0x40) || c == 0x2F;
}

// The language-dependent part shared by 13a and the Tercom normalizer, minus possessives.
std::u32string western_rules(std::u32string line, bool possessives) {
  line = pad_single(line, is_13a_punct);
  if (possessives) {
    line = replace_all(line, U"'s ", U" 's ");
    if (line.size() >= 2 && line.substr(line.size() - 2) == U"'s") {
      line = line.substr(0, line.size() - 2) + U" 's";
    }
  }
  line = sub_pair(line, not_digit, is_period_comma, U"", U" ", U" ");
  line = sub_pair(line, is_period_comma, not_digit, U" ", U" ", U"");
  line = sub_pair(line, is_digit, is_dash, U"", U" ", U" ");
  return line;
}

std::u32string unescape_xml(std::u32string line) {
  if (line.find(U'&') == std::u32string::npos) return line;
  line = replace_all(line, U"&quot;", U"\"");
  line = replace_all(line, U"&amp;", U"&");
  line = replace_all(line, U"&lt;", U"<");
  line = replace_all(line, U"&gt;", U">");
  return line;
}

std::u32string tokenize_13a(std::u32string_view input) {
  std::u32string line = replace_all(input, U"<skipped>", U"");
  line = replace_all(line, U"-\n", U"");
  line = replace_all(line, U"\n", U" ");
  line = unescape_xml(std::move(line));
  line = western_rules(U" " + line + U" ", /*possessives=*/false);
  return py_normalize_spaces(line);
}

std::u32string tokenize_intl(std::u32string_view input) {
  auto not_number = [](char32_t c) { return !is_unicode_number(c); };
  std::u32string line =
      sub_pair(input, not_number, is_unicode_punctuation, U"", U" ", U" ");
  line = sub_pair(line, is_unicode_punctuation, not_number, U" ", U" ", U"");
  line = pad_single(line, is_unicode_symbol);
  return py_normalize_spaces(line);
}

std::u32string tokenize_char(std::u32string_view input) {
  std::u32string out;
  out.reserve(input.size() * 2);
  for (char32_t c : input) {
    if (!out.empty()) out.push_back(U' ');
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::optional<SacreTokenizer> parse_sacre_tokenizer(std::string_view name) {
  if (name == "13a") return SacreTokenizer::k13a;
  if (name == "intl") return SacreTokenizer::kIntl;
  if (name == "char") return SacreTokenizer::kChar;
  if (name == "none") return SacreTokenizer::kNone;
  return std::nullopt;
}

std::string_view sacre_tokenizer_name(SacreTokenizer tokenizer) {
  switch (tokenizer) {
    case SacreTokenizer::k13a: return "13a";
    case SacreTokenizer::kIntl: return "intl";
    case SacreTokenizer::kChar: return "char";
    case SacreTokenizer::kNone: return "none";
  }
  return "13a";
}

std::u32string sacre_tokenize(SacreTokenizer tokenizer, std::u32string_view line) {
  switch (tokenizer) {
    case SacreTokenizer::k13a: return tokenize_13a(line);
    case SacreTokenizer::kIntl: return tokenize_intl(line);
    case SacreTokenizer::kChar: return tokenize_char(line);
    case SacreTokenizer::kNone: return std::u32string(line);
  }
  return std::u32string(line);
}

std::u32string tercom_tokenize(std::u32string_view input, const TercomOptions& options) {
  if (input.empty()) return {};
  std::u32string sent = options.case_sensitive ? std::u32string(input) : py_lower(input);
  if (options.normalized) {
    sent = replace_all(sent, U"\n-", U"");
    sent = replace_all(sent, U"\n", U" ");
    sent = unescape_xml(std::move(sent));
    sent = western_rules(U" " + sent + U" ", /*possessives=*/true);
  }
  if (options.no_punct) {
    std::u32string kept;
    kept.reserve(sent.size());
    for (char32_t c : sent) {
      switch (c) {
        case U'.': case U',': case U'?': case U':': case U';': case U'!': case U'"': case U'(':
        case U')':
          break;
        default:
          kept.push_back(c);
      }
    }
    sent = std::move(kept);
  }
  return py_normalize_spaces(sent);
}

}  // namespace atiende::eval
