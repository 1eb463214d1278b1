#include "eval/rouge.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

#include <libstemmer.h>

#include "eval/porter_stemmer.h"
#include "eval/py_text.h"

namespace atiende::eval {
namespace {

using Tokens = std::vector<std::string>;

// Snowball stemmers are not thread-safe: one per call, guarded creation is not needed.
class SnowballStemmer {
 public:
  explicit SnowballStemmer(const std::string& language)
      : stemmer_(sb_stemmer_new(language.c_str(), "UTF_8")) {}
  ~SnowballStemmer() {
    if (stemmer_) sb_stemmer_delete(stemmer_);
  }
  SnowballStemmer(const SnowballStemmer&) = delete;
  SnowballStemmer& operator=(const SnowballStemmer&) = delete;
  bool ok() const { return stemmer_ != nullptr; }
  std::string stem(const std::string& word) {
    const sb_symbol* out = sb_stemmer_stem(stemmer_, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
    if (!out) return word;
    return std::string(reinterpret_cast<const char*>(out),
                       static_cast<size_t>(sb_stemmer_length(stemmer_)));
  }

 private:
  sb_stemmer* stemmer_;
};

Result<Tokens> tokenize_rouge_score(std::string_view text, bool use_stemmer) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string decoded, decode_utf8(text, "ROUGE input"));
  const std::u32string lowered = py_lower(decoded);
  Tokens tokens;
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    tokens.push_back(use_stemmer && current.size() > 3 ? porter_stem(current) : current);
    current.clear();
  };
  for (char32_t c : lowered) {
    if ((c >= U'a' && c <= U'z') || (c >= U'0' && c <= U'9')) {
      current.push_back(static_cast<char>(c));
    } else {
      flush();
    }
  }
  flush();
  // rouge-score drops tokens that are not ^[a-z0-9]+$ after stemming; stems stay in [a-z0-9].
  std::erase_if(tokens, [](const std::string& t) { return t.empty(); });
  return tokens;
}

Result<Tokens> tokenize_unicode(std::string_view text, const RougeOptions& options) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string decoded, decode_utf8(text, "ROUGE input"));
  const std::u32string lowered = nfc(py_lower(nfc(decoded)));
  std::unique_ptr<SnowballStemmer> stemmer;
  if (options.use_stemmer) {
    stemmer = std::make_unique<SnowballStemmer>(options.stemmer_language);
    if (!stemmer->ok()) {
      return Status::invalid_argument("unknown Snowball stemmer language '" +
                                      options.stemmer_language + "'");
    }
  }
  Tokens tokens;
  std::u32string current;
  auto flush = [&] {
    if (current.empty()) return;
    std::string token = encode_utf8(current);
    if (stemmer && current.size() > 3) token = stemmer->stem(token);
    if (!token.empty()) tokens.push_back(std::move(token));
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

std::map<std::vector<std::string>, int64_t> ngrams(const Tokens& tokens, size_t n) {
  std::map<std::vector<std::string>, int64_t> counts;
  if (tokens.size() < n) return counts;
  for (size_t i = 0; i + n <= tokens.size(); ++i) {
    counts[Tokens(tokens.begin() + static_cast<std::ptrdiff_t>(i),
                  tokens.begin() + static_cast<std::ptrdiff_t>(i + n))] += 1;
  }
  return counts;
}

double fmeasure(double precision, double recall) {
  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

RougePrf score_ngrams(const Tokens& target, const Tokens& prediction, size_t n) {
  const auto target_ngrams = ngrams(target, n);
  const auto prediction_ngrams = ngrams(prediction, n);
  int64_t intersection = 0;
  int64_t target_count = 0;
  int64_t prediction_count = 0;
  for (const auto& [gram, count] : target_ngrams) {
    target_count += count;
    auto it = prediction_ngrams.find(gram);
    if (it != prediction_ngrams.end()) intersection += std::min(count, it->second);
  }
  for (const auto& [gram, count] : prediction_ngrams) prediction_count += count;
  RougePrf prf;
  prf.precision = static_cast<double>(intersection) / static_cast<double>(std::max<int64_t>(prediction_count, 1));
  prf.recall = static_cast<double>(intersection) / static_cast<double>(std::max<int64_t>(target_count, 1));
  prf.fmeasure = fmeasure(prf.precision, prf.recall);
  return prf;
}

std::vector<std::vector<int>> lcs_table(const Tokens& ref, const Tokens& can) {
  std::vector<std::vector<int>> t(ref.size() + 1, std::vector<int>(can.size() + 1, 0));
  for (size_t i = 1; i <= ref.size(); ++i) {
    for (size_t j = 1; j <= can.size(); ++j) {
      t[i][j] = ref[i - 1] == can[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
    }
  }
  return t;
}

RougePrf score_lcs(const Tokens& target, const Tokens& prediction) {
  if (target.empty() || prediction.empty()) return {};
  const int lcs = lcs_table(target, prediction).back().back();
  RougePrf prf;
  prf.precision = static_cast<double>(lcs) / static_cast<double>(prediction.size());
  prf.recall = static_cast<double>(lcs) / static_cast<double>(target.size());
  prf.fmeasure = fmeasure(prf.precision, prf.recall);
  return prf;
}

// lcs_ind with _backtrack_norec: indices into `ref` of one LCS.
std::vector<size_t> lcs_indices(const Tokens& ref, const Tokens& can) {
  const auto t = lcs_table(ref, can);
  size_t i = ref.size();
  size_t j = can.size();
  std::vector<size_t> lcs;
  while (i > 0 && j > 0) {
    if (ref[i - 1] == can[j - 1]) {
      lcs.push_back(i - 1);
      --i;
      --j;
    } else if (t[i][j - 1] > t[i - 1][j]) {
      --j;
    } else {
      --i;
    }
  }
  std::reverse(lcs.begin(), lcs.end());
  return lcs;
}

RougePrf summary_level_lcs(const std::vector<Tokens>& ref_sents, const std::vector<Tokens>& can_sents) {
  if (ref_sents.empty() || can_sents.empty()) return {};
  size_t m = 0;
  size_t n = 0;
  for (const auto& s : ref_sents) m += s.size();
  for (const auto& s : can_sents) n += s.size();
  if (m == 0 || n == 0) return {};
  std::map<std::string, int64_t> cnt_r;
  std::map<std::string, int64_t> cnt_c;
  for (const auto& s : ref_sents) {
    for (const auto& t : s) ++cnt_r[t];
  }
  for (const auto& s : can_sents) {
    for (const auto& t : s) ++cnt_c[t];
  }
  int64_t hits = 0;
  for (const auto& r : ref_sents) {
    std::set<size_t> uni;
    for (const auto& c : can_sents) {
      for (size_t idx : lcs_indices(r, c)) uni.insert(idx);
    }
    for (size_t idx : uni) {
      const std::string& t = r[idx];
      if (cnt_c[t] > 0 && cnt_r[t] > 0) {
        ++hits;
        --cnt_c[t];
        --cnt_r[t];
      }
    }
  }
  RougePrf prf;
  prf.recall = static_cast<double>(hits) / static_cast<double>(m);
  prf.precision = static_cast<double>(hits) / static_cast<double>(n);
  prf.fmeasure = fmeasure(prf.precision, prf.recall);
  return prf;
}

std::vector<std::string> split_sentences(std::string_view text) {
  std::vector<std::string> sents;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '\n') {
      if (i > start) sents.emplace_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  return sents;
}

}  // namespace

Result<std::vector<std::string>> rouge_tokenize(std::string_view text, const RougeOptions& options) {
  if (options.tokenizer == RougeTokenizer::kUnicode) return tokenize_unicode(text, options);
  return tokenize_rouge_score(text, options.use_stemmer);
}

Result<RougePrf> rouge_score(std::string_view rouge_type, std::string_view target,
                             std::string_view prediction, const RougeOptions& options) {
  if (rouge_type == "rougeLsum") {
    std::vector<Tokens> target_sents;
    std::vector<Tokens> prediction_sents;
    for (const auto& s : split_sentences(target)) {
      ATIENDE_ASSIGN_OR_RETURN(auto tokens, rouge_tokenize(s, options));
      target_sents.push_back(std::move(tokens));
    }
    for (const auto& s : split_sentences(prediction)) {
      ATIENDE_ASSIGN_OR_RETURN(auto tokens, rouge_tokenize(s, options));
      prediction_sents.push_back(std::move(tokens));
    }
    return summary_level_lcs(target_sents, prediction_sents);
  }
  size_t n = 0;
  const bool is_l = rouge_type == "rougeL";
  if (!is_l) {
    if (rouge_type.size() != 6 || rouge_type.substr(0, 5) != "rouge" || rouge_type[5] < '1' ||
        rouge_type[5] > '9') {
      return Status::invalid_argument("unknown ROUGE type '" + std::string(rouge_type) +
                                      "' (want rouge1..rouge9, rougeL, rougeLsum)");
    }
    n = static_cast<size_t>(rouge_type[5] - '0');
  }
  ATIENDE_ASSIGN_OR_RETURN(auto target_tokens, rouge_tokenize(target, options));
  ATIENDE_ASSIGN_OR_RETURN(auto prediction_tokens, rouge_tokenize(prediction, options));
  if (is_l) return score_lcs(target_tokens, prediction_tokens);
  return score_ngrams(target_tokens, prediction_tokens, n);
}

Result<RougePrf> rouge_score_multi(std::string_view rouge_type, std::span<const std::string> targets,
                                   std::string_view prediction, const RougeOptions& options) {
  if (targets.empty()) return Status::invalid_argument("ROUGE needs at least one target");
  RougePrf best;
  bool first = true;
  for (const auto& target : targets) {
    ATIENDE_ASSIGN_OR_RETURN(RougePrf prf, rouge_score(rouge_type, target, prediction, options));
    if (first || prf.fmeasure > best.fmeasure) best = prf;
    first = false;
  }
  return best;
}

const std::vector<std::string>& default_rouge_types() {
  static const std::vector<std::string> types = {"rouge1", "rouge2", "rougeL", "rougeLsum"};
  return types;
}

}  // namespace atiende::eval
