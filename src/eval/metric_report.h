#pragma once
/// One metric over line-aligned hypothesis and reference files: the engine behind
/// `atiende eval metrics`. Computes the corpus score (sacreBLEU 0–100 scale for BLEU, chrF, TER;
/// 0–1 for ROUGE and semantic), the signature, and optionally per-line sentence-level scores
/// (sentence_bleu, sentence_chrf, sentence_ter semantics with the same options).

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/rouge.h"
#include "eval/semantic.h"
#include "eval/ter.h"

namespace atiende::eval {

enum class MetricKind { kBleu, kChrf, kTer, kRouge, kSemantic };

/// Parses "bleu", "chrf", "ter", "rouge", "semantic".
Result<MetricKind> parse_metric_kind(std::string_view name);

struct MetricRequest {
  MetricKind metric = MetricKind::kBleu;
  BleuOptions bleu;
  ChrfOptions chrf;
  TerOptions ter;
  RougeOptions rouge;
  std::string rouge_type = "rougeL";  ///< the variant reported as "score"
  bool per_line = false;
  const embed::Embedder* embedder = nullptr;  ///< required for kSemantic
  TokenEmbedFn token_embed;                   ///< optional token vectors for kSemantic
};

struct MetricReport {
  std::string metric;     ///< "bleu", "chrf", "ter", "rouge", "semantic"
  std::string name;       ///< "BLEU", "chrF2", "chrF2++", "TER", "ROUGE", "semantic"
  double score = 0;
  std::string signature;
  std::vector<double> lines;  ///< per-line scores when requested
  std::optional<BleuScore> bleu;
  std::optional<TerScore> ter;
  /// ROUGE: mean P/R/F per variant ("rouge1", "rouge2", "rougeL", "rougeLsum"); semantic: "semantic".
  std::map<std::string, RougePrf> prf;
  std::string semantic_method;  ///< "token_greedy" or "sentence_cosine"
};

/// Reads a UTF-8 text file as lines ("\n" or "\r\n"; a final newline does not start a line).
/// Errors name the file and, for invalid UTF-8, the line.
Result<std::vector<std::string>> read_lines(const std::filesystem::path& path);

/// Computes the report. Each reference stream must have as many lines as `hyps`; otherwise the
/// error names both counts.
Result<MetricReport> compute_metric_report(std::span<const std::string> hyps,
                                           std::span<const std::vector<std::string>> ref_streams,
                                           const MetricRequest& request);

/// JSON: {"metric","name","score","signature", ...metric extras..., ["lines"]}. For ROUGE also
/// "rouge_type" and "precision"/"recall"/"fmeasure" objects keyed by variant; for semantic
/// "method" and numeric "precision"/"recall"/"fmeasure".
std::string metric_report_json(const MetricReport& report);

/// Human-readable text in sacreBLEU's style, e.g.
/// "BLEU = 48.53 82.4/50.0/45.5/37.5 (BP = 0.943 ratio = 0.944 hyp_len = 17 ref_len = 18)".
std::string metric_report_text(const MetricReport& report);

}  // namespace atiende::eval
