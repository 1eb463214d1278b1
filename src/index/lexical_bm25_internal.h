#pragma once
/// Private to the BM25 index (lexical_bm25*.cc): the index class, its storage layout and the
/// scoring formula shared by the exhaustive and the pruned (MaxScore) search paths.
///
/// Layout: one postings list per term (sorted by slot, 8 bytes a posting), a forward list of
/// terms per chunk (for removal and save), per-slot field lengths, and per term an upper bound of
/// the saturated term frequency over its postings (`max_tfn_`, 4 bytes a term), which is what
/// lets the search skip the chunks that hold only low-idf terms.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "index/lexical_bm25.h"
#include "text/analyzer.h"

namespace atiende::index::bm25_detail {

inline constexpr char kBigramSeparator = '\x1f';

struct TransparentHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

/// A term's occurrence counts in one chunk.
struct Posting {
  uint32_t slot;
  uint16_t tf_title;
  uint16_t tf_body;
};

/// Forward entry: a term of a chunk with its counts.
struct TermCount {
  uint32_t term;
  uint16_t tf_title;
  uint16_t tf_body;
};

struct DocInfo {
  int64_t chunk_id = 0;
  bool live = false;
  std::string doc_id;
  std::string type;
  std::string language;
  std::vector<std::pair<std::string, std::string>> metadata;  ///< top-level key -> value text
  std::vector<TermCount> terms;                               ///< sorted by term id
};

enum class FieldKind { kType, kLanguage, kDocId, kMetadata };

struct CompiledCondition {
  FieldKind kind;
  std::string key;  ///< metadata key
  const std::vector<std::string>* values;
};

/// The field-length normalization constants of one scoring pass (current corpus statistics, or
/// the reference statistics the stored bounds were computed with).
struct Norms {
  float k1 = 0, b = 0, title_b = 0, title_weight = 0;
  float inv_avg_body = 0, inv_avg_title = 0;  ///< 1 / average field length, 0 if the field is empty
  const uint32_t* body_len = nullptr;         ///< by slot
  const uint32_t* title_len = nullptr;        ///< by slot
};

/// BM25F pseudo term frequency of one posting. Both search paths call exactly this, so the pruned
/// path reproduces the exhaustive scores bit for bit.
inline float saturated_input(const Norms& n, const Posting& p) {
  float tf = 0;
  if (p.tf_body) tf += p.tf_body / (1.0f - n.b + n.b * n.body_len[p.slot] * n.inv_avg_body);
  if (p.tf_title) {
    tf += n.title_weight * p.tf_title /
          (1.0f - n.title_b + n.title_b * n.title_len[p.slot] * n.inv_avg_title);
  }
  return tf;
}

/// One term's score contribution: idf (already times the query weight) and saturation.
inline float term_score(float idf, float tf, float k1) { return idf * tf * (k1 + 1.0f) / (tf + k1); }

class Bm25Index final : public LexicalIndex {
 public:
  explicit Bm25Index(Bm25Options options) : opt_(std::move(options)) {}

  Status upsert(std::span<const store::Chunk> chunks) override;
  Status remove(std::span<const int64_t> chunk_ids) override;
  size_t size() const override { return live_; }
  Result<std::vector<ScoredChunk>> search(std::string_view query, size_t k,
                                          const Filter& filter) const override;
  Status check_integrity() const override;
  Status save(const std::filesystem::path& path, int64_t generation) const override;
  Result<int64_t> load(const std::filesystem::path& path) override;

 private:
  /// A query term resolved against the dictionary.
  struct QueryTerm {
    uint32_t term;
    float idf;  ///< BM25 idf times the query weight
  };

  const text::Analyzer& analyzer_for(std::string_view language) const;
  uint32_t intern(std::string_view term);
  void field_terms(const text::Analyzer& analyzer, std::string_view text,
                   std::vector<std::string>& unigrams, std::vector<std::string>& bigrams) const;
  void add_one(const store::Chunk& c);
  void remove_one(int64_t chunk_id);
  void maybe_compact();
  void compact();
  bool matches(const DocInfo& doc, const std::vector<CompiledCondition>& conds) const;

  /// Norms for the current statistics.
  Norms current_norms() const;
  /// Norms for the statistics the bounds were computed with.
  Norms reference_norms() const;
  /// Raises the term's bound to cover a posting just appended.
  void raise_bound(uint32_t term, const Posting& p, const Norms& ref) {
    max_tfn_[term] = std::max(max_tfn_[term], saturated_input(ref, p));
  }
  /// Recomputes every bound at the current statistics.
  void rebuild_bounds();
  /// Rebuilds when the statistics drifted far enough to make the bounds loose, or removals did.
  void maybe_rebuild_bounds();
  /// How much any posting's saturated input may have grown since the bounds were computed
  /// (>= 1): field-length normalization scales at most by the ratio of the averages.
  double bound_drift() const;

  std::vector<QueryTerm> resolve_query(std::string_view query) const;
  std::vector<ScoredChunk> search_exhaustive(const std::vector<QueryTerm>& qterms, size_t k,
                                             const std::vector<CompiledCondition>& conds) const;
  std::vector<ScoredChunk> search_pruned(const std::vector<QueryTerm>& qterms, size_t k,
                                         const std::vector<CompiledCondition>& conds) const;

  Bm25Options opt_;
  std::unordered_map<std::string, uint32_t, TransparentHash, std::equal_to<>> term_ids_;
  std::vector<std::string> term_strings_;
  std::vector<std::vector<Posting>> postings_;  ///< by term id, sorted by slot
  std::vector<DocInfo> docs_;                   ///< by slot
  std::vector<uint32_t> title_len_;             ///< by slot, tokens
  std::vector<uint32_t> body_len_;              ///< by slot, tokens
  std::unordered_map<int64_t, uint32_t> slot_of_;
  uint64_t total_title_len_ = 0;
  uint64_t total_body_len_ = 0;
  size_t live_ = 0;
  size_t english_docs_ = 0;

  /// By term id: upper bound of saturated_input() over the term's postings at the reference
  /// norms (ref_inv_avg_*). Removals leave it loose (still an upper bound) until a rebuild.
  std::vector<float> max_tfn_;
  float ref_inv_avg_body_ = 0;
  float ref_inv_avg_title_ = 0;
  size_t removed_since_rebuild_ = 0;
};

}  // namespace atiende::index::bm25_detail
