#pragma once
/// Builds a VectorIndex by name from config, so that callers never name a backend.

#include <memory>
#include <string>
#include <string_view>

#include "common/config.h"
#include "index/vector_index.h"

namespace atiende::index {

/// Backend choice and parameters, as read from config.
struct VectorIndexSpec {
  std::string backend = "hnsw";  ///< "flat" | "hnsw"
  size_t hnsw_m = 16;
  size_t hnsw_ef_construction = 200;
  size_t hnsw_ef_search = 64;
};

/// Reads `index.vector` ("flat" | "hnsw", default "hnsw"), `index.hnsw_m` (16),
/// `index.hnsw_ef_construction` (200) and `index.hnsw_ef_search` (64). Errors name the key.
Result<VectorIndexSpec> vector_index_spec_from_config(const Config& config);

/// An empty index of `dimension` floats per vector. Unknown backend: invalid_argument.
Result<std::unique_ptr<VectorIndex>> make_vector_index(const VectorIndexSpec& spec,
                                                       size_t dimension);

/// Shorthand for the two above.
Result<std::unique_ptr<VectorIndex>> make_vector_index(const Config& config, size_t dimension);

}  // namespace atiende::index
