#pragma once
/// BLEU exactly as sacreBLEU 2.x computes it (corpus_bleu, sentence_bleu, BLEU.compute_bleu):
/// same tokenizers, smoothing (exp, floor, add-k, none), effective order, closest reference length,
/// floating-point evaluation order, and signature string. Scores are on sacreBLEU's 0–100 scale and
/// are not rounded. Pure functions, thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "eval/sacre_tokenizers.h"

namespace atiende::eval {

/// sacreBLEU's smoothing methods.
enum class BleuSmooth { kExp, kFloor, kAddK, kNone };

/// Parses "exp", "floor", "add-k", "none"; std::nullopt otherwise.
std::optional<BleuSmooth> parse_bleu_smooth(std::string_view name);
std::string_view bleu_smooth_name(BleuSmooth smooth);

struct BleuOptions {
  SacreTokenizer tokenize = SacreTokenizer::k13a;
  BleuSmooth smooth = BleuSmooth::kExp;
  /// floor / add-k value; std::nullopt means sacreBLEU's default (floor 0.1, add-k 1).
  std::optional<double> smooth_value;
  bool lowercase = false;
  bool effective_order = false;  ///< sentence_bleu() forces true, like sacreBLEU
  int max_ngram_order = 4;       ///< 1..9
};

/// Sufficient statistics (summed over segments).
struct BleuStats {
  std::vector<double> correct;  ///< matches per order, size max_ngram_order (integers)
  std::vector<double> total;    ///< hypothesis n-grams per order
  int64_t sys_len = 0;          ///< hypothesis tokens
  int64_t ref_len = 0;          ///< closest reference tokens
};

struct BleuScore {
  double score = 0;                 ///< 0–100
  std::vector<double> counts;       ///< matches per order (after add-k, as sacreBLEU reports)
  std::vector<double> totals;       ///< totals per order
  std::vector<double> precisions;   ///< 0–100 per order
  double bp = 0;                    ///< brevity penalty
  int64_t sys_len = 0;
  int64_t ref_len = 0;
};

/// BLEU.compute_bleu from statistics.
BleuScore compute_bleu(BleuStats stats, const BleuOptions& options);

/// corpus_bleu: `hyps[i]` against `ref_streams[k][i]` (each stream as long as `hyps`).
/// Errors: no reference stream, misaligned streams, invalid UTF-8, bad options.
Result<BleuScore> corpus_bleu(std::span<const std::string> hyps,
                              std::span<const std::vector<std::string>> ref_streams,
                              const BleuOptions& options);

/// Per-segment statistics, as corpus_bleu aggregates them (one entry per hypothesis).
Result<std::vector<BleuStats>> bleu_segment_stats(std::span<const std::string> hyps,
                                                  std::span<const std::vector<std::string>> ref_streams,
                                                  const BleuOptions& options);

/// sentence_bleu: one hypothesis against its references, with effective order forced on.
Result<BleuScore> sentence_bleu(const std::string& hyp, std::span<const std::string> refs,
                                BleuOptions options);

/// sacreBLEU's signature, e.g. "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x".
/// `nrefs` < 0 prints "var".
std::string bleu_signature(const BleuOptions& options, int nrefs);

/// The version shown in signatures: the sacreBLEU major version whose semantics are reproduced.
inline constexpr std::string_view kSacrebleuCompatVersion = "2.x";

}  // namespace atiende::eval
