#include "retrieve/hybrid_retriever.h"

#include <algorithm>

#include "common/strings.h"
#include "retrieve/fusion.h"

namespace atiende::retrieve {
namespace {

Result<double> non_negative(const Config& config, std::string_view key, double fallback) {
  ATIENDE_ASSIGN_OR_RETURN(const double value, config.get_double(key, fallback));
  if (!(value >= 0) || value > 1e6) {
    return Status::invalid_argument(std::string(key) + ": must be between 0 and 1e6");
  }
  return value;
}

Result<size_t> positive(const Config& config, std::string_view key, int64_t fallback,
                        int64_t max) {
  ATIENDE_ASSIGN_OR_RETURN(const int64_t value, config.get_int(key, fallback));
  if (value < 1 || value > max) {
    return Status::invalid_argument(std::string(key) + ": must be between 1 and " +
                                    std::to_string(max));
  }
  return static_cast<size_t>(value);
}

}  // namespace

std::string_view search_mode_name(SearchMode mode) {
  switch (mode) {
    case SearchMode::kBm25:
      return "bm25";
    case SearchMode::kVector:
      return "vector";
    case SearchMode::kHybrid:
      return "hybrid";
  }
  return "hybrid";
}

std::optional<SearchMode> parse_search_mode(std::string_view name) {
  if (name == "bm25") return SearchMode::kBm25;
  if (name == "vector") return SearchMode::kVector;
  if (name == "hybrid") return SearchMode::kHybrid;
  return std::nullopt;
}

Result<RetrieverOptions> retriever_options_from_config(const Config& config) {
  RetrieverOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.rrf_k, non_negative(config, "retrieve.rrf_k", o.rrf_k));
  ATIENDE_ASSIGN_OR_RETURN(o.lexical_weight,
                           non_negative(config, "retrieve.lexical_weight", o.lexical_weight));
  // The local hashed embedder is much weaker than BM25 (MLQA-es r@1 0.556 vs 0.728), so by
  // default it only breaks near-ties and fills lists that BM25 leaves short; a real embedding
  // model gets an equal say. docs/PERFORMANCE.md "Retrieval quality" has the sweep.
  ATIENDE_ASSIGN_OR_RETURN(const std::string embedder, config.get_string("embed.provider", "local"));
  const double default_vector_weight = embedder == "local" ? kLocalVectorWeight : 1.0;
  ATIENDE_ASSIGN_OR_RETURN(o.vector_weight,
                           non_negative(config, "retrieve.vector_weight", default_vector_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.candidates, positive(config, "retrieve.candidates", 50, 10000));
  ATIENDE_ASSIGN_OR_RETURN(o.ef_search, positive(config, "index.hnsw_ef_search", 64, 10000));
  ATIENDE_ASSIGN_OR_RETURN(o.filter_overfetch,
                           positive(config, "retrieve.filter_overfetch", 4, 1000));
  return o;
}

Status validate_search_request(const SearchRequest& request, size_t max_k) {
  if (request.k < 1 || request.k > max_k) {
    return Status::invalid_argument("k must be between 1 and " + std::to_string(max_k) +
                                    ", got " + std::to_string(request.k));
  }
  if (trim(request.query).empty()) return Status::invalid_argument("query is empty");
  return {};
}

HybridRetriever::HybridRetriever(const index::LexicalIndex& lexical,
                                 const index::VectorIndex& vectors, const embed::Embedder& embedder,
                                 ChunkCache& chunks, RetrieverOptions options)
    : lexical_(lexical),
      vectors_(vectors),
      embedder_(embedder),
      chunks_(chunks),
      options_(options) {}

Result<std::vector<index::ScoredChunk>> HybridRetriever::vector_candidates(
    std::string_view query, size_t depth, const ChunkFilter& filter) const {
  const std::string text(query);
  ATIENDE_ASSIGN_OR_RETURN(auto embedded,
                           embedder_.embed(std::span<const std::string>(&text, 1),
                                           embed::EmbedRole::kQuery));
  if (embedded.size() != 1 || embedded[0].size() != vectors_.dimension()) {
    return Status::internal("embedder returned a vector of the wrong shape for the query");
  }
  const auto& vector = embedded[0];
  index::VectorSearchParams params;
  params.ef_search = std::max(options_.ef_search, depth);
  if (filter.empty()) return vectors_.search(vector, depth, params);

  // Over-fetch, filter on the chunk rows, and widen until enough pass or the index is exhausted.
  const size_t total = vectors_.size();
  size_t fetch = std::min(total, std::max<size_t>(depth * options_.filter_overfetch, 64));
  while (true) {
    params.ef_search = std::max(options_.ef_search, fetch);
    ATIENDE_ASSIGN_OR_RETURN(auto raw, vectors_.search(vector, fetch, params));
    std::vector<int64_t> ids;
    ids.reserve(raw.size());
    for (const auto& hit : raw) ids.push_back(hit.chunk_id);
    ATIENDE_ASSIGN_OR_RETURN(auto rows, chunks_.get(ids));
    std::vector<index::ScoredChunk> kept;
    for (size_t i = 0; i < raw.size() && kept.size() < depth; ++i) {
      if (rows[i] && filter.matches(*rows[i])) kept.push_back(raw[i]);
    }
    if (kept.size() >= depth || raw.size() < fetch || fetch >= total) return kept;
    fetch = std::min(total, fetch * 4);
  }
}

Result<std::vector<index::ScoredChunk>> HybridRetriever::rank(const SearchRequest& request,
                                                              const ChunkFilter& filter) const {
  const size_t k = request.k;
  switch (request.mode) {
    case SearchMode::kBm25:
      return lexical_.search(request.query, k, request.filter);
    case SearchMode::kVector:
      return vector_candidates(request.query, k, filter);
    case SearchMode::kHybrid: {
      const size_t depth = std::max(k, options_.candidates);
      std::vector<index::ScoredChunk> lexical_list;
      std::vector<index::ScoredChunk> vector_list;
      if (options_.lexical_weight > 0) {
        ATIENDE_ASSIGN_OR_RETURN(lexical_list, lexical_.search(request.query, depth, request.filter));
      }
      if (options_.vector_weight > 0) {
        ATIENDE_ASSIGN_OR_RETURN(vector_list, vector_candidates(request.query, depth, filter));
      }
      const RankedList lists[] = {{lexical_list, options_.lexical_weight},
                                  {vector_list, options_.vector_weight}};
      return reciprocal_rank_fusion(lists, options_.rrf_k, k);
    }
  }
  return Status::internal("unknown search mode");
}

Result<std::vector<Hit>> hydrate_hits(std::span<const index::ScoredChunk> ranked,
                                      ChunkCache& chunks) {
  std::vector<int64_t> ids;
  ids.reserve(ranked.size());
  for (const auto& r : ranked) ids.push_back(r.chunk_id);
  ATIENDE_ASSIGN_OR_RETURN(auto rows, chunks.get(ids));
  std::vector<Hit> hits;
  hits.reserve(ranked.size());
  for (size_t i = 0; i < ranked.size(); ++i) {
    if (!rows[i]) continue;  // the store no longer has it (index about to catch up)
    const store::Chunk& c = *rows[i];
    Hit hit;
    hit.doc_id = c.doc_id;
    hit.chunk_id = c.id;
    hit.score = ranked[i].score;
    hit.title = c.title;
    hit.text = c.text;
    hit.start = c.start;
    hit.end = c.end;
    hit.page = c.page;
    hit.type = c.type;
    hit.language = c.language;
    hit.source = c.source;
    hits.push_back(std::move(hit));
  }
  return hits;
}

Result<std::vector<Hit>> HybridRetriever::search(const SearchRequest& request) const {
  ATIENDE_RETURN_IF_ERROR(validate_search_request(request, options_.max_k));
  ATIENDE_ASSIGN_OR_RETURN(const ChunkFilter filter, ChunkFilter::compile(request.filter));
  ATIENDE_ASSIGN_OR_RETURN(const auto ranked, rank(request, filter));
  return hydrate_hits(ranked, chunks_);
}

}  // namespace atiende::retrieve
