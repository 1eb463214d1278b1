#include "eval/bleu.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "eval/py_text.h"

namespace atiende::eval {
namespace {

using Ngram = std::vector<int>;
using NgramCounts = std::map<Ngram, int64_t>;

// Maps tokens to small integers so that n-grams compare cheaply.
class Vocabulary {
 public:
  std::vector<int> ids(const std::vector<std::u32string>& tokens) {
    std::vector<int> out;
    out.reserve(tokens.size());
    for (const auto& token : tokens) {
      auto [it, inserted] = ids_.try_emplace(token, static_cast<int>(ids_.size()));
      out.push_back(it->second);
    }
    return out;
  }

 private:
  std::unordered_map<std::u32string, int> ids_;
};

// extract_all_word_ngrams(line, 1, max_order).
NgramCounts extract_ngrams(const std::vector<int>& tokens, int max_order) {
  NgramCounts counts;
  const auto n_tokens = static_cast<int64_t>(tokens.size());
  for (int n = 1; n <= max_order; ++n) {
    for (int64_t i = 0; i + n <= n_tokens; ++i) {
      counts[Ngram(tokens.begin() + i, tokens.begin() + i + n)] += 1;
    }
  }
  return counts;
}

// BLEU._preprocess_segment: lowercase, rstrip, tokenize; then str.split().
Result<std::vector<std::u32string>> preprocess(const std::string& text, const BleuOptions& options,
                                               std::string_view what) {
  ATIENDE_ASSIGN_OR_RETURN(std::u32string line, decode_utf8(text, what));
  if (options.lowercase) line = py_lower(line);
  const std::u32string tokenized = sacre_tokenize(options.tokenize, py_rstrip(line));
  return py_split(tokenized);
}

int64_t closest_ref_len(int64_t hyp_len, const std::vector<int64_t>& ref_lens) {
  int64_t closest_diff = -1;
  int64_t closest_len = -1;
  for (int64_t ref_len : ref_lens) {
    const int64_t diff = std::llabs(hyp_len - ref_len);
    if (closest_diff == -1 || diff < closest_diff) {
      closest_diff = diff;
      closest_len = ref_len;
    } else if (diff == closest_diff && ref_len < closest_len) {
      closest_len = ref_len;
    }
  }
  return closest_len;
}

double my_log(double x) { return x == 0.0 ? -9999999999.0 : std::log(x); }

Status validate(const BleuOptions& options) {
  if (options.max_ngram_order < 1 || options.max_ngram_order > 9) {
    return Status::invalid_argument("BLEU max n-gram order must be 1..9, got " +
                                    std::to_string(options.max_ngram_order));
  }
  if (options.smooth_value && !std::isfinite(*options.smooth_value)) {
    return Status::invalid_argument("BLEU smooth value must be finite");
  }
  return {};
}

}  // namespace

std::optional<BleuSmooth> parse_bleu_smooth(std::string_view name) {
  if (name == "exp") return BleuSmooth::kExp;
  if (name == "floor") return BleuSmooth::kFloor;
  if (name == "add-k") return BleuSmooth::kAddK;
  if (name == "none") return BleuSmooth::kNone;
  return std::nullopt;
}

std::string_view bleu_smooth_name(BleuSmooth smooth) {
  switch (smooth) {
    case BleuSmooth::kExp: return "exp";
    case BleuSmooth::kFloor: return "floor";
    case BleuSmooth::kAddK: return "add-k";
    case BleuSmooth::kNone: return "none";
  }
  return "exp";
}

BleuScore compute_bleu(BleuStats stats, const BleuOptions& options) {
  const int max_order = options.max_ngram_order;
  stats.correct.resize(static_cast<size_t>(max_order), 0.0);
  stats.total.resize(static_cast<size_t>(max_order), 0.0);
  double smooth_value = 0.0;
  if (options.smooth_value) {
    smooth_value = *options.smooth_value;
  } else if (options.smooth == BleuSmooth::kFloor) {
    smooth_value = 0.1;
  } else if (options.smooth == BleuSmooth::kAddK) {
    smooth_value = 1.0;
  }

  BleuScore result;
  result.sys_len = stats.sys_len;
  result.ref_len = stats.ref_len;
  if (stats.sys_len < stats.ref_len) {
    result.bp = stats.sys_len > 0
                    ? std::exp(1.0 - static_cast<double>(stats.ref_len) /
                                         static_cast<double>(stats.sys_len))
                    : 0.0;
  } else {
    result.bp = 1.0;
  }
  result.precisions.assign(static_cast<size_t>(max_order), 0.0);

  const bool any_correct =
      std::any_of(stats.correct.begin(), stats.correct.end(), [](double c) { return c != 0.0; });
  if (!any_correct) {
    result.score = 0.0;
    result.counts = stats.correct;
    result.totals = stats.total;
    return result;
  }

  double smooth_mteval = 1.0;
  int eff_order = max_order;
  for (int n = 1; n <= max_order; ++n) {
    const auto k = static_cast<size_t>(n - 1);
    if (options.smooth == BleuSmooth::kAddK && n > 1) {
      stats.correct[k] += smooth_value;
      stats.total[k] += smooth_value;
    }
    if (stats.total[k] == 0.0) break;
    if (options.effective_order) eff_order = n;
    if (stats.correct[k] == 0.0) {
      if (options.smooth == BleuSmooth::kExp) {
        smooth_mteval *= 2;
        result.precisions[k] = 100.0 / (smooth_mteval * stats.total[k]);
      } else if (options.smooth == BleuSmooth::kFloor) {
        result.precisions[k] = 100.0 * smooth_value / stats.total[k];
      }
    } else {
      result.precisions[k] = 100.0 * stats.correct[k] / stats.total[k];
    }
  }
  double log_sum = 0.0;
  for (int n = 0; n < eff_order; ++n) log_sum += my_log(result.precisions[static_cast<size_t>(n)]);
  result.score = result.bp * std::exp(log_sum / eff_order);
  result.counts = stats.correct;
  result.totals = stats.total;
  return result;
}

Result<std::vector<BleuStats>> bleu_segment_stats(
    std::span<const std::string> hyps, std::span<const std::vector<std::string>> ref_streams,
    const BleuOptions& options) {
  ATIENDE_RETURN_IF_ERROR(validate(options));
  if (ref_streams.empty()) return Status::invalid_argument("BLEU needs at least one reference");
  for (size_t k = 0; k < ref_streams.size(); ++k) {
    if (ref_streams[k].size() != hyps.size()) {
      return Status::invalid_argument(
          "reference stream " + std::to_string(k + 1) + " has " +
          std::to_string(ref_streams[k].size()) + " lines but there are " +
          std::to_string(hyps.size()) + " hypotheses");
    }
  }
  const int max_order = options.max_ngram_order;
  std::vector<BleuStats> all;
  all.reserve(hyps.size());
  for (size_t i = 0; i < hyps.size(); ++i) {
    Vocabulary vocab;
    NgramCounts ref_ngrams;
    std::vector<int64_t> ref_lens;
    for (size_t k = 0; k < ref_streams.size(); ++k) {
      ATIENDE_ASSIGN_OR_RETURN(
          auto tokens, preprocess(ref_streams[k][i], options,
                                  "reference " + std::to_string(k + 1) + " line " +
                                      std::to_string(i + 1)));
      ref_lens.push_back(static_cast<int64_t>(tokens.size()));
      NgramCounts these = extract_ngrams(vocab.ids(tokens), max_order);
      if (k == 0) {
        ref_ngrams = std::move(these);
      } else {
        for (const auto& [ngram, count] : these) {
          auto& slot = ref_ngrams[ngram];
          slot = std::max(slot, count);
        }
      }
    }
    ATIENDE_ASSIGN_OR_RETURN(auto hyp_tokens,
                             preprocess(hyps[i], options, "hypothesis line " + std::to_string(i + 1)));
    const NgramCounts hyp_ngrams = extract_ngrams(vocab.ids(hyp_tokens), max_order);
    BleuStats stats;
    stats.correct.assign(static_cast<size_t>(max_order), 0.0);
    stats.total.assign(static_cast<size_t>(max_order), 0.0);
    stats.sys_len = static_cast<int64_t>(hyp_tokens.size());
    stats.ref_len = closest_ref_len(stats.sys_len, ref_lens);
    for (const auto& [ngram, count] : hyp_ngrams) {
      const size_t n = ngram.size() - 1;
      stats.total[n] += static_cast<double>(count);
      auto it = ref_ngrams.find(ngram);
      if (it != ref_ngrams.end()) stats.correct[n] += static_cast<double>(std::min(count, it->second));
    }
    all.push_back(std::move(stats));
  }
  return all;
}

Result<BleuScore> corpus_bleu(std::span<const std::string> hyps,
                              std::span<const std::vector<std::string>> ref_streams,
                              const BleuOptions& options) {
  ATIENDE_ASSIGN_OR_RETURN(auto segments, bleu_segment_stats(hyps, ref_streams, options));
  BleuStats sum;
  sum.correct.assign(static_cast<size_t>(options.max_ngram_order), 0.0);
  sum.total.assign(static_cast<size_t>(options.max_ngram_order), 0.0);
  for (const auto& s : segments) {
    sum.sys_len += s.sys_len;
    sum.ref_len += s.ref_len;
    for (size_t n = 0; n < sum.correct.size(); ++n) {
      sum.correct[n] += s.correct[n];
      sum.total[n] += s.total[n];
    }
  }
  return compute_bleu(std::move(sum), options);
}

Result<BleuScore> sentence_bleu(const std::string& hyp, std::span<const std::string> refs,
                                BleuOptions options) {
  options.effective_order = true;
  std::vector<std::string> hyps{hyp};
  std::vector<std::vector<std::string>> streams;
  streams.reserve(refs.size());
  for (const auto& ref : refs) streams.push_back({ref});
  return corpus_bleu(hyps, streams, options);
}

std::string bleu_signature(const BleuOptions& options, int nrefs) {
  std::string smooth(bleu_smooth_name(options.smooth));
  if (options.smooth == BleuSmooth::kFloor || options.smooth == BleuSmooth::kAddK) {
    const double value = options.smooth_value.value_or(options.smooth == BleuSmooth::kFloor ? 0.1 : 1.0);
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "[%.2f]", value);
    smooth += buffer;
  }
  std::string sig = "nrefs:" + (nrefs < 0 ? std::string("var") : std::to_string(nrefs));
  sig += std::string("|case:") + (options.lowercase ? "lc" : "mixed");
  sig += std::string("|eff:") + (options.effective_order ? "yes" : "no");
  sig += "|tok:" + std::string(sacre_tokenizer_name(options.tokenize));
  sig += "|smooth:" + smooth;
  sig += "|version:" + std::string(kSacrebleuCompatVersion);
  return sig;
}

}  // namespace atiende::eval
