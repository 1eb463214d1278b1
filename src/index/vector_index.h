#pragma once
/// VectorIndex: nearest neighbours by inner product over L2-normalized vectors.
/// The exact flat index is the oracle every approximate index is tested against.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/types.h"

namespace atiende::index {

/// Per-call search options.
struct VectorSearchParams {
  size_t ef_search = 64;  ///< HNSW breadth; ignored by the flat index
};

class VectorIndex {
 public:
  virtual ~VectorIndex() = default;
  virtual size_t dimension() const = 0;
  /// `vectors` holds ids.size() * dimension() floats, row-major. Re-adding an id replaces it.
  virtual Status add(std::span<const int64_t> ids, std::span<const float> vectors) = 0;
  virtual Status remove(std::span<const int64_t> ids) = 0;
  /// `query` has dimension() floats. Best (highest inner product) first.
  virtual Result<std::vector<ScoredChunk>> search(std::span<const float> query, size_t k,
                                                  const VectorSearchParams& params) const = 0;
  virtual size_t size() const = 0;
  virtual Status check_integrity() const = 0;
  virtual Status save(const std::filesystem::path& path, int64_t generation) const = 0;
  virtual Result<int64_t> load(const std::filesystem::path& path) = 0;
};

}  // namespace atiende::index
