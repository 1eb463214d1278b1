#pragma once
/// FlatIndex: exact inner-product search over contiguous rows. The oracle every ANN index is
/// tested against, and the right choice for small knowledge bases.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "index/vector_index.h"

namespace atiende::index {

/// Exact search: every query scores every stored vector (O(n * dimension)).
/// Storage is one row-major float array plus a parallel id array; removal swaps the last row into
/// the hole, so rows stay contiguous.
/// Thread-safety: const methods may run concurrently; mutations need exclusive access.
class FlatIndex final : public VectorIndex {
 public:
  /// `dimension` > 0 floats per vector.
  explicit FlatIndex(size_t dimension);

  size_t dimension() const override { return dimension_; }
  /// Rejects a shape mismatch or non-finite values (nothing is added then). A repeated id in
  /// `ids` keeps the last vector.
  Status add(std::span<const int64_t> ids, std::span<const float> vectors) override;
  /// Unknown ids are ignored.
  Status remove(std::span<const int64_t> ids) override;
  /// min(k, size()) results, best first; ties broken by smaller id. `params` is ignored.
  Result<std::vector<ScoredChunk>> search(std::span<const float> query, size_t k,
                                          const VectorSearchParams& params) const override;
  size_t size() const override { return ids_.size(); }
  Status check_integrity() const override;
  /// File: magic "ATVFLAT1", dimension, generation, count, ids, rows, checksum.
  Status save(const std::filesystem::path& path, int64_t generation) const override;
  /// Replaces the contents; on error the index is left unchanged. A file of another dimension
  /// is failed_precondition; a corrupt one is data_loss.
  Result<int64_t> load(const std::filesystem::path& path) override;

  /// True when `id` is stored.
  bool contains(int64_t id) const { return positions_.count(id) != 0; }

 private:
  size_t dimension_;
  std::vector<float> rows_;       ///< size() * dimension_ floats
  std::vector<int64_t> ids_;      ///< row -> id
  std::unordered_map<int64_t, size_t> positions_;  ///< id -> row
};

/// Inner product of two arrays of `n` floats (unrolled so that the compiler vectorizes it).
float dot_product(const float* a, const float* b, size_t n);

/// Validates a (ids, vectors) batch against `dimension`: shape and finiteness. Errors name the
/// offending row.
Status validate_vector_batch(std::span<const int64_t> ids, std::span<const float> vectors,
                             size_t dimension);

}  // namespace atiende::index
