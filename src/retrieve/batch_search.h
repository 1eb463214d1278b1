#pragma once
/// Batch search: JSON Lines of queries in, JSON Lines of hits out, in input order.
///   in:  {"id": <any JSON scalar>, "query": "...", optional "k", "mode", "filter"}
///   out: {"id": <as given>, "hits": [<hit>...]}   (hit shape: retrieve/hit_json.h)
/// Blank lines are skipped. The whole input is validated before any query runs, so a malformed
/// line produces an error naming its line number and no output.

#include <cstdint>
#include <functional>
#include <istream>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "retrieve/retriever.h"

namespace atiende::retrieve {

struct BatchOptions {
  size_t k = 10;                          ///< default when a line has no "k"
  SearchMode mode = SearchMode::kHybrid;  ///< default when a line has no "mode"
  index::Filter filter;                   ///< default when a line has no "filter"
  size_t threads = 0;                     ///< 0 = hardware concurrency
  /// Called after each finished query with (done, total) from the writing thread.
  std::function<void(uint64_t, uint64_t)> progress;
};

/// One parsed input line.
struct BatchQuery {
  std::string id_json;  ///< the id, re-serialized exactly as a JSON value ("q1", 7, null...)
  SearchRequest request;
};

/// Parses every line; errors are invalid_argument "line N: ..." (1-based).
Result<std::vector<BatchQuery>> parse_batch_queries(std::istream& in, const BatchOptions& options);

/// What a batch run measured.
struct BatchStats {
  size_t queries = 0;
  double seconds = 0;                  ///< wall time of the search phase
  std::vector<double> latencies_ms;    ///< per query, input order
};

/// Runs the queries on `options.threads` threads and writes one line per query, in input order.
/// A query that fails (e.g. an unknown filter field) stops the run with the error, prefixed by its
/// line's id.
Result<BatchStats> run_batch_search(const Retriever& retriever, std::span<const BatchQuery> queries,
                                    std::ostream& out, const BatchOptions& options);

}  // namespace atiende::retrieve
