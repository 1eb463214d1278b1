#pragma once
/// Weighted reciprocal-rank fusion (Cormack et al. 2009) of ranked lists.

#include <span>
#include <vector>

#include "index/types.h"

namespace atiende::retrieve {

/// One ranked list (best first) and its weight in the fusion.
struct RankedList {
  std::span<const index::ScoredChunk> items;
  double weight = 1.0;
};

/// score(id) = sum over lists containing id of weight / (k + rank), rank 1-based. Only an id's
/// first occurrence in a list counts. Returns at most `limit` ids, best first; ties go to the id
/// with the better best rank, then the smaller id (deterministic). Lists with weight <= 0 are
/// ignored. `k` must be >= 0 (60 is the customary value).
std::vector<index::ScoredChunk> reciprocal_rank_fusion(std::span<const RankedList> lists, double k,
                                                       size_t limit);

}  // namespace atiende::retrieve
