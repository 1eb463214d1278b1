// BM25 top-k search: query analysis, the exhaustive term-at-a-time reference, and exact dynamic
// pruning that returns the same hits.
//
// The pruned path is MaxScore (Turtle & Flood 1995) run over windows of kWindow slots, as
// Lucene's MaxScoreBulkScorer does. Each query term gets an upper bound of its contribution
// (idf x saturation of the term's largest pseudo frequency, max_tfn_). Terms are sorted by bound;
// once the k-th best score (theta) exceeds the sum of the smallest bounds, those terms are
// "non-essential": a chunk holding only them cannot enter the top k, so only chunks of the
// essential lists are candidates. In each window the essential lists are scored term at a time
// into small buffers (sequential, no per-chunk merge), then each candidate, in slot order, probes
// the non-essential lists (galloping forward) from the largest bound down, and stops as soon as
// its partial score plus the remaining bounds cannot reach theta. With common words (low idf,
// long lists) in a query, their lists are mostly skipped, not walked.
//
// Why the pruned path returns exactly what the exhaustive one does:
//  * Every term's contribution to a chunk is computed by the same inline functions with the same
//    inputs, and a chunk's final score is summed in query-term order starting from 0, exactly as
//    the term-at-a-time accumulator does (adding 0 for a term the chunk lacks changes nothing).
//  * A chunk is skipped only when an upper bound of its score, inflated by a slack, is strictly
//    below the k-th best score so far. A chunk whose score ties the k-th may still win on the
//    tie-break (lower chunk id), so ties are never pruned.
//  * The bounds are upper bounds of saturated_input() at reference statistics, scaled by
//    bound_drift() (>= 1) for the current ones, so they hold after any mutation.
//  * The threshold only comes from chunks that passed the filter.
#include <algorithm>
#include <cmath>

#include "index/lexical_bm25.h"
#include "index/lexical_bm25_internal.h"
#include "text/language.h"

namespace atiende::index::bm25_detail {
namespace {

/// Relative safety margin of every pruning comparison: covers float rounding of the bounds and of
/// partial sums taken in another order than the final one. A float sum of m positive terms is
/// within (m - 1) ulps-ish of any reordering, so the margin grows with the query's term count.
constexpr float kSlack = 1.0001f;
float pruning_slack(size_t terms) { return kSlack + 2.4e-7f * static_cast<float>(terms); }

struct Scratch {
  std::vector<float> scores;
  std::vector<uint32_t> touched;
};

/// Chunks per window of the pruned search (a multiple of 64).
constexpr uint32_t kWindow = 2048;

/// Per-thread buffers of the pruned search, indexed by slot - window start.
struct WindowScratch {
  std::vector<float> partial;     ///< essential-term score so far
  std::vector<uint64_t> present;  ///< bit set: the chunk has an essential term
};

struct HeapEntry {
  float score;
  uint32_t slot;
};

/// Top-k heap ordered worst-first (ties: the higher chunk id is worse).
class TopK {
 public:
  TopK(size_t k, const std::vector<DocInfo>& docs) : k_(k), docs_(docs) { heap_.reserve(k + 1); }

  bool full() const { return heap_.size() == k_; }
  /// The k-th best score (valid when full()).
  float threshold() const { return heap_.front().score; }
  /// Whether a chunk with this score would enter the heap now.
  bool admits(float score, uint32_t slot) const {
    return !full() || better(HeapEntry{score, slot}, heap_.front());
  }
  void push(float score, uint32_t slot) {
    heap_.push_back(HeapEntry{score, slot});
    std::push_heap(heap_.begin(), heap_.end(), cmp());
    if (heap_.size() > k_) {
      std::pop_heap(heap_.begin(), heap_.end(), cmp());
      heap_.pop_back();
    }
  }
  std::vector<ScoredChunk> take() {
    std::sort_heap(heap_.begin(), heap_.end(), cmp());
    std::vector<ScoredChunk> out;
    out.reserve(heap_.size());
    for (const HeapEntry& e : heap_) out.push_back(ScoredChunk{docs_[e.slot].chunk_id, e.score});
    return out;
  }

 private:
  bool better(const HeapEntry& a, const HeapEntry& b) const {
    if (a.score != b.score) return a.score > b.score;
    return docs_[a.slot].chunk_id < docs_[b.slot].chunk_id;
  }
  struct Cmp {
    const TopK* top;
    bool operator()(const HeapEntry& a, const HeapEntry& b) const { return top->better(a, b); }
  };
  Cmp cmp() const { return Cmp{this}; }

  size_t k_;
  const std::vector<DocInfo>& docs_;
  std::vector<HeapEntry> heap_;
};

/// First posting at or after `p` whose slot is >= target (galloping, then binary search).
const Posting* seek(const Posting* p, const Posting* end, uint32_t target) {
  if (p == end || p->slot >= target) return p;
  size_t step = 1;
  while (step < static_cast<size_t>(end - p) && p[step].slot < target) {
    p += step;
    step *= 2;
  }
  const Posting* hi = step < static_cast<size_t>(end - p) ? p + step : end;
  return std::lower_bound(p + 1, hi, target,
                          [](const Posting& x, uint32_t t) { return x.slot < t; });
}

/// One query term's list during a pruned search.
struct Cursor {
  const Posting* begin;
  const Posting* pos;
  const Posting* end;
  float idf;         ///< idf times the query weight
  float ub;          ///< upper bound of the term's contribution to any chunk
  uint32_t qindex;   ///< position in the query-term order (the summation order)
  const Posting* window_pos = nullptr;  ///< essential lists: next posting of the current window
};

}  // namespace

std::vector<Bm25Index::QueryTerm> Bm25Index::resolve_query(std::string_view query) const {
  std::string language = opt_.default_language;
  if (english_docs_ > 0) language = text::detect_language_short(query, language).language;
  std::vector<std::string> unigrams, bigrams;
  field_terms(analyzer_for(language), query, unigrams, bigrams);

  // Query terms with their query weights (repeated terms count again, bigrams are down-weighted).
  std::vector<std::pair<uint32_t, float>> weighted;
  auto add_term = [&](const std::string& t, float w) {
    auto it = term_ids_.find(t);
    if (it == term_ids_.end() || postings_[it->second].empty()) return;
    for (auto& [id, weight] : weighted) {
      if (id == it->second) {
        weight += w;
        return;
      }
    }
    weighted.emplace_back(it->second, w);
  };
  for (const auto& t : unigrams) add_term(t, 1.0f);
  for (const auto& t : bigrams) add_term(t, static_cast<float>(opt_.bigram_weight));

  const auto n = static_cast<double>(live_);
  std::vector<QueryTerm> out;
  out.reserve(weighted.size());
  for (const auto& [term, qweight] : weighted) {
    const auto df = static_cast<double>(postings_[term].size());
    out.push_back(QueryTerm{
        term, static_cast<float>(std::log(1.0 + (n - df + 0.5) / (df + 0.5))) * qweight});
  }
  return out;
}

Result<std::vector<ScoredChunk>> Bm25Index::search(std::string_view query, size_t k,
                                                   const Filter& filter) const {
  std::vector<CompiledCondition> conds;
  for (const FilterCondition& c : filter.conditions) {
    CompiledCondition cc{FieldKind::kType, "", &c.values};
    if (c.field == "type") {
      cc.kind = FieldKind::kType;
    } else if (c.field == "language") {
      cc.kind = FieldKind::kLanguage;
    } else if (c.field == "doc_id") {
      cc.kind = FieldKind::kDocId;
    } else if (c.field.rfind("metadata.", 0) == 0 && c.field.size() > 9) {
      cc.kind = FieldKind::kMetadata;
      cc.key = c.field.substr(9);
    } else {
      return Status::invalid_argument("unknown filter field '" + c.field +
                                      "' (use type, language, doc_id or metadata.<key>)");
    }
    conds.push_back(std::move(cc));
  }
  if (k == 0 || live_ == 0) return std::vector<ScoredChunk>{};
  const std::vector<QueryTerm> qterms = resolve_query(query);
  if (qterms.empty()) return std::vector<ScoredChunk>{};
  // With k1 = 0 the saturation is not monotonic in the term frequency (0/0 at zero), so the
  // bounds would not hold; that setting only gets the exhaustive path.
  if (opt_.dynamic_pruning && opt_.k1 > 0) return search_pruned(qterms, k, conds);
  return search_exhaustive(qterms, k, conds);
}

std::vector<ScoredChunk> Bm25Index::search_exhaustive(
    const std::vector<QueryTerm>& qterms, size_t k,
    const std::vector<CompiledCondition>& conds) const {
  thread_local Scratch scratch;
  if (scratch.scores.size() < docs_.size()) scratch.scores.resize(docs_.size(), 0.0f);
  float* scores = scratch.scores.data();
  std::vector<uint32_t>& touched = scratch.touched;
  touched.clear();

  const Norms norms = current_norms();
  for (const QueryTerm& q : qterms) {
    for (const Posting& p : postings_[q.term]) {
      const float s = term_score(q.idf, saturated_input(norms, p), norms.k1);
      // A zero share (title-only occurrence with title_weight 0) would break "score 0 means not
      // touched yet" and list the chunk twice; adding it would change nothing anyway.
      if (!(s > 0.0f)) continue;
      if (scores[p.slot] == 0.0f) touched.push_back(p.slot);
      scores[p.slot] += s;
    }
  }
  TopK top(k, docs_);
  for (uint32_t slot : touched) {
    const float score = scores[slot];
    if (score <= 0.0f || !top.admits(score, slot)) continue;
    if (!conds.empty() && !matches(docs_[slot], conds)) continue;
    top.push(score, slot);
  }
  for (uint32_t slot : touched) scores[slot] = 0.0f;
  touched.clear();
  return top.take();
}

std::vector<ScoredChunk> Bm25Index::search_pruned(
    const std::vector<QueryTerm>& qterms, size_t k,
    const std::vector<CompiledCondition>& conds) const {
  const Norms norms = current_norms();
  const double drift = bound_drift();
  const double k1 = opt_.k1;
  auto saturation_bound = [&](float max_tfn) {
    const double x = static_cast<double>(max_tfn) * drift;
    if (!(x < 1e30)) return k1 + 1.0;  // an infinite input saturates at k1 + 1
    return x * (k1 + 1.0) / (x + k1);
  };

  const size_t m = qterms.size();
  const float slack = pruning_slack(m);
  std::vector<Cursor> cursors;
  cursors.reserve(m);
  for (size_t i = 0; i < m; ++i) {
    const std::vector<Posting>& list = postings_[qterms[i].term];
    const double ub = qterms[i].idf * saturation_bound(max_tfn_[qterms[i].term]) * slack;
    cursors.push_back(Cursor{list.data(), list.data(), list.data() + list.size(), qterms[i].idf,
                             static_cast<float>(ub), static_cast<uint32_t>(i)});
  }
  // Ascending bounds: a prefix of cursors is "non-essential" once the sum of its bounds cannot
  // reach the threshold; only chunks in the other ("essential") lists are candidates.
  std::sort(cursors.begin(), cursors.end(), [](const Cursor& a, const Cursor& b) {
    return a.ub != b.ub ? a.ub < b.ub : a.qindex < b.qindex;
  });
  std::vector<float> prefix(m);
  double acc = 0;
  for (size_t i = 0; i < m; ++i) {
    acc += cursors[i].ub;
    prefix[i] = static_cast<float>(acc);
  }

  // Window buffers, all zero between windows.
  thread_local WindowScratch win;
  if (win.partial.size() < kWindow) win.partial.assign(kWindow, 0.0f);
  if (win.present.size() < kWindow / 64) win.present.assign(kWindow / 64, 0);
  float* partial = win.partial.data();
  uint64_t* present = win.present.data();
  std::vector<float> row(m, 0.0f);  // one candidate's contributions, by qindex; zero between uses

  TopK top(k, docs_);
  float theta = 0;  // k-th best score once the heap is full
  size_t first_essential = 0;
  while (first_essential < m) {
    // The next window starts at the first chunk of an essential list; chunks before it only hold
    // non-essential terms, so they cannot reach the threshold.
    uint32_t lo = UINT32_MAX;
    for (size_t i = first_essential; i < m; ++i) {
      if (cursors[i].pos != cursors[i].end) lo = std::min(lo, cursors[i].pos->slot);
    }
    if (lo == UINT32_MAX) break;
    const uint64_t hi = uint64_t{lo} + kWindow;
    // The split stays fixed for the window: the essential lists are scored term at a time into
    // the window buffer. Only their sum is kept; the few chunks that survive pruning get their
    // per-term shares again (window_pos) for the exact query-order sum.
    const size_t essential = first_essential;
    for (size_t i = essential; i < m; ++i) {
      Cursor& c = cursors[i];
      c.window_pos = c.pos;
      for (; c.pos != c.end && c.pos->slot < hi; ++c.pos) {
        const uint32_t at = c.pos->slot - lo;
        partial[at] += term_score(c.idf, saturated_input(norms, *c.pos), norms.k1);
        present[at / 64] |= uint64_t{1} << (at % 64);
      }
    }
    // Candidates in slot order: add non-essential terms, largest bound first, while the chunk
    // can still reach the threshold.
    for (uint32_t word = 0; word < kWindow / 64; ++word) {
      for (uint64_t bits = present[word]; bits != 0; bits &= bits - 1) {
        const uint32_t at = word * 64 + static_cast<uint32_t>(__builtin_ctzll(bits));
        const uint32_t doc = lo + at;
        float p = partial[at];
        partial[at] = 0;
        bool pruned = false;
        bool touched_row = false;
        for (size_t i = essential; i-- > 0;) {
          if (top.full() && (p + prefix[i]) * slack < theta) {
            pruned = true;
            break;
          }
          Cursor& c = cursors[i];
          c.pos = seek(c.pos, c.end, doc);
          if (c.pos != c.end && c.pos->slot == doc) {
            const float s = term_score(c.idf, saturated_input(norms, *c.pos), norms.k1);
            row[c.qindex] = s;
            touched_row = true;
            p += s;
          }
        }
        // p is now the whole score, summed in another order: within `slack` of the exact one.
        if (!pruned && top.full() && p * slack < theta) pruned = true;
        if (!pruned) {
          for (size_t i = essential; i < m; ++i) {
            Cursor& c = cursors[i];
            c.window_pos = seek(c.window_pos, c.pos, doc);
            if (c.window_pos != c.pos && c.window_pos->slot == doc) {
              row[c.qindex] = term_score(c.idf, saturated_input(norms, *c.window_pos), norms.k1);
            }
          }
          touched_row = true;
          float score = 0;
          for (size_t q = 0; q < m; ++q) score += row[q];  // query order, as the exhaustive sum
          if (score > 0.0f && top.admits(score, doc) &&
              (conds.empty() || matches(docs_[doc], conds))) {
            top.push(score, doc);
            if (top.full()) theta = top.threshold();
          }
        }
        if (touched_row) std::fill(row.begin(), row.end(), 0.0f);
      }
      present[word] = 0;
    }
    while (first_essential < m && prefix[first_essential] * slack < theta) ++first_essential;
  }
  return top.take();
}

}  // namespace atiende::index::bm25_detail
