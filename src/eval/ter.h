#pragma once
/// TER exactly as sacreBLEU 2.x computes it (lib_ter.py, a Tercom re-implementation): greedy
/// shifts ranked like Tercom (max 10 words, distance 50, at most 1000 candidates per segment),
/// beam-limited Levenshtein (width 25), best reference by edits, average reference length, and
/// sacreBLEU's TercomTokenizer (case-insensitive by default). Scores are 0–100, unrounded.
/// Asian-language normalization is not supported. Pure functions, thread-safe.

#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "eval/sacre_tokenizers.h"

namespace atiende::eval {

struct TerOptions {
  bool normalized = false;      ///< Tercom's western punctuation tokenization
  bool no_punct = false;        ///< remove punctuation
  bool case_sensitive = false;  ///< sacreBLEU's default lower-cases
};

struct TerScore {
  double score = 0;       ///< 0–100
  double num_edits = 0;   ///< summed best edits (shifts + insertions + deletions + substitutions)
  double ref_length = 0;  ///< summed average reference lengths
};

/// translation_edit_rate on already tokenized words: {edits, reference length}.
std::pair<int64_t, int64_t> translation_edit_rate(const std::vector<std::u32string>& hyp_words,
                                                  const std::vector<std::u32string>& ref_words);

/// TER().corpus_score: `hyps[i]` against `ref_streams[k][i]`.
Result<TerScore> corpus_ter(std::span<const std::string> hyps,
                            std::span<const std::vector<std::string>> ref_streams,
                            const TerOptions& options);

/// TER().sentence_score.
Result<TerScore> sentence_ter(const std::string& hyp, std::span<const std::string> refs,
                              const TerOptions& options);

/// sacreBLEU's signature, e.g. "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.x".
std::string ter_signature(const TerOptions& options, int nrefs);

}  // namespace atiende::eval
