#include "retrieve/fusion.h"

#include <algorithm>
#include <unordered_map>

namespace atiende::retrieve {

std::vector<index::ScoredChunk> reciprocal_rank_fusion(std::span<const RankedList> lists, double k,
                                                       size_t limit) {
  struct Acc {
    double score = 0;
    size_t best_rank = SIZE_MAX;
    size_t last_list = SIZE_MAX;  ///< the list that last counted this id
  };
  std::unordered_map<int64_t, Acc> acc;
  size_t total = 0;
  for (const auto& list : lists) total += list.items.size();
  acc.reserve(total);
  for (size_t li = 0; li < lists.size(); ++li) {
    const RankedList& list = lists[li];
    if (!(list.weight > 0)) continue;
    for (size_t i = 0; i < list.items.size(); ++i) {
      const size_t rank = i + 1;
      Acc& a = acc[list.items[i].chunk_id];
      if (a.last_list == li) continue;  // repeated within this list: first occurrence counts
      a.last_list = li;
      a.score += list.weight / (k + static_cast<double>(rank));
      a.best_rank = std::min(a.best_rank, rank);
    }
  }
  struct Entry {
    int64_t id;
    double score;
    size_t best_rank;
  };
  std::vector<Entry> entries;
  entries.reserve(acc.size());
  for (const auto& [id, a] : acc) entries.push_back({id, a.score, a.best_rank});
  auto better = [](const Entry& a, const Entry& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.best_rank != b.best_rank) return a.best_rank < b.best_rank;
    return a.id < b.id;
  };
  if (entries.size() > limit) {
    std::partial_sort(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(limit),
                      entries.end(), better);
    entries.resize(limit);
  } else {
    std::sort(entries.begin(), entries.end(), better);
  }
  std::vector<index::ScoredChunk> out;
  out.reserve(entries.size());
  for (const auto& e : entries) out.push_back({e.id, static_cast<float>(e.score)});
  return out;
}

}  // namespace atiende::retrieve
