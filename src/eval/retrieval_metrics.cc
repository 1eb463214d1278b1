#include "eval/retrieval_metrics.h"

#include <cmath>
#include <unordered_set>

namespace atiende::eval {
namespace {

// Ranking with duplicates removed (first occurrence wins), in order.
std::vector<std::string> dedup(std::span<const std::string> ranked) {
  std::vector<std::string> out;
  std::unordered_set<std::string> seen;
  for (const auto& id : ranked) {
    if (seen.insert(id).second) out.push_back(id);
  }
  return out;
}

}  // namespace

RetrievalScores score_ranking(std::span<const std::string> ranked,
                              std::span<const std::string> relevant, size_t k) {
  RetrievalScores s;
  const std::unordered_set<std::string> rel(relevant.begin(), relevant.end());
  if (rel.empty() || k == 0) return s;
  const auto list = dedup(ranked);
  size_t found = 0;
  double dcg = 0;
  for (size_t i = 0; i < list.size() && i < k; ++i) {
    if (!rel.count(list[i])) continue;
    ++found;
    dcg += 1.0 / std::log2(static_cast<double>(i) + 2.0);
    if (s.mrr == 0) s.mrr = 1.0 / static_cast<double>(i + 1);
  }
  double ideal = 0;
  for (size_t i = 0; i < rel.size() && i < k; ++i) ideal += 1.0 / std::log2(static_cast<double>(i) + 2.0);
  s.recall = static_cast<double>(found) / static_cast<double>(rel.size());
  s.precision = static_cast<double>(found) / static_cast<double>(k);
  s.ndcg = ideal > 0 ? dcg / ideal : 0;
  s.hit = found > 0 ? 1.0 : 0.0;
  return s;
}

std::vector<size_t> relevant_ranks(std::span<const std::string> ranked,
                                   std::span<const std::string> relevant) {
  const auto list = dedup(ranked);
  std::vector<size_t> ranks;
  ranks.reserve(relevant.size());
  for (const auto& id : relevant) {
    size_t rank = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      if (list[i] == id) {
        rank = i + 1;
        break;
      }
    }
    ranks.push_back(rank);
  }
  return ranks;
}

RetrievalScores mean_scores(std::span<const RetrievalScores> per_query) {
  RetrievalScores m;
  if (per_query.empty()) return m;
  for (const auto& s : per_query) {
    m.recall += s.recall;
    m.precision += s.precision;
    m.mrr += s.mrr;
    m.ndcg += s.ndcg;
    m.hit += s.hit;
  }
  const auto n = static_cast<double>(per_query.size());
  m.recall /= n;
  m.precision /= n;
  m.mrr /= n;
  m.ndcg /= n;
  m.hit /= n;
  return m;
}

}  // namespace atiende::eval
