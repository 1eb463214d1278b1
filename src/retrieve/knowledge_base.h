#pragma once
/// KnowledgeBase: the store plus the indexes built from it, for one data dir. The one object that
/// ingest, the CLI and the HTTP server use to change and search the knowledge base.
///
/// Persistence: "<data>/index/manifest.json" (generation, embedder name, dimension, vector
/// backend), "<data>/index/lexical.bin", "<data>/index/vectors.<backend>". On open, an index is
/// loaded when its file, the manifest and the store generation agree (and, for vectors, the
/// embedder name, dimension and backend match); otherwise it is rebuilt from the store and saved.
///
/// Thread-safety: search() runs concurrently from any number of threads. Mutations (apply*,
/// upsert_documents, delete_document, reindex, save) are serialized among themselves; only the
/// short index swap/update step excludes searches (std::shared_mutex). Embedding new chunks and
/// rebuilding happen outside the exclusive section.
///
/// One writer process per data dir: write through this object (upsert_documents/delete_document or
/// store() + apply*). A store changed by another process is noticed at the next open (generation
/// mismatch) or by reindex().

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <vector>

#include "common/config.h"
#include "embed/embedder.h"
#include "index/lexical_index.h"
#include "index/vector_factory.h"
#include "index/vector_index.h"
#include "retrieve/chunk_cache.h"
#include "retrieve/hybrid_retriever.h"
#include "retrieve/reranker.h"
#include "store/store.h"

namespace atiende::retrieve {

/// The text embedded for a chunk: "title\ntext" (just text when the title is empty).
std::string passage_text(const store::Chunk& chunk);

/// Progress of a rebuild: `done` of `total` chunks (total may be 0 when unknown).
using ProgressFn = std::function<void(uint64_t done, uint64_t total)>;

/// The components a KnowledgeBase owns. The factories build empty indexes (used on open and to
/// build a fresh index beside the live one in reindex()).
struct KnowledgeBaseParts {
  std::shared_ptr<store::Store> store;
  std::shared_ptr<const embed::Embedder> embedder;
  std::function<Result<std::unique_ptr<index::LexicalIndex>>()> make_lexical;
  /// Optional; defaults to index::make_vector_index(options.vector, dimension).
  std::function<Result<std::unique_ptr<index::VectorIndex>>(size_t dimension)> make_vector;
  /// Optional; used when options.rerank.enabled.
  std::shared_ptr<const Reranker> reranker;
};

struct KnowledgeBaseOptions {
  std::filesystem::path index_dir;  ///< "<data>/index"; empty = never persist
  index::VectorIndexSpec vector;    ///< index.vector, index.hnsw_*
  RetrieverOptions retriever;       ///< retrieve.*
  RerankOptions rerank;             ///< retrieve.rerank, rerank.*
  size_t embed_batch = 64;          ///< retrieve.embed_batch: chunks per embed() call
  size_t chunk_cache = 20000;       ///< retrieve.chunk_cache: chunk rows kept in memory
};

/// Reads every key above; index_dir = "<data.dir>/index". Errors name the key.
Result<KnowledgeBaseOptions> knowledge_base_options_from_config(const Config& config);

/// What open() did and what the indexes hold (for logs, /metrics and `atiende reindex`).
struct KnowledgeBaseStats {
  int64_t store_generation = 0;    ///< as last read
  int64_t indexed_generation = 0;  ///< the store generation the indexes reflect
  size_t lexical_size = 0;         ///< chunks in the lexical index
  size_t vector_size = 0;          ///< chunks in the vector index
  bool lexical_rebuilt = false;    ///< on open (or by reindex)
  bool vector_rebuilt = false;
  std::string embedder;            ///< Embedder::name()
  std::string vector_backend;      ///< "flat" | "hnsw"
};

class KnowledgeBase {
 public:
  /// Opens from parts: loads persisted indexes or rebuilds them (reporting progress), then saves
  /// what it rebuilt. Errors name the failing component.
  static Result<std::unique_ptr<KnowledgeBase>> open(KnowledgeBaseParts parts,
                                                     KnowledgeBaseOptions options,
                                                     const ProgressFn& progress = {});
  ~KnowledgeBase();
  KnowledgeBase(const KnowledgeBase&) = delete;
  KnowledgeBase& operator=(const KnowledgeBase&) = delete;

  /// The owned store (for reads, and writes followed by apply*).
  store::Store& store() { return *parts_.store; }
  std::shared_ptr<store::Store> shared_store() const { return parts_.store; }
  const embed::Embedder& embedder() const { return *parts_.embedder; }

  // ---- search ----
  /// At most k hits (1 <= k <= 1000), best first. invalid_argument for an empty query, a bad k or
  /// an unknown filter field.
  Result<std::vector<Hit>> search(std::string_view query, size_t k, SearchMode mode,
                                  const index::Filter& filter = {}) const;
  Result<std::vector<Hit>> search(const SearchRequest& request) const;
  /// The retriever behind search() (with reranking when on), e.g. for run_batch_search.
  const Retriever& retriever() const { return *retriever_; }

  // ---- mutations (write through) ----
  /// store().upsert_documents + apply, serialized with other mutations.
  Result<store::BatchOutcome> upsert_documents(std::span<const store::DocumentWithChunks> documents,
                                               const std::optional<std::string>& prune_source);
  /// store().delete_document + apply_removed. not_found when absent.
  Result<std::vector<int64_t>> delete_document(const std::string& doc_id);

  // ---- mutations (after writing to store() directly) ----
  /// Removes the outcome's old chunks from both indexes and adds its new ones (embedding them).
  /// An unchanged outcome does nothing. On error the indexes keep their previous state and the
  /// recorded generation stays behind the store (so the next open rebuilds).
  Status apply(const store::UpsertOutcome& outcome);
  Status apply(const store::BatchOutcome& outcome);
  /// Removes chunks (e.g. the ids store().delete_document returned).
  Status apply_removed(std::span<const int64_t> chunk_ids);

  /// Rebuilds both indexes from the store beside the live ones (searches keep running), swaps
  /// them in and saves.
  Status reindex(const ProgressFn& progress = {});
  /// Persists the indexes and the manifest when they changed since the last save (or `force`).
  /// No-op without an index_dir.
  Status save(bool force = false);

  /// Both indexes' integrity checks, plus equal sizes.
  Status check_integrity() const;
  KnowledgeBaseStats stats() const;

 private:
  struct State;
  class LockedRetriever;
  KnowledgeBase(KnowledgeBaseParts parts, KnowledgeBaseOptions options);

  Result<std::unique_ptr<index::VectorIndex>> new_vector_index() const;
  Status open_indexes(const ProgressFn& progress);
  /// Fills `lexical` and/or `vectors` (either may be null) from the store. Returns the store
  /// generation read before the scan.
  Result<int64_t> build_from_store(index::LexicalIndex* lexical, index::VectorIndex* vectors,
                                   const ProgressFn& progress);
  Result<std::vector<float>> embed_chunks(std::span<const store::Chunk> chunks) const;
  /// Requires mutation_mutex_.
  Status apply_locked(std::span<const int64_t> removed, std::span<const store::Chunk> inserted);
  Status save_locked(bool force);

  KnowledgeBaseParts parts_;
  KnowledgeBaseOptions options_;
  std::mutex mutation_mutex_;             ///< serializes mutations and saves
  mutable std::shared_mutex state_mutex_; ///< shared: searches; exclusive: index updates
  std::unique_ptr<State> state_;
  std::unique_ptr<ChunkCache> cache_;
  std::shared_ptr<const Retriever> retriever_;  ///< top of the decorator chain
};

/// Everything optional that the composition root may share with the knowledge base.
struct KnowledgeBaseDeps {
  /// The store to use; null = open the SQLite store at "<data.dir>/atiende.db".
  std::shared_ptr<store::Store> store;
  /// HTTP transport for the reranker; null = a NetJsonPoster on a new net::HttpClient.
  std::shared_ptr<const JsonPoster> rerank_poster;
  /// Embedder to use; null = the one named by config (embed.provider, default "local").
  std::shared_ptr<const embed::Embedder> embedder;
};

/// Opens the knowledge base of the data dir in `config` ("data.dir"): the store, the BM25 lexical
/// index (index.bm25_*), the embedder, the vector index (index.vector, index.hnsw_*), retrieval
/// options (retrieve.*) and the reranker when retrieve.rerank = true. Loads or rebuilds the
/// persisted indexes (progress reported while rebuilding). Bad config fails naming the key.
Result<std::unique_ptr<KnowledgeBase>> open_knowledge_base(const Config& config,
                                                           KnowledgeBaseDeps deps = {},
                                                           const ProgressFn& progress = {});

}  // namespace atiende::retrieve
