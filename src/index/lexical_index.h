#pragma once
/// LexicalIndex: BM25 over chunks, with field weights for title and body.

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "index/types.h"
#include "store/types.h"

namespace atiende::index {

class LexicalIndex {
 public:
  virtual ~LexicalIndex() = default;
  /// Adds chunks, replacing any chunk with the same id.
  virtual Status upsert(std::span<const store::Chunk> chunks) = 0;
  /// Removes chunks by id; unknown ids are ignored.
  virtual Status remove(std::span<const int64_t> chunk_ids) = 0;
  /// Top `k` chunks for `query` (raw user text; analyzed inside), best first, filtered.
  virtual Result<std::vector<ScoredChunk>> search(std::string_view query, size_t k,
                                                  const Filter& filter) const = 0;
  virtual size_t size() const = 0;
  /// Verifies internal invariants (postings vs documents, statistics). Error names the first fault.
  virtual Status check_integrity() const = 0;
  /// Persists to / loads from a file. `generation` is the store generation it reflects.
  virtual Status save(const std::filesystem::path& path, int64_t generation) const = 0;
  /// Returns the generation recorded at save time.
  virtual Result<int64_t> load(const std::filesystem::path& path) = 0;
};

}  // namespace atiende::index
