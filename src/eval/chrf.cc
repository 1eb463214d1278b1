#include "eval/chrf.h"

#include <cmath>
#include <cstdio>
#include <map>

#include "eval/bleu.h"
#include "eval/py_text.h"

namespace atiende::eval {
namespace {

using Counter = std::map<std::u32string, int64_t>;

bool is_ascii_punct(char32_t c) {
  static constexpr std::u32string_view kPunct = U"!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  return kPunct.find(c) != std::u32string_view::npos;
}

// CHRF._remove_punctuation.
std::vector<std::u32string> remove_punctuation(std::u32string_view sent) {
  std::vector<std::u32string> tokens;
  for (auto& w : py_split(sent)) {
    if (w.size() == 1) {
      tokens.push_back(w);
    } else if (is_ascii_punct(w.back())) {
      tokens.push_back(w.substr(0, w.size() - 1));
      tokens.push_back(w.substr(w.size() - 1));
    } else if (is_ascii_punct(w.front())) {
      tokens.push_back(w.substr(0, 1));
      tokens.push_back(w.substr(1));
    } else {
      tokens.push_back(w);
    }
  }
  return tokens;
}

std::vector<Counter> extract_char_ngrams(std::u32string_view line, int max_order, bool whitespace) {
  std::u32string text;
  if (whitespace) {
    text.append(line.begin(), line.end());
  } else {
    for (const auto& part : py_split(line)) text += part;
  }
  std::vector<Counter> counters;
  const auto len = static_cast<int64_t>(text.size());
  for (int order = 1; order <= max_order; ++order) {
    Counter counter;
    for (int64_t i = 0; i + order <= len; ++i) counter[text.substr(static_cast<size_t>(i), order)] += 1;
    counters.push_back(std::move(counter));
  }
  return counters;
}

Counter extract_word_ngrams(const std::vector<std::u32string>& tokens, int n) {
  Counter counter;
  const auto len = static_cast<int64_t>(tokens.size());
  for (int64_t i = 0; i + n <= len; ++i) {
    std::u32string key;
    for (int64_t k = i; k < i + n; ++k) {
      if (k > i) key.push_back(U' ');
      key += tokens[static_cast<size_t>(k)];
    }
    counter[key] += 1;
  }
  return counter;
}

std::vector<Counter> all_ngrams(std::u32string_view text, const ChrfOptions& options) {
  std::vector<Counter> ngrams = extract_char_ngrams(text, options.char_order, options.whitespace);
  if (options.word_order > 0) {
    const auto words = remove_punctuation(text);
    for (int n = 1; n <= options.word_order; ++n) ngrams.push_back(extract_word_ngrams(words, n));
  }
  return ngrams;
}

void match_statistics(const Counter& hyp, const Counter& ref, std::vector<double>& out) {
  int64_t match_count = 0;
  int64_t hyp_count = 0;
  for (const auto& [ngram, count] : hyp) {
    hyp_count += count;
    auto it = ref.find(ngram);
    if (it != ref.end()) match_count += std::min(count, it->second);
  }
  int64_t ref_count = 0;
  for (const auto& [ngram, count] : ref) ref_count += count;
  out.push_back(ref.empty() ? 0.0 : static_cast<double>(hyp_count));
  out.push_back(static_cast<double>(ref_count));
  out.push_back(static_cast<double>(match_count));
}

// CHRF._compute_f_score.
double f_score(const std::vector<double>& stats, const ChrfOptions& options) {
  constexpr double kEps = 1e-16;
  const int order = options.char_order + options.word_order;
  const double factor = options.beta * options.beta;
  double score = 0.0;
  int effective_order = 0;
  double avg_prec = 0.0;
  double avg_rec = 0.0;
  for (int i = 0; i < order; ++i) {
    const double n_hyp = stats[static_cast<size_t>(3 * i)];
    const double n_ref = stats[static_cast<size_t>(3 * i + 1)];
    const double n_match = stats[static_cast<size_t>(3 * i + 2)];
    const double prec = n_hyp > 0 ? n_match / n_hyp : kEps;
    const double rec = n_ref > 0 ? n_match / n_ref : kEps;
    const double denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec / denom) : kEps;
    if (n_hyp > 0 && n_ref > 0) ++effective_order;
    avg_prec += prec;
    avg_rec += rec;
  }
  if (options.eps_smoothing) return 100 * score / order;
  if (effective_order == 0) {
    avg_prec = avg_rec = 0.0;
  } else {
    avg_prec /= effective_order;
    avg_rec /= effective_order;
  }
  if (avg_prec + avg_rec != 0.0) {
    score = (1 + factor) * avg_prec * avg_rec;
    score /= ((factor * avg_prec) + avg_rec);
    return 100 * score;
  }
  return 0.0;
}

Status validate(const ChrfOptions& options) {
  if (options.char_order < 0 || options.char_order > 100 || options.word_order < 0 ||
      options.word_order > 100 || options.char_order + options.word_order == 0) {
    return Status::invalid_argument("chrF orders must be 0..100 and not both 0");
  }
  if (!(options.beta > 0) || !std::isfinite(options.beta)) {
    return Status::invalid_argument("chrF beta must be a positive number");
  }
  return {};
}

Result<std::u32string> preprocess(const std::string& text, const ChrfOptions& options,
                                  const std::string& what) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string line, decode_utf8(text, what));
  return options.lowercase ? py_lower(line) : line;
}

}  // namespace

Result<ChrfScore> corpus_chrf(std::span<const std::string> hyps,
                              std::span<const std::vector<std::string>> ref_streams,
                              const ChrfOptions& options) {
  ATIENDE_RETURN_IF_ERROR(validate(options));
  if (ref_streams.empty()) return Status::invalid_argument("chrF needs at least one reference");
  for (size_t k = 0; k < ref_streams.size(); ++k) {
    if (ref_streams[k].size() != hyps.size()) {
      return Status::invalid_argument(
          "reference stream " + std::to_string(k + 1) + " has " +
          std::to_string(ref_streams[k].size()) + " lines but there are " +
          std::to_string(hyps.size()) + " hypotheses");
    }
  }
  const size_t order = static_cast<size_t>(options.char_order + options.word_order);
  std::vector<double> totals(3 * order, 0.0);
  for (size_t i = 0; i < hyps.size(); ++i) {
    ATIENDE_ASSIGN_OR_RETURN(auto hyp,
                             preprocess(hyps[i], options, "hypothesis line " + std::to_string(i + 1)));
    const auto hyp_ngrams = all_ngrams(hyp, options);
    std::vector<double> best_stats;
    double best_f = -1.0;
    for (size_t k = 0; k < ref_streams.size(); ++k) {
      ATIENDE_ASSIGN_OR_RETURN(
          auto ref, preprocess(ref_streams[k][i], options,
                               "reference " + std::to_string(k + 1) + " line " + std::to_string(i + 1)));
      const auto ref_ngrams = all_ngrams(ref, options);
      std::vector<double> stats;
      stats.reserve(3 * order);
      for (size_t n = 0; n < order; ++n) match_statistics(hyp_ngrams[n], ref_ngrams[n], stats);
      const double f = f_score(stats, options);
      if (f > best_f) {
        best_f = f;
        best_stats = std::move(stats);
      }
    }
    for (size_t s = 0; s < totals.size(); ++s) totals[s] += best_stats[s];
  }
  ChrfScore result;
  result.score = f_score(totals, options);
  result.statistics = std::move(totals);
  return result;
}

Result<ChrfScore> sentence_chrf(const std::string& hyp, std::span<const std::string> refs,
                                const ChrfOptions& options) {
  std::vector<std::string> hyps{hyp};
  std::vector<std::vector<std::string>> streams;
  for (const auto& ref : refs) streams.push_back({ref});
  return corpus_chrf(hyps, streams, options);
}

std::string chrf_signature(const ChrfOptions& options, int nrefs) {
  std::string sig = "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs));
  sig += std::string("|case:") + (options.lowercase ? "lc" : "mixed");
  sig += std::string("|eff:") + (options.eps_smoothing ? "no" : "yes");
  sig += "|nc:" + std::to_string(options.char_order);
  sig += "|nw:" + std::to_string(options.word_order);
  sig += std::string("|space:") + (options.whitespace ? "yes" : "no");
  sig += "|version:" + std::string(kSacrebleuCompatVersion);
  return sig;
}

std::string chrf_name(const ChrfOptions& options) {
  char beta[32];
  if (options.beta == std::floor(options.beta) && options.beta < 1e9) {
    std::snprintf(beta, sizeof(beta), "%d", static_cast<int>(options.beta));
  } else {
    std::snprintf(beta, sizeof(beta), "%g", options.beta);
  }
  std::string name = std::string("chrF") + beta;
  name += std::string(static_cast<size_t>(options.word_order), '+');
  return name;
}

}  // namespace atiende::eval
