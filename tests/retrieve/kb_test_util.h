#pragma once
// Helpers shared by the KnowledgeBase and batch tests: temp data dirs, documents, and a KB over
// the real SQLite store with the fake lexical index and embedder.

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "retrieve/fakes.h"
#include "retrieve/knowledge_base.h"
#include "store/store.h"

namespace atiende::retrieve::testing {

class TempDir {
 public:
  TempDir() {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("atiende_kb_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

/// A document whose chunks are `texts`, with offsets laid end to end (ASCII texts).
inline store::DocumentWithChunks make_doc(const std::string& id, const std::string& title,
                                          const std::vector<std::string>& texts,
                                          const std::string& type = "faq",
                                          const std::string& metadata = "{}",
                                          const std::string& language = "es") {
  store::DocumentWithChunks d;
  d.document.id = id;
  d.document.title = title;
  d.document.type = type;
  d.document.language = language;
  d.document.source = "test/" + id + ".jsonl";
  d.document.metadata_json = metadata;
  std::string all = title;
  for (const auto& t : texts) all += "|" + t;
  d.document.content_hash = std::to_string(std::hash<std::string>{}(all + metadata + type));
  int64_t offset = 0;
  for (const auto& t : texts) {
    store::Chunk c;
    c.title = title;
    c.text = t;
    c.start = offset;
    c.end = offset + static_cast<int64_t>(t.size());
    offset = c.end + 1;
    d.chunks.push_back(c);
  }
  return d;
}

struct KbFixture {
  std::shared_ptr<store::Store> store;
  std::shared_ptr<FakeEmbedder> embedder;
};

inline KnowledgeBaseParts fake_parts(std::shared_ptr<store::Store> store,
                                     std::shared_ptr<const embed::Embedder> embedder) {
  KnowledgeBaseParts parts;
  parts.store = std::move(store);
  parts.embedder = std::move(embedder);
  parts.make_lexical = []() -> Result<std::unique_ptr<index::LexicalIndex>> {
    return std::unique_ptr<index::LexicalIndex>(new FakeLexicalIndex());
  };
  return parts;
}

inline KnowledgeBaseOptions fake_options(const std::filesystem::path& index_dir,
                                         const std::string& backend = "flat") {
  KnowledgeBaseOptions options;
  options.index_dir = index_dir;
  options.vector.backend = backend;
  options.embed_batch = 3;  // exercise batching
  return options;
}

}  // namespace atiende::retrieve::testing
