#pragma once
/// Retriever: a query in, hits out. HybridRetriever is the base; decorators (reranking) wrap it.

#include <vector>

#include "common/status.h"
#include "retrieve/types.h"

namespace atiende::retrieve {

class Retriever {
 public:
  virtual ~Retriever() = default;
  /// At most request.k hits, best first, all satisfying request.filter. Invalid requests (bad
  /// filter field, empty query) are invalid_argument. Thread-safe for concurrent calls.
  virtual Result<std::vector<Hit>> search(const SearchRequest& request) const = 0;
};

}  // namespace atiende::retrieve
