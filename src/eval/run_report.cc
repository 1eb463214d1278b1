#include "eval/run_report.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/retrieval_metrics.h"

namespace atiende::eval {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

/// Length of a citation marker starting at `at` ("[1]", "[1, 2]", "【1】"), 0 when there is none.
size_t marker_length(std::string_view s, size_t at) {
  static constexpr std::string_view kOpen = "\xe3\x80\x90";   // 【
  static constexpr std::string_view kClose = "\xe3\x80\x91";  // 】
  std::string_view close;
  size_t i = at;
  if (s[i] == '[') {
    close = "]";
    ++i;
  } else if (s.substr(i, kOpen.size()) == kOpen) {
    close = kClose;
    i += kOpen.size();
  } else {
    return 0;
  }
  bool number = false;
  while (i < s.size()) {
    if (is_digit(s[i])) {
      number = true;
      ++i;
    } else if (number && (s[i] == ',' || s[i] == ' ')) {
      ++i;
    } else {
      break;
    }
  }
  if (!number || s.substr(i, close.size()) != close) return 0;
  return i + close.size() - at;
}

/// Mean of the non-null values; null when there are none.
std::optional<double> mean_of(const std::vector<std::optional<double>>& values) {
  double sum = 0;
  size_t n = 0;
  for (const auto& v : values) {
    if (v) {
      sum += *v;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / static_cast<double>(n);
}

std::string context(const ConfigRun& config, const GoldenQuestion& q) {
  return "config " + config.name + ", question " + q.id;
}

/// Text, retrieval and groundedness metrics of one answer (semantic ones are added later, in one
/// batch per config).
Result<MetricMap> score_answer(const RunAnswer& answer, const std::string& hyp,
                               const GoldenQuestion& q, size_t k, const RunScoringOptions& options) {
  MetricMap m;
  const std::vector<std::string> refs = {q.reference_answer};
  ATIENDE_ASSIGN_OR_RETURN(BleuScore bleu, sentence_bleu(hyp, refs, BleuOptions{}));
  m["bleu"] = bleu.score;
  ATIENDE_ASSIGN_OR_RETURN(ChrfScore chrf, sentence_chrf(hyp, refs, ChrfOptions{}));
  m["chrf"] = chrf.score;
  for (const char* type : {"rouge1", "rouge2", "rougeL"}) {
    ATIENDE_ASSIGN_OR_RETURN(RougePrf prf, rouge_score(type, q.reference_answer, hyp, options.rouge));
    m[std::string(type) + "_f"] = prf.fmeasure;
    if (std::string_view(type) == "rougeL") {
      m["rougeL_p"] = prf.precision;
      m["rougeL_r"] = prf.recall;
    }
  }
  const char* retrieval[] = {"retrieval_recall", "retrieval_precision", "retrieval_mrr",
                             "retrieval_ndcg", "retrieval_hit_rate"};
  if (q.relevant.empty()) {
    for (const char* name : retrieval) m[name] = std::nullopt;
  } else {
    const RetrievalScores r = score_ranking(answer.retrieved, q.relevant, std::max<size_t>(k, 1));
    m["retrieval_recall"] = r.recall;
    m["retrieval_precision"] = r.precision;
    m["retrieval_mrr"] = r.mrr;
    m["retrieval_ndcg"] = r.ndcg;
    m["retrieval_hit_rate"] = r.hit;
  }
  m["groundedness"] = std::nullopt;
  m["citation_precision"] = std::nullopt;
  m["citation_coverage"] = std::nullopt;
  const bool knowledge_answer =
      answer.error.empty() && !answer.abstained && answer.provider != "agent";
  if (knowledge_answer) {
    std::map<std::string, std::string> chunks;
    for (const auto& c : answer.citations) chunks[std::to_string(c.number)] = c.chunk_text;
    const auto sentences = split_cited_answer(answer.text);
    ATIENDE_ASSIGN_OR_RETURN(GroundednessResult g,
                             groundedness(sentences, chunks, options.groundedness));
    if (g.content_sentences > 0) {
      m["groundedness"] = g.groundedness;
      m["citation_coverage"] = g.citation_coverage;
      if (g.citations > 0) m["citation_precision"] = g.citation_precision;
    }
  }
  m["abstained"] = answer.abstained ? 1.0 : 0.0;
  m["fallback"] = answer.fallback ? 1.0 : 0.0;
  m["failed"] = answer.error.empty() ? 0.0 : 1.0;
  return m;
}

Result<ConfigSummary> score_config(ConfigRun config, const std::vector<GoldenQuestion>& golden,
                                   const RunScoringOptions& options,
                                   std::map<std::string, std::string>& settings) {
  ConfigSummary s;
  s.name = config.name;
  s.path = config.path;
  s.k = config.k;
  s.settings = config.settings;
  s.price_prompt_per_1k = config.price_prompt_per_1k;
  s.price_completion_per_1k = config.price_completion_per_1k;
  std::vector<std::string> hyps;
  std::vector<std::string> refs;
  std::vector<double> latencies;
  for (size_t i = 0; i < golden.size(); ++i) {
    RunAnswer& answer = config.answers[i];
    std::string hyp = answer.error.empty() ? strip_citation_markers(answer.text) : std::string();
    auto metrics = score_answer(answer, hyp, golden[i], config.k, options);
    if (!metrics.ok()) return metrics.status().with_context(context(config, golden[i]));
    ScoredAnswer scored;
    scored.metrics = std::move(*metrics);
    scored.cost = static_cast<double>(answer.prompt_tokens) / 1000.0 * config.price_prompt_per_1k +
                  static_cast<double>(answer.completion_tokens) / 1000.0 *
                      config.price_completion_per_1k;
    s.prompt_tokens += answer.prompt_tokens;
    s.completion_tokens += answer.completion_tokens;
    s.cost += scored.cost;
    latencies.push_back(answer.latency_ms);
    hyps.push_back(std::move(hyp));
    refs.push_back(golden[i].reference_answer);
    scored.answer = std::move(answer);
    s.answers.push_back(std::move(scored));
  }
  const std::vector<std::vector<std::string>> streams = {refs};
  auto semantic = semantic_similarity(hyps, streams, *options.embedder, options.token_embed);
  if (!semantic.ok()) return semantic.status().with_context("config " + config.name + ": semantic");
  settings["semantic_method"] = std::string(semantic_method_name(semantic->method));
  settings["semantic_embedder"] = semantic->embedder;
  for (size_t i = 0; i < s.answers.size(); ++i) {
    const SemanticScore& line = semantic->lines[i];
    s.answers[i].metrics["semantic_f1"] = line.f1;
    s.answers[i].metrics["semantic_precision"] = line.precision;
    s.answers[i].metrics["semantic_recall"] = line.recall;
  }
  // Means of every per-answer metric, then the corpus-level BLEU and chrF over them.
  std::map<std::string, std::vector<std::optional<double>>> columns;
  for (const auto& a : s.answers) {
    for (const auto& [name, value] : a.metrics) columns[name].push_back(value);
  }
  const std::map<std::string, std::string> rates = {
      {"abstained", "abstain_rate"}, {"fallback", "fallback_rate"}, {"failed", "failure_rate"}};
  for (const auto& [name, values] : columns) {
    auto rate = rates.find(name);
    s.metrics[rate == rates.end() ? name : rate->second] = mean_of(values);
  }
  ATIENDE_ASSIGN_OR_RETURN(BleuScore bleu, corpus_bleu(hyps, streams, BleuOptions{}));
  s.metrics["bleu"] = bleu.score;
  ATIENDE_ASSIGN_OR_RETURN(ChrfScore chrf, corpus_chrf(hyps, streams, ChrfOptions{}));
  s.metrics["chrf"] = chrf.score;
  s.latency_ms.p50 = percentile(latencies, 50);
  s.latency_ms.p95 = percentile(latencies, 95);
  s.latency_ms.max = latencies.empty() ? 0 : *std::max_element(latencies.begin(), latencies.end());
  double total = 0;
  for (double l : latencies) total += l;
  s.latency_ms.mean = latencies.empty() ? 0 : total / static_cast<double>(latencies.size());
  return s;
}

}  // namespace

std::string strip_citation_markers(std::string_view answer) {
  std::string out;
  out.reserve(answer.size());
  for (size_t i = 0; i < answer.size();) {
    if (size_t n = marker_length(answer, i); n > 0) {
      while (!out.empty() && out.back() == ' ') out.pop_back();  // "10 [1]." -> "10."
      i += n;
      continue;
    }
    // Runs of spaces (some left by removed markers) and leading spaces collapse.
    if (answer[i] == ' ' && (out.empty() || out.back() == ' ' || out.back() == '\n')) {
      ++i;
      continue;
    }
    out.push_back(answer[i++]);
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\n')) out.pop_back();
  return out;
}

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double position = std::clamp(q, 0.0, 100.0) / 100.0 * static_cast<double>(values.size() - 1);
  const auto lower = static_cast<size_t>(std::floor(position));
  const size_t upper = std::min(lower + 1, values.size() - 1);
  const double fraction = position - static_cast<double>(lower);
  return values[lower] + (values[upper] - values[lower]) * fraction;
}

Result<RunReport> score_run(std::vector<GoldenQuestion> golden, std::string golden_path,
                            std::vector<ConfigRun> configs, const RunScoringOptions& options) {
  if (options.embedder == nullptr) {
    return Status::invalid_argument("eval run: an embedder is required for the semantic metric");
  }
  RunReport report;
  report.golden_path = std::move(golden_path);
  std::set<std::string> names;
  for (const auto& c : configs) {
    if (!names.insert(c.name).second) {
      return Status::invalid_argument("two configs are named \"" + c.name +
                                      "\" (the name is the file stem): rename one file");
    }
    if (c.answers.size() != golden.size()) {
      return Status::invalid_argument("config " + c.name + " has " +
                                      std::to_string(c.answers.size()) + " answers for " +
                                      std::to_string(golden.size()) + " golden questions");
    }
  }
  report.settings["bleu_signature"] = bleu_signature(BleuOptions{}, 1);
  report.settings["chrf_signature"] = chrf_signature(ChrfOptions{}, 1);
  report.settings["rouge_tokenizer"] =
      options.rouge.tokenizer == RougeTokenizer::kUnicode ? "unicode" : "rouge_score";
  report.settings["rouge_stemmer"] = options.rouge.use_stemmer ? "yes" : "no";
  report.settings["groundedness_threshold"] =
      std::to_string(options.groundedness.support_threshold);
  for (auto& c : configs) {
    ATIENDE_ASSIGN_OR_RETURN(ConfigSummary summary,
                             score_config(std::move(c), golden, options, report.settings));
    report.configs.push_back(std::move(summary));
  }
  report.golden = std::move(golden);
  return report;
}

std::map<std::string, MetricMap> gate_values(const RunReport& report) {
  std::map<std::string, MetricMap> out;
  for (const auto& c : report.configs) {
    MetricMap values = c.metrics;
    values["latency_p50_ms"] = c.latency_ms.p50;
    values["latency_p95_ms"] = c.latency_ms.p95;
    values["latency_mean_ms"] = c.latency_ms.mean;
    values["prompt_tokens"] = static_cast<double>(c.prompt_tokens);
    values["completion_tokens"] = static_cast<double>(c.completion_tokens);
    values["cost"] = c.cost;
    out[c.name] = std::move(values);
  }
  return out;
}

}  // namespace atiende::eval
