#pragma once
/// Retrieval evaluation over a golden file (`atiende eval retrieval`): each golden query is run
/// through a search function and its ranked document ids are scored with retrieval_metrics.h.
///
/// Golden file: JSON Lines `{"id", "query", "relevant": [doc_id, ...]}` (blank lines skipped).
/// A malformed line is an error naming its line number. A relevant id the knowledge base does not
/// know gets a warning and stays in the list, so it counts as unretrievable (it lowers recall).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "eval/retrieval_metrics.h"

namespace atiende::eval {

struct GoldenQuery {
  std::string id;
  std::string query;
  std::vector<std::string> relevant;  ///< document ids
  size_t line = 0;                    ///< 1-based line in the golden file
};

/// Parses a golden file's text. `source` names it in errors ("golden.jsonl:7: ...").
Result<std::vector<GoldenQuery>> parse_golden_queries(std::string_view text, std::string_view source);

/// Ranked document ids for a query (best first, duplicates allowed), at least `k` deep if possible.
using DocumentSearch = std::function<Result<std::vector<std::string>>(std::string_view query, size_t k)>;

struct QueryEvaluation {
  const GoldenQuery* golden = nullptr;
  std::vector<std::string> ranked;  ///< distinct document ids, best first, at most k
  std::vector<size_t> ranks;        ///< per relevant id: 1-based rank in `ranked`, 0 = not in it
  RetrievalScores scores;
};

struct RetrievalEvaluation {
  size_t k = 10;
  RetrievalScores mean;
  std::vector<QueryEvaluation> queries;
  std::vector<std::string> warnings;  ///< e.g. "golden.jsonl:4: unknown doc id 'faq-x' ..."
};

/// Runs every query through `search` (asking for `k` * `depth_factor` chunks so that `k` distinct
/// documents are usually available) and scores it at `k`. `known_document` says whether a doc id
/// exists (unknown relevant ids produce warnings); `progress` (optional) is called after each query
/// with (done, total). A search error stops the run and names the query id.
Result<RetrievalEvaluation> evaluate_retrieval(
    const std::vector<GoldenQuery>& golden, const DocumentSearch& search, size_t k,
    const std::function<bool(const std::string&)>& known_document, std::string_view source,
    const std::function<void(size_t, size_t)>& progress = {}, size_t depth_factor = 3);

}  // namespace atiende::eval
