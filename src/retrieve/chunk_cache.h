#pragma once
/// ChunkCache: chunk rows (with their document's source) read from the Store, kept in a bounded LRU so that
/// the search hot path (filtering vector candidates, building hits) rarely touches SQLite.

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "store/store.h"

namespace atiende::retrieve {

/// Thread-safe. Entries are shared immutable rows; `capacity` bounds the number of chunks kept
/// (0 disables caching: every call reads the store).
class ChunkCache {
 public:
  ChunkCache(store::Store& store, size_t capacity);

  /// Rows for `ids`, in the order asked; ids the store does not have are null.
  Result<std::vector<std::shared_ptr<const store::Chunk>>> get(std::span<const int64_t> ids);
  /// Drops cached chunks (call for removed ids).
  void invalidate(std::span<const int64_t> chunk_ids);
  /// Drops everything.
  void clear();

  size_t size() const;

 private:
  using Entry = std::pair<int64_t, std::shared_ptr<const store::Chunk>>;
  void insert_locked(int64_t id, std::shared_ptr<const store::Chunk> chunk);

  store::Store& store_;
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::list<Entry> lru_;  ///< front = most recently used
  std::unordered_map<int64_t, std::list<Entry>::iterator> chunks_;
};

}  // namespace atiende::retrieve
