#include "eval/groundedness.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include <libstemmer.h>

#include "common/strings.h"
#include "eval/py_text.h"

namespace atiende::eval {
namespace {

const std::unordered_set<std::string>& stopwords() {
  // Accent-stripped function words, Spanish then English.
  static const std::unordered_set<std::string> words = {
      "a", "al", "algo", "algun", "alguna", "algunas", "alguno", "algunos", "ante", "antes",
      "aqui", "asi", "aun", "bajo", "cada", "como", "con", "contra", "cual", "cuales", "cuando",
      "de", "del", "desde", "donde", "dos", "durante", "e", "el", "ella", "ellas", "ello", "ellos",
      "en", "entre", "era", "eres", "es", "esa", "esas", "ese", "eso", "esos", "esta", "estas",
      "este", "esto", "estos", "fue", "ha", "han", "has", "hasta", "hay", "la", "las", "le", "les",
      "lo", "los", "mas", "me", "mi", "mis", "mucho", "muy", "nada", "ni", "no", "nos", "o", "os",
      "otra", "otro", "para", "pero", "poco", "por", "porque", "puede", "pueden", "que", "quien",
      "se", "sea", "segun", "ser", "si", "sin", "sino", "sobre", "son", "su", "sus", "tambien",
      "te", "tiene", "tienen", "todo", "todos", "tu", "tus", "u", "un", "una", "unas", "uno",
      "unos", "usted", "ustedes", "y", "ya", "yo",
      "an", "and", "are", "as", "at", "be", "by", "can", "for", "from", "has", "have", "in", "is",
      "it", "its", "of", "on", "or", "that", "the", "this", "to", "was", "were", "will", "with",
      "you", "your"};
  return words;
}

class Stemmer {
 public:
  explicit Stemmer(const std::string& language)
      : stemmer_(language.empty() ? nullptr : sb_stemmer_new(language.c_str(), "UTF_8")) {}
  ~Stemmer() {
    if (stemmer_) sb_stemmer_delete(stemmer_);
  }
  Stemmer(const Stemmer&) = delete;
  Stemmer& operator=(const Stemmer&) = delete;
  sb_stemmer* get() const { return stemmer_; }
  std::string stem(const std::string& word) const {
    if (!stemmer_) return word;
    const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (!out) return word;
    return std::string(reinterpret_cast<const char*>(out),
                       static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

 private:
  sb_stemmer* stemmer_;
};

bool has_content_char(std::u32string_view text) {
  return std::any_of(text.begin(), text.end(),
                     [](char32_t c) { return is_unicode_letter(c) || is_unicode_number(c); });
}

}  // namespace

Result<std::vector<std::string>> support_tokens(std::string_view text,
                                                const std::string& stemmer_language) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string decoded, decode_utf8(text, "answer text"));
  const std::u32string lowered = nfc(py_lower(nfc(decoded)));
  const Stemmer stemmer(stemmer_language);
  if (!stemmer_language.empty() && !stemmer.get()) {
    return Status::invalid_argument("unknown Snowball stemmer language '" + stemmer_language + "'");
  }
  std::vector<std::string> tokens;
  std::u32string current;
  auto flush = [&] {
    if (current.empty()) return;
    const std::string surface = encode_utf8(strip_accents(current));
    if (!surface.empty() && !stopwords().count(surface)) {
      // Stem the accented word (Snowball expects accents), then fold the stem.
      auto stem = decode_utf8(stemmer.stem(encode_utf8(current)), "stem");
      std::string token = stem.ok() ? encode_utf8(strip_accents(*stem)) : surface;
      if (!token.empty()) tokens.push_back(std::move(token));
    }
    current.clear();
  };
  for (char32_t c : lowered) {
    if (is_unicode_letter(c) || is_unicode_number(c) || (is_unicode_mark(c) && !current.empty())) {
      current.push_back(c);
    } else {
      flush();
    }
  }
  flush();
  return tokens;
}

Result<double> lexical_support(std::string_view sentence, std::string_view chunk,
                               const GroundednessOptions& options) {
  ATIENDE_ASSIGN_OR_RETURN(auto sentence_tokens, support_tokens(sentence, options.stemmer_language));
  ATIENDE_ASSIGN_OR_RETURN(auto chunk_tokens, support_tokens(chunk, options.stemmer_language));
  const std::set<std::string> wanted(sentence_tokens.begin(), sentence_tokens.end());
  if (wanted.empty()) return 0.0;
  const std::unordered_set<std::string> have(chunk_tokens.begin(), chunk_tokens.end());
  size_t found = 0;
  for (const auto& t : wanted) found += have.count(t);
  return static_cast<double>(found) / static_cast<double>(wanted.size());
}

std::vector<CitedSentence> split_cited_answer(std::string_view answer) {
  // 1. Raw sentences: cut after . ! ? … followed by whitespace, and at newlines.
  std::vector<std::string> raw;
  std::string current;
  for (size_t i = 0; i < answer.size(); ++i) {
    const char c = answer[i];
    if (c == '\n') {
      raw.push_back(std::move(current));
      current.clear();
      continue;
    }
    current.push_back(c);
    const bool ellipsis = i >= 2 && answer.substr(i - 2, 3) == "\xE2\x80\xA6";
    const bool end_mark = c == '.' || c == '!' || c == '?' || ellipsis;
    if (end_mark && (i + 1 == answer.size() || answer[i + 1] == ' ' || answer[i + 1] == '\t')) {
      raw.push_back(std::move(current));
      current.clear();
    }
  }
  raw.push_back(std::move(current));

  // 2. Pull out [id, id] markers. Markers before a piece's first word ("... incluido. [1] En
  //    pospago ...": the marker closes the sentence before it) and marker-only pieces belong to
  //    the previous sentence.
  std::vector<CitedSentence> out;
  for (const auto& piece : raw) {
    CitedSentence sentence;
    std::string text;
    size_t i = 0;
    while (i < piece.size()) {
      if (piece[i] == '[') {
        const size_t close = piece.find(']', i + 1);
        if (close != std::string::npos && close > i + 1) {
          const bool leading = !out.empty() && trim(text).empty();
          auto& ids = leading ? out.back().cited_ids : sentence.cited_ids;
          for (auto id : split(std::string_view(piece).substr(i + 1, close - i - 1), ',')) {
            id = trim(id);
            if (!id.empty()) ids.emplace_back(id);
          }
          i = close + 1;
          continue;
        }
      }
      text.push_back(piece[i]);
      ++i;
    }
    sentence.text = std::string(trim(text));
    auto decoded = decode_utf8(sentence.text, "answer");
    const bool content = decoded.ok() && has_content_char(*decoded);
    if (!content && !out.empty()) {
      auto& prev = out.back().cited_ids;
      prev.insert(prev.end(), sentence.cited_ids.begin(), sentence.cited_ids.end());
      continue;
    }
    if (sentence.text.empty() && sentence.cited_ids.empty()) continue;
    out.push_back(std::move(sentence));
  }
  return out;
}

Result<GroundednessResult> groundedness(std::span<const CitedSentence> sentences,
                                        const std::map<std::string, std::string>& chunks,
                                        const GroundednessOptions& options) {
  if (!(options.support_threshold >= 0 && options.support_threshold <= 1)) {
    return Status::invalid_argument("support threshold must be within 0..1");
  }
  GroundednessResult result;
  std::set<std::string> unknown;
  size_t supported_sentences = 0;
  size_t cited_sentences = 0;
  for (const auto& sentence : sentences) {
    SentenceSupport s;
    s.text = sentence.text;
    s.cited_ids = sentence.cited_ids;
    ATIENDE_ASSIGN_OR_RETURN(auto tokens, support_tokens(sentence.text, options.stemmer_language));
    s.content = !tokens.empty();
    for (const auto& id : sentence.cited_ids) {
      double support = 0;
      auto it = chunks.find(id);
      if (it == chunks.end()) {
        unknown.insert(id);
      } else {
        ATIENDE_ASSIGN_OR_RETURN(support, lexical_support(sentence.text, it->second, options));
      }
      s.support.push_back(support);
      s.best_support = std::max(s.best_support, support);
      if (s.content) {
        ++result.citations;
        if (support >= options.support_threshold) ++result.supported_citations;
      }
    }
    if (s.content) {
      ++result.content_sentences;
      s.supported = !sentence.cited_ids.empty() && s.best_support >= options.support_threshold;
      if (s.supported) ++supported_sentences;
      if (!sentence.cited_ids.empty()) ++cited_sentences;
    }
    result.sentences.push_back(std::move(s));
  }
  if (result.content_sentences > 0) {
    const auto n = static_cast<double>(result.content_sentences);
    result.groundedness = static_cast<double>(supported_sentences) / n;
    result.citation_coverage = static_cast<double>(cited_sentences) / n;
  }
  if (result.citations > 0) {
    result.citation_precision =
        static_cast<double>(result.supported_citations) / static_cast<double>(result.citations);
  }
  result.unknown_ids.assign(unknown.begin(), unknown.end());
  return result;
}

}  // namespace atiende::eval
