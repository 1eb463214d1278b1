#include "eval/retrieval_eval.h"

#include <unordered_set>

#include "common/json.h"
#include "common/strings.h"

namespace atiende::eval {
namespace {

Status line_error(std::string_view source, size_t line, std::string_view what) {
  return Status::invalid_argument(std::string(source) + ":" + std::to_string(line) + ": " +
                                  std::string(what));
}

}  // namespace

Result<std::vector<GoldenQuery>> parse_golden_queries(std::string_view text, std::string_view source) {
  std::vector<GoldenQuery> out;
  std::unordered_set<std::string> ids;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (trim(line).empty()) continue;
    auto parsed = parse_json(line);
    if (!parsed.ok()) return line_error(source, line_number, "not JSON: " + parsed.status().message());
    const Json& j = *parsed;
    if (!j.is_object()) return line_error(source, line_number, "expected a JSON object");
    GoldenQuery q;
    q.line = line_number;
    if (!j.contains("id") || !(j["id"].is_string() || j["id"].is_number_integer())) {
      return line_error(source, line_number, "missing \"id\" (string or integer)");
    }
    q.id = j["id"].is_string() ? j["id"].get<std::string>() : std::to_string(j["id"].get<int64_t>());
    if (!j.contains("query") || !j["query"].is_string() || trim(j["query"].get<std::string>()).empty()) {
      return line_error(source, line_number, "missing or empty \"query\"");
    }
    q.query = j["query"].get<std::string>();
    if (!j.contains("relevant") || !j["relevant"].is_array() || j["relevant"].empty()) {
      return line_error(source, line_number, "\"relevant\" must be a non-empty array of doc ids");
    }
    for (const auto& id : j["relevant"]) {
      if (!id.is_string() || id.get<std::string>().empty()) {
        return line_error(source, line_number, "\"relevant\" holds a value that is not a doc id");
      }
      q.relevant.push_back(id.get<std::string>());
    }
    if (!ids.insert(q.id).second) {
      return line_error(source, line_number, "duplicate id \"" + q.id + "\"");
    }
    out.push_back(std::move(q));
  }
  if (out.empty()) return Status::invalid_argument(std::string(source) + ": no golden queries");
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
