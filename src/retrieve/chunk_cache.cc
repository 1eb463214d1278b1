#include "retrieve/chunk_cache.h"

namespace atiende::retrieve {

ChunkCache::ChunkCache(store::Store& store, size_t capacity) : store_(store), capacity_(capacity) {}

Result<std::vector<std::shared_ptr<const store::Chunk>>> ChunkCache::get(
    std::span<const int64_t> ids) {
  std::vector<std::shared_ptr<const store::Chunk>> out(ids.size());
  std::vector<int64_t> missing;
  {
    std::lock_guard lock(mutex_);
    for (size_t i = 0; i < ids.size(); ++i) {
      auto it = chunks_.find(ids[i]);
      if (it == chunks_.end()) {
        missing.push_back(ids[i]);
        continue;
      }
      lru_.splice(lru_.begin(), lru_, it->second);
      out[i] = it->second->second;
    }
  }
  if (missing.empty()) return out;
  ATIENDE_ASSIGN_OR_RETURN(std::vector<store::Chunk> rows, store_.get_chunks(missing));
  std::unordered_map<int64_t, std::shared_ptr<const store::Chunk>> fetched;
  fetched.reserve(rows.size());
  for (auto& row : rows) {
    const int64_t id = row.id;
    fetched.emplace(id, std::make_shared<const store::Chunk>(std::move(row)));
  }
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < ids.size(); ++i) {
    if (out[i]) continue;
    auto it = fetched.find(ids[i]);
    if (it == fetched.end()) continue;
    out[i] = it->second;
    insert_locked(ids[i], it->second);
  }
  return out;
}

void ChunkCache::insert_locked(int64_t id, std::shared_ptr<const store::Chunk> chunk) {
  if (capacity_ == 0) return;
  auto it = chunks_.find(id);
  if (it != chunks_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.emplace_front(id, std::move(chunk));
  chunks_.emplace(id, lru_.begin());
  while (chunks_.size() > capacity_) {
    chunks_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

void ChunkCache::invalidate(std::span<const int64_t> chunk_ids) {
  std::lock_guard lock(mutex_);
  for (int64_t id : chunk_ids) {
    auto it = chunks_.find(id);
    if (it == chunks_.end()) continue;
    lru_.erase(it->second);
    chunks_.erase(it);
  }
}

void ChunkCache::clear() {
  std::lock_guard lock(mutex_);
  lru_.clear();
  chunks_.clear();
}

size_t ChunkCache::size() const {
  std::lock_guard lock(mutex_);
  return chunks_.size();
}

}  // namespace atiende::retrieve
