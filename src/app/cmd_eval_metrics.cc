// `atiende eval metrics`: BLEU, chrF, TER (sacreBLEU-exact), ROUGE (rouge-score) and semantic
// similarity over line-aligned hypothesis and reference files.

#include <iostream>
#include <memory>

#include "app/eval_subcommands.h"
#include "embed/local_embedder.h"
#include "eval/metric_report.h"

namespace atiende::app {
namespace {

struct MetricsArgs {
  std::string hyp;
  std::vector<std::string> refs;
  std::string metric;
  std::string tokenize = "13a";
  std::string smooth = "exp";
  double smooth_value = -1;
  bool lowercase = false;
  bool effective_order = false;
  int max_ngram_order = 4;
  int char_order = 6;
  int word_order = 0;
  double beta = 2;
  bool whitespace = false;
  bool eps_smoothing = false;
  bool case_sensitive = false;
  bool ter_normalized = false;
  bool ter_no_punct = false;
  std::string rouge_type = "rougeL";
  bool rouge_stem = false;
  bool rouge_unicode = false;
  bool token_vectors = false;
  bool per_line = false;
};

Result<eval::MetricRequest> build_request(const MetricsArgs& a) {
  eval::MetricRequest r;
  ATIENDE_ASSIGN_OR_RETURN(r.metric, eval::parse_metric_kind(a.metric));
  auto tok = eval::parse_sacre_tokenizer(a.tokenize);
  if (!tok) return Status::invalid_argument("--tokenize must be 13a, intl, char or none");
  auto smooth = eval::parse_bleu_smooth(a.smooth);
  if (!smooth) return Status::invalid_argument("--smooth must be exp, floor, add-k or none");
  r.bleu.tokenize = *tok;
  r.bleu.smooth = *smooth;
  if (a.smooth_value >= 0) r.bleu.smooth_value = a.smooth_value;
  r.bleu.lowercase = a.lowercase;
  r.bleu.effective_order = a.effective_order;
  r.bleu.max_ngram_order = a.max_ngram_order;
  r.chrf.char_order = a.char_order;
  r.chrf.word_order = a.word_order;
  r.chrf.beta = a.beta;
  r.chrf.lowercase = a.lowercase;
  r.chrf.whitespace = a.whitespace;
  r.chrf.eps_smoothing = a.eps_smoothing;
  r.ter.case_sensitive = a.case_sensitive;
  r.ter.normalized = a.ter_normalized;
  r.ter.no_punct = a.ter_no_punct;
  r.rouge.use_stemmer = a.rouge_stem;
  r.rouge.tokenizer = a.rouge_unicode ? eval::RougeTokenizer::kUnicode : eval::RougeTokenizer::kRougeScore;
  r.rouge_type = a.rouge_type;
  r.per_line = a.per_line;
  return r;
}

std::function<int()> setup_metrics(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Score hypotheses against references, one segment per line (files are line-aligned).\n"
      "BLEU, chrF and TER reproduce sacreBLEU 2.x exactly (0-100 scale); ROUGE reproduces Google's\n"
      "rouge-score (0-1, mean over lines); semantic is BERTScore-style similarity (0-1) with the\n"
      "configured embedder: sentence cosine, or greedy word matching with --token-vectors.\n"
      "Examples:\n"
      "  atiende eval metrics --hyp out.txt --ref ref.txt --metric bleu\n"
      "  atiende eval metrics --hyp out.txt --ref ref1.txt --ref ref2.txt --metric chrf --word-order 2\n"
      "  atiende eval metrics --hyp out.txt --ref ref.txt --metric rouge --rouge-unicode --json\n"
      "--json prints {\"metric\",\"name\",\"score\",\"signature\",...}; ROUGE adds \"rouge_type\" and\n"
      "\"precision\"/\"recall\"/\"fmeasure\" objects keyed by rouge1, rouge2, rougeL, rougeLsum.\n"
      "--per-line adds \"lines\": sentence-level scores (sentence_bleu/sentence_chrf/sentence_ter).");
  auto args = std::make_shared<MetricsArgs>();
  app.add_option("--hyp", args->hyp, "Hypothesis file (UTF-8, one segment per line)")->required();
  app.add_option("--ref", args->refs, "Reference file; repeat for several references")->required();
  app.add_option("--metric", args->metric, "bleu | chrf | ter | rouge | semantic")->required();
  app.add_option("--tokenize", args->tokenize, "BLEU tokenizer: 13a (default) | intl | char | none");
  app.add_option("--smooth", args->smooth, "BLEU smoothing: exp (default) | floor | add-k | none");
  app.add_option("--smooth-value", args->smooth_value,
                 "BLEU floor/add-k value (default 0.1 for floor, 1 for add-k)");
  app.add_flag("--lowercase", args->lowercase, "Lower-case before scoring (BLEU, chrF)");
  app.add_flag("--effective-order", args->effective_order,
               "BLEU corpus score with effective order (per-line scores always use it)");
  app.add_option("--max-ngram-order", args->max_ngram_order, "BLEU n-gram order (default 4)");
  app.add_option("--char-order", args->char_order, "chrF character n-gram order (default 6)");
  app.add_option("--word-order", args->word_order, "chrF word n-gram order (0 = chrF, 2 = chrF++)");
  app.add_option("--beta", args->beta, "chrF recall weight (default 2)");
  app.add_flag("--whitespace", args->whitespace, "chrF: keep whitespace in character n-grams");
  app.add_flag("--eps-smoothing", args->eps_smoothing, "chrF: eps smoothing (chrF++.py, Moses)");
  app.add_flag("--case-sensitive", args->case_sensitive, "TER: case-sensitive (default lower-cases)");
  app.add_flag("--ter-normalized", args->ter_normalized, "TER: Tercom punctuation normalization");
  app.add_flag("--ter-no-punct", args->ter_no_punct, "TER: remove punctuation");
  app.add_option("--rouge-type", args->rouge_type,
                 "ROUGE variant reported as score: rouge1 | rouge2 | rougeL (default) | rougeLsum");
  app.add_flag("--rouge-stem", args->rouge_stem,
               "ROUGE: Porter stemming (Snowball Spanish with --rouge-unicode)");
  app.add_flag("--rouge-unicode", args->rouge_unicode,
               "ROUGE: Unicode tokens for Spanish (keeps accents and ñ) instead of [a-z0-9]");
  app.add_flag("--token-vectors", args->token_vectors,
               "semantic: greedy matching of per-word vectors (BERTScore-style) instead of one "
               "sentence vector per line");
  app.add_flag("--per-line", args->per_line, "Also print one sentence-level score per line");

  return [args, &globals]() {
    auto request = build_request(*args);
    if (!request.ok()) return report_error(request.status(), globals);
    auto hyps = eval::read_lines(args->hyp);
    if (!hyps.ok()) return report_error(hyps.status(), globals);
    std::vector<std::vector<std::string>> streams;
    for (const auto& ref : args->refs) {
      auto lines = eval::read_lines(ref);
      if (!lines.ok()) return report_error(lines.status(), globals);
      if (lines->size() != hyps->size()) {
        return report_error(
            Status::invalid_argument("misaligned files: " + args->hyp + " has " +
                                     std::to_string(hyps->size()) + " lines but " + ref + " has " +
                                     std::to_string(lines->size()) + " lines"),
            globals);
      }
      streams.push_back(std::move(*lines));
    }
    std::unique_ptr<embed::Embedder> embedder;
    if (request->metric == eval::MetricKind::kSemantic) {
      // The configured local embedder (embed.* keys); its vectors are sentence-level.
      auto config = load_config(globals);
      if (!config.ok()) return report_error(config.status(), globals);
      auto made = embed::make_local_embedder(*config);
      if (!made.ok()) return report_error(made.status(), globals);
      embedder = std::move(*made);
      request->embedder = embedder.get();
      if (args->token_vectors) request->token_embed = eval::word_vectors_from(*embedder);
    }
    auto report = eval::compute_metric_report(*hyps, streams, *request);
    if (!report.ok()) return report_error(report.status(), globals);
    if (globals.json) {
      std::cout << eval::metric_report_json(*report) << "\n";
    } else {
      std::cout << eval::metric_report_text(*report);
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_EVAL_SUBCOMMAND("metrics", setup_metrics);
}  // namespace atiende::app
