#pragma once
/// Vocabulary of retrieval: search modes, requests and hits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "index/types.h"

namespace atiende::retrieve {

/// Which ranked lists a search uses.
enum class SearchMode {
  kBm25,    ///< lexical index only
  kVector,  ///< embedding + vector index only
  kHybrid,  ///< both, fused with weighted reciprocal-rank fusion
};

/// "bm25" | "vector" | "hybrid".
std::string_view search_mode_name(SearchMode mode);
/// Parses a mode name (exact, lower-case); std::nullopt when unknown.
std::optional<SearchMode> parse_search_mode(std::string_view name);

/// One search.
struct SearchRequest {
  std::string query;  ///< raw user text (UTF-8)
  size_t k = 10;      ///< number of hits wanted (the result may be shorter)
  SearchMode mode = SearchMode::kHybrid;
  index::Filter filter;
};

/// One retrieved chunk with what a caller needs to show and cite it.
struct Hit {
  std::string doc_id;
  int64_t chunk_id = 0;
  /// Mode-dependent: BM25 score (bm25), inner product (vector), fused RRF score (hybrid), or the
  /// reranker's relevance score when reranking is on. Higher is better; compare only within one
  /// result list.
  double score = 0;
  std::string title;
  std::string text;
  int64_t start = 0;  ///< code points into the document's normalized text
  int64_t end = 0;    ///< code points, exclusive
  int32_t page = 0;   ///< 1-based PDF page, 0 when not paged
  std::string type;
  std::string language;
  std::string source;  ///< the document's source (file path or "api")
};

}  // namespace atiende::retrieve
