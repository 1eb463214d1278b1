#pragma once
// Tiny deterministic fakes for the retrieve tests: a term-overlap LexicalIndex and a hashed
// bag-of-words Embedder. They implement the real interfaces, so the KnowledgeBase code under test
// is the production code.

#include <atomic>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "embed/embedder.h"
#include "index/lexical_index.h"
#include "store/types.h"

namespace atiende::retrieve::testing {

/// Lower-case ASCII alphanumeric words.
std::vector<std::string> words(std::string_view text);

/// score = number of distinct query words present in title + text (title words count twice).
class FakeLexicalIndex final : public index::LexicalIndex {
 public:
  Status upsert(std::span<const store::Chunk> chunks) override;
  Status remove(std::span<const int64_t> chunk_ids) override;
  Result<std::vector<index::ScoredChunk>> search(std::string_view query, size_t k,
                                                 const index::Filter& filter) const override;
  size_t size() const override { return chunks_.size(); }
  Status check_integrity() const override { return {}; }
  Status save(const std::filesystem::path& path, int64_t generation) const override;
  Result<int64_t> load(const std::filesystem::path& path) override;

 private:
  std::map<int64_t, store::Chunk> chunks_;
};

/// Signed feature hashing of words into `dimension` floats, L2-normalized.
class FakeEmbedder final : public embed::Embedder {
 public:
  explicit FakeEmbedder(std::string name = "fake-hash-v1", size_t dimension = 64)
      : name_(std::move(name)), dimension_(dimension) {}
  size_t dimension() const override { return dimension_; }
  std::string name() const override { return name_; }
  Result<std::vector<embed::Vector>> embed(std::span<const std::string> texts,
                                           embed::EmbedRole role) const override;
  /// Texts embedded so far (all roles).
  size_t embedded_count() const { return embedded_; }
  /// Makes every later embed() call fail (to test error paths).
  void fail_from_now_on() { fail_ = true; }

 private:
  std::string name_;
  size_t dimension_;
  mutable std::atomic<size_t> embedded_{0};
  std::atomic<bool> fail_{false};
};

}  // namespace atiende::retrieve::testing
