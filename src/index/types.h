#pragma once
/// Vocabulary shared by the indexes and the retriever: scored ids and metadata filters.

#include <cstdint>
#include <string>
#include <vector>

namespace atiende::index {

/// A chunk id with a score; higher is better for every index.
struct ScoredChunk {
  int64_t chunk_id = 0;
  float score = 0;
};

/// One condition: the field equals one of `values` (a single value means equals).
/// `field` is "type", "language", "doc_id" or "metadata.<key>" (top-level key of the document's
/// metadata object; non-string metadata values compare by their JSON text).
struct FilterCondition {
  std::string field;
  std::vector<std::string> values;
};

/// All conditions must hold (AND). Empty = everything matches.
struct Filter {
  std::vector<FilterCondition> conditions;
  bool empty() const { return conditions.empty(); }
};

}  // namespace atiende::index
