#pragma once
/// chrF and chrF++ exactly as sacreBLEU 2.x computes them (CHRF.corpus_score, sentence_chrf):
/// character n-grams over code points (whitespace removed unless `whitespace`), optional word
/// n-grams (chrF++ with word_order 2) after sacreBLEU's punctuation splitting, best reference per
/// segment by F-score, statistics summed over the corpus, effective-order averaging or eps
/// smoothing. Scores are 0–100, unrounded. Pure functions, thread-safe.

#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace atiende::eval {

struct ChrfOptions {
  int char_order = 6;          ///< 1..100 (sacreBLEU's default 6)
  int word_order = 0;          ///< 0 = chrF, 2 = chrF++
  double beta = 2;             ///< recall weight (> 0)
  bool lowercase = false;
  bool whitespace = false;     ///< keep whitespace in character n-grams
  bool eps_smoothing = false;  ///< chrF++.py-style eps smoothing instead of effective order
};

struct ChrfScore {
  double score = 0;               ///< 0–100
  std::vector<double> statistics;  ///< [n_hyp, n_ref, n_match] per order (chars, then words)
};

/// corpus_chrf: `hyps[i]` against `ref_streams[k][i]`. Errors on misaligned streams, invalid
/// UTF-8 or bad options.
Result<ChrfScore> corpus_chrf(std::span<const std::string> hyps,
                              std::span<const std::vector<std::string>> ref_streams,
                              const ChrfOptions& options);

/// sentence_chrf: one hypothesis against its references.
Result<ChrfScore> sentence_chrf(const std::string& hyp, std::span<const std::string> refs,
                                const ChrfOptions& options);

/// sacreBLEU's signature, e.g. "nrefs:1|case:mixed|eff:yes|nc:6|nw:0|space:no|version:2.x".
std::string chrf_signature(const ChrfOptions& options, int nrefs);

/// The metric name sacreBLEU prints: "chrF2" or "chrF2++" (word_order > 0), with beta.
std::string chrf_name(const ChrfOptions& options);

}  // namespace atiende::eval
