// `atiende eval retrieval`: recall@k, precision@k, MRR@k, nDCG@k and hit rate of the knowledge
// base's search over a golden file, with per-query ranks.

#include <iomanip>
#include <iostream>
#include <memory>

#include "app/eval_subcommands.h"
#include "common/files.h"
#include "common/json.h"
#include "common/progress.h"
#include "eval/retrieval_eval.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

struct RetrievalArgs {
  std::string golden;
  size_t k = 10;
  std::string mode = "hybrid";
};

Json scores_json(const eval::RetrievalScores& s) {
  return {{"recall", s.recall}, {"precision", s.precision}, {"mrr", s.mrr}, {"ndcg", s.ndcg},
          {"hit_rate", s.hit}};
}

Json evaluation_json(const eval::RetrievalEvaluation& e, const std::string& mode) {
  Json out = {{"k", e.k}, {"mode", mode}, {"queries", e.queries.size()}};
  out.update(scores_json(e.mean));
  out["warnings"] = e.warnings;
  Json per_query = Json::array();
  for (const auto& q : e.queries) {
    Json item = {{"id", q.golden->id},     {"query", q.golden->query},
                 {"relevant", q.golden->relevant}, {"ranks", q.ranks},
                 {"retrieved", q.ranked}};
    item.update(scores_json(q.scores));
    per_query.push_back(std::move(item));
  }
  out["per_query"] = std::move(per_query);
  return out;
}

void print_human(const eval::RetrievalEvaluation& e, const std::string& mode) {
  for (const auto& w : e.warnings) std::cerr << "warning: " << w << "\n";
  std::cout << std::fixed << std::setprecision(3);
  for (const auto& q : e.queries) {
    std::cout << std::left << std::setw(12) << q.golden->id << " ranks";
    for (size_t r : q.ranks) std::cout << " " << (r == 0 ? std::string("-") : std::to_string(r));
    std::cout << "   " << q.golden->query << "\n";
  }
  std::cout << "\n" << e.queries.size() << " queries, mode " << mode << ", k " << e.k << "\n"
            << "recall@k    " << e.mean.recall << "\n"
            << "precision@k " << e.mean.precision << "\n"
            << "MRR@k       " << e.mean.mrr << "\n"
            << "nDCG@k      " << e.mean.ndcg << "\n"
            << "hit rate@k  " << e.mean.hit << "\n";
}

int run_retrieval(const RetrievalArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  const auto mode = retrieve::parse_search_mode(args.mode);
  if (!mode) {
    return report_error(Status::invalid_argument("--mode must be bm25, vector or hybrid, got \"" +
                                                 args.mode + "\""),
                        globals);
  }
  if (args.k < 1 || args.k > 100) {
    return report_error(Status::invalid_argument("--k must be between 1 and 100"), globals);
  }
  auto text = read_file(args.golden);
  if (!text.ok()) return report_error(text.status(), globals);
  auto golden = eval::parse_golden_queries(*text, args.golden);
  if (!golden.ok()) return report_error(golden.status(), globals);
  auto kb = retrieve::open_knowledge_base(*config);
  if (!kb.ok()) return report_error(kb.status(), globals);
  retrieve::KnowledgeBase& base = **kb;

  auto search = [&](std::string_view query, size_t depth) -> Result<std::vector<std::string>> {
    ATIENDE_ASSIGN_OR_RETURN(auto hits, base.search(query, depth, *mode));
    std::vector<std::string> ids;
    ids.reserve(hits.size());
    for (auto& hit : hits) ids.push_back(std::move(hit.doc_id));
    return ids;
  };
  auto known = [&](const std::string& doc_id) {
    auto document = base.store().get_document(doc_id);
    return document.ok() && document->has_value();
  };
  ProgressBar bar(golden->size(), "queries", !globals.json && stderr_is_tty());
  auto evaluation = eval::evaluate_retrieval(*golden, search, args.k, known, args.golden,
                                             [&](size_t, size_t) { bar.advance(); });
  bar.finish();
  if (!evaluation.ok()) return report_error(evaluation.status(), globals);
  if (globals.json) {
    for (const auto& w : evaluation->warnings) std::cerr << "warning: " << w << "\n";
    std::cout << dump_json(evaluation_json(*evaluation, args.mode)) << "\n";
  } else {
    print_human(*evaluation, args.mode);
  }
  return kExitOk;
}

std::function<int()> setup_retrieval(CLI::App& app, GlobalOptions& globals) {
  auto args = std::make_shared<RetrievalArgs>();
  app.description(
      "Score the knowledge base's search against a golden file.\n"
      "  atiende eval retrieval --golden data/demo/golden/retrieval.jsonl --k 10 --mode hybrid\n"
      "Golden lines: {\"id\", \"query\", \"relevant\": [doc ids]}. Prints recall@k, precision@k,\n"
      "MRR@k, nDCG@k and hit rate, plus each query's ranks of its relevant documents (- = not in\n"
      "the top k). --json adds per-query results. Unknown doc ids are warned about and count as\n"
      "unretrievable; a malformed line is an error naming its line number.");
  app.add_option("--golden", args->golden, "Golden JSONL file")->required();
  app.add_option("--k", args->k, "Cut-off (1-100, default 10)");
  app.add_option("--mode", args->mode, "bm25 | vector | hybrid (default hybrid)");
  return [args, &globals]() { return run_retrieval(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_EVAL_SUBCOMMAND("retrieval", setup_retrieval);
}  // namespace atiende::app
