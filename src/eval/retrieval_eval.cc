#include "eval/retrieval_eval.h"

#include <unordered_set>

#include "common/json.h"
#include "common/strings.h"
#include "eval/golden_lines.h"

namespace atiende::eval {

Result<std::vector<GoldenQuery>> parse_golden_queries(std::string_view text, std::string_view source) {
  std::vector<GoldenQuery> out;
  ATIENDE_RETURN_IF_ERROR(for_each_golden_line(
      text, source, "golden queries", [&](const Json& j, size_t line, std::string id) -> Status {
        GoldenQuery q;
        q.line = line;
        q.id = std::move(id);
        if (!j.contains("query") || !j["query"].is_string() ||
            trim(j["query"].get<std::string>()).empty()) {
          return golden_line_error(source, line, "missing or empty \"query\"");
        }
        q.query = j["query"].get<std::string>();
        ATIENDE_ASSIGN_OR_RETURN(q.relevant, golden_relevant_ids(j, source, line, false));
        out.push_back(std::move(q));
        return Status::ok_status();
      }));
  return out;
}

Result<RetrievalEvaluation> evaluate_retrieval(
    const std::vector<GoldenQuery>& golden, const DocumentSearch& search, size_t k,
    const std::function<bool(const std::string&)>& known_document, std::string_view source,
    const std::function<void(size_t, size_t)>& progress, size_t depth_factor) {
  if (k == 0) return Status::invalid_argument("k must be at least 1");
  RetrievalEvaluation out;
  out.k = k;
  std::vector<RetrievalScores> scores;
  for (const auto& q : golden) {
    for (const auto& id : q.relevant) {
      if (known_document && !known_document(id)) {
        out.warnings.push_back(std::string(source) + ":" + std::to_string(q.line) +
                               ": unknown doc id '" + id + "' (query " + q.id +
                               "): counted as unretrievable");
      }
    }
    auto hits = search(q.query, k * std::max<size_t>(1, depth_factor));
    if (!hits.ok()) return hits.status().with_context("query " + q.id);
    QueryEvaluation e;
    e.golden = &q;
    std::unordered_set<std::string> seen;
    for (auto& id : *hits) {
      if (e.ranked.size() == k) break;
      if (seen.insert(id).second) e.ranked.push_back(std::move(id));
    }
    e.ranks = relevant_ranks(e.ranked, q.relevant);
    e.scores = score_ranking(e.ranked, q.relevant, k);
    scores.push_back(e.scores);
    out.queries.push_back(std::move(e));
    if (progress) progress(out.queries.size(), golden.size());
  }
  out.mean = mean_scores(scores);
  return out;
}

}  // namespace atiende::eval
