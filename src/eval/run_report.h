#pragma once
/// Scoring of `atiende eval run`: every golden question answered by every config's full chat
/// pipeline, scored against the reference answer and the relevant documents, then summarised per
/// config. The app collects the answers (it owns the chat engine); this module only scores and
/// serializes, so it can be tested with hand-made answers.
///
/// Per answer (null = not applicable):
///  - text metrics against `reference_answer`, on the answer with its [n] citation markers removed:
///    `bleu` (sacreBLEU sentence_bleu, 0–100), `chrf` (sentence_chrf, 0–100), `rouge1_f`,
///    `rouge2_f`, `rougeL_f`, `rougeL_p`, `rougeL_r` (rouge-score with the Unicode tokenizer,
///    0–1), `semantic_f1`, `semantic_precision`, `semantic_recall` (semantic.h, 0–1);
///  - retrieval at the config's k over the distinct documents the pipeline retrieved:
///    `retrieval_recall`, `retrieval_precision`, `retrieval_mrr`, `retrieval_ndcg`,
///    `retrieval_hit_rate` (null when the question lists no relevant document);
///  - `groundedness`, `citation_precision`, `citation_coverage` of the answer in the chunks it
///    cites (groundedness.h; null for abstentions, agent turns and failed turns, and
///    citation_precision is null when the answer cites nothing);
///  - `abstained`, `fallback`, `failed` as 0/1.
/// Per config: `bleu` and `chrf` are corpus scores (sacreBLEU corpus_bleu / corpus_chrf), every
/// other metric is the mean of the non-null per-answer values (null when all are null), the 0/1
/// flags become `abstain_rate`, `fallback_rate` and `failure_rate`. Latency percentiles use linear
/// interpolation between order statistics (numpy's default). Cost = tokens / 1000 x price.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "eval/golden_qa.h"
#include "eval/groundedness.h"
#include "eval/rouge.h"
#include "eval/semantic.h"

namespace atiende::eval {

/// A source the answer cites: its [number] marker and the full text of the cited chunk.
struct RunCitation {
  int number = 0;
  std::string doc_id;
  int64_t chunk_id = 0;
  std::string title;
  std::string chunk_text;
};

/// One question answered by one config.
struct RunAnswer {
  std::string text;                    ///< the answer as the customer saw it
  std::vector<RunCitation> citations;
  std::vector<std::string> retrieved;  ///< distinct doc ids retrieved for the answer, best first
  double latency_ms = 0;               ///< wall clock of the whole turn
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  std::string provider;                ///< "builtin", "openai", "bedrock", "agent"
  bool abstained = false;
  bool fallback = false;
  std::string error;                   ///< non-empty when the turn failed (scored as "")
};

/// One config and its answers, aligned with the golden questions.
struct ConfigRun {
  std::string name;  ///< file stem, or "default"
  std::string path;  ///< config file ("" for the default config)
  size_t k = 5;      ///< retrieval depth of the pipeline (chat.top_k)
  double price_prompt_per_1k = 0;
  double price_completion_per_1k = 0;
  std::map<std::string, std::string> settings;  ///< what the config sets, for the report
  std::vector<RunAnswer> answers;
};

struct RunScoringOptions {
  /// Embedder of the semantic metric (required); the same for every config so scores compare.
  const embed::Embedder* embedder = nullptr;
  TokenEmbedFn token_embed;  ///< optional: BERTScore-style greedy matching instead of cosine
  RougeOptions rouge{false, RougeTokenizer::kUnicode, "spanish"};
  GroundednessOptions groundedness;
};

/// A metric value; std::nullopt = not applicable (JSON null).
using MetricMap = std::map<std::string, std::optional<double>>;

struct LatencySummary {
  double p50 = 0;
  double p95 = 0;
  double mean = 0;
  double max = 0;
};

struct ScoredAnswer {
  RunAnswer answer;
  MetricMap metrics;
  double cost = 0;
};

struct ConfigSummary {
  std::string name;
  std::string path;
  size_t k = 0;
  std::map<std::string, std::string> settings;
  double price_prompt_per_1k = 0;
  double price_completion_per_1k = 0;
  MetricMap metrics;
  LatencySummary latency_ms;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  double cost = 0;
  std::vector<ScoredAnswer> answers;  ///< aligned with RunReport::golden
};

/// The outcome of a `--gate` check, kept in the report.
struct GateSummary {
  std::string file;
  bool passed = true;
  std::vector<std::string> failures;  ///< one line per missed threshold
};

struct RunReport {
  std::string created_at;   ///< ISO 8601 UTC
  std::string golden_path;
  std::vector<GoldenQuestion> golden;
  std::map<std::string, std::string> settings;  ///< how metrics were computed (signatures, ...)
  std::vector<std::string> warnings;
  std::vector<ConfigSummary> configs;
  std::optional<GateSummary> gate;
};

/// Scores every config's answers. invalid_argument when a config's answers are not aligned with
/// `golden`, two configs share a name, or the embedder is missing; metric errors (e.g. invalid
/// UTF-8) name the config and question.
Result<RunReport> score_run(std::vector<GoldenQuestion> golden, std::string golden_path,
                            std::vector<ConfigRun> configs, const RunScoringOptions& options);

/// `answer` without its citation markers ("[1]", "[1, 2]", "【1】"), with the spaces they leave
/// tidied ("Cuesta 10 [1]." -> "Cuesta 10.").
std::string strip_citation_markers(std::string_view answer);

/// Linear-interpolation percentile (`q` in 0..100) of `values`; 0 for an empty list.
double percentile(std::vector<double> values, double q);

/// The report as JSON text (schema in docs/API.md, "eval run report"). `indent` < 0 = compact.
std::string run_report_json(const RunReport& report, int indent = 2);

/// Per config name, the values a gate can check: every metric plus `latency_p50_ms`,
/// `latency_p95_ms`, `latency_mean_ms`, `prompt_tokens`, `completion_tokens` and `cost`.
std::map<std::string, MetricMap> gate_values(const RunReport& report);

}  // namespace atiende::eval
