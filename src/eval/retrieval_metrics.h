#pragma once
/// Ranking metrics for retrieval evaluation with binary relevance: recall@k, precision@k, MRR@k,
/// nDCG@k (gain 1 / log2(rank + 1), ideal DCG from min(k, |relevant|) hits) and hit rate@k.
/// Duplicate ids in a ranking count once (at their first rank). A query with no relevant ids
/// scores 0 on every metric. Pure functions, thread-safe.

#include <span>
#include <string>
#include <vector>

namespace atiende::eval {

struct RetrievalScores {
  double recall = 0;     ///< |relevant in top k| / |relevant|
  double precision = 0;  ///< |relevant in top k| / k
  double mrr = 0;        ///< 1 / rank of the first relevant id in the top k (0 if none)
  double ndcg = 0;       ///< DCG@k / ideal DCG@k
  double hit = 0;        ///< 1 if any relevant id is in the top k
};

/// Scores one ranked list (`ranked[0]` is rank 1) against the relevant ids. `k` >= 1.
RetrievalScores score_ranking(std::span<const std::string> ranked,
                              std::span<const std::string> relevant, size_t k);

/// 1-based ranks (within the whole list) of each relevant id, 0 when not retrieved; same order
/// as `relevant`.
std::vector<size_t> relevant_ranks(std::span<const std::string> ranked,
                                   std::span<const std::string> relevant);

/// Mean of each metric over queries (zeros for an empty span).
RetrievalScores mean_scores(std::span<const RetrievalScores> per_query);

}  // namespace atiende::eval
