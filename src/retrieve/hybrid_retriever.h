#pragma once
/// HybridRetriever: BM25 and/or vector search, fused with weighted reciprocal-rank fusion,
/// filtered, and hydrated into Hits from the store (through a ChunkCache).

#include <memory>

#include "common/config.h"
#include "embed/embedder.h"
#include "index/lexical_index.h"
#include "index/vector_index.h"
#include "retrieve/chunk_cache.h"
#include "retrieve/filter.h"
#include "retrieve/retriever.h"

namespace atiende::retrieve {

/// Default fusion weight of the vector list when the embedder is the local hashed one.
inline constexpr double kLocalVectorWeight = 0.03;

struct RetrieverOptions {
  double rrf_k = 60;              ///< retrieve.rrf_k
  double lexical_weight = 1.0;    ///< retrieve.lexical_weight
  /// retrieve.vector_weight; from config the default is kLocalVectorWeight with the local
  /// embedder (it is weak) and 1.0 with a remote one.
  double vector_weight = kLocalVectorWeight;
  size_t candidates = 50;         ///< retrieve.candidates: depth of each list fused (>= k is used)
  size_t ef_search = 64;          ///< index.hnsw_ef_search (raised to the depth when larger)
  size_t filter_overfetch = 4;    ///< retrieve.filter_overfetch: vector over-fetch when filtering
  size_t max_k = 1000;            ///< larger k is invalid_argument
};

/// Reads the keys named beside each field. Errors name the key.
Result<RetrieverOptions> retriever_options_from_config(const Config& config);

/// Thread-safe for concurrent searches as long as nobody mutates the indexes meanwhile (the
/// KnowledgeBase guarantees that with its shared lock). Borrows everything it is given.
class HybridRetriever final : public Retriever {
 public:
  HybridRetriever(const index::LexicalIndex& lexical, const index::VectorIndex& vectors,
                  const embed::Embedder& embedder, ChunkCache& chunks, RetrieverOptions options);

  Result<std::vector<Hit>> search(const SearchRequest& request) const override;

  /// The fused (or single-list) ranking before hydration: at most request.k ids, best first,
  /// already filtered.
  Result<std::vector<index::ScoredChunk>> rank(const SearchRequest& request,
                                               const ChunkFilter& filter) const;

  const RetrieverOptions& options() const { return options_; }

 private:
  Result<std::vector<index::ScoredChunk>> vector_candidates(std::string_view query, size_t depth,
                                                            const ChunkFilter& filter) const;

  const index::LexicalIndex& lexical_;
  const index::VectorIndex& vectors_;
  const embed::Embedder& embedder_;
  ChunkCache& chunks_;
  RetrieverOptions options_;
};

/// Validates k and the query (non-empty after trimming): errors name the bad field.
Status validate_search_request(const SearchRequest& request, size_t max_k);

/// Builds hits for ranked ids from the cache, in order, skipping ids the store no longer has.
Result<std::vector<Hit>> hydrate_hits(std::span<const index::ScoredChunk> ranked, ChunkCache& chunks);

}  // namespace atiende::retrieve
