#pragma once
/// HnswIndex: approximate nearest neighbours with hnswlib's HNSW graph (inner product space).
/// hnswlib is included only in hnsw_index.cc (it defines non-inline functions; see DEBIAN_DEPS §5).

#include <cstdint>
#include <memory>

#include "index/vector_index.h"

namespace atiende::index {

struct HnswOptions {
  size_t m = 16;                  ///< graph degree (links per node and layer)
  size_t ef_construction = 200;   ///< build breadth
  size_t ef_search = 64;          ///< default query breadth when VectorSearchParams::ef_search is 0
  size_t initial_capacity = 1024; ///< elements allocated up front; grows by doubling
  uint64_t seed = 100;            ///< level generator seed (deterministic builds)
  /// Insert threads for large batches (0 = hardware concurrency, capped at 4).
  size_t add_threads = 0;
};

/// Our int64 chunk ids map one-to-one to hnswlib labels (two's-complement cast), so no side
/// table is needed. Removal marks the element deleted (it still routes searches); when deleted
/// elements outnumber live ones (and exceed 1024), the graph is rebuilt from the live vectors.
/// Re-adding a removed id revives and updates its element.
/// Thread-safety: const methods may run concurrently; mutations need exclusive access.
class HnswIndex final : public VectorIndex {
 public:
  HnswIndex(size_t dimension, HnswOptions options = {});
  ~HnswIndex() override;
  HnswIndex(const HnswIndex&) = delete;
  HnswIndex& operator=(const HnswIndex&) = delete;

  size_t dimension() const override;
  /// Rejects a shape mismatch or non-finite values before touching the graph.
  Status add(std::span<const int64_t> ids, std::span<const float> vectors) override;
  /// Unknown or already removed ids are ignored.
  Status remove(std::span<const int64_t> ids) override;
  /// Up to k results, best first. Breadth is max(k, params.ef_search or options.ef_search).
  Result<std::vector<ScoredChunk>> search(std::span<const float> query, size_t k,
                                          const VectorSearchParams& params) const override;
  /// Live (not deleted) elements.
  size_t size() const override;
  /// Checks links (bounds, self-loops, duplicates), the label table, the deleted count and
  /// vector finiteness. The error names the first faulty element.
  Status check_integrity() const override;
  /// Writes "<path>.graph" (hnswlib format) then "<path>" (dimension, generation, parameters and
  /// the graph file's size and checksum), each atomically by rename.
  Status save(const std::filesystem::path& path, int64_t generation) const override;
  /// Verifies the graph checksum before handing the file to hnswlib. On error the index is left
  /// unchanged.
  Result<int64_t> load(const std::filesystem::path& path) override;

  /// Rebuilds the graph from live vectors only (drops deleted elements).
  Status compact();
  /// Elements marked deleted but still in the graph.
  size_t deleted_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atiende::index
