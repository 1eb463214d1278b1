#include "retrieve/knowledge_base.h"

#include <algorithm>

#include "common/files.h"
#include "common/json.h"
#include "common/log.h"

namespace atiende::retrieve {
namespace {

constexpr int kManifestFormat = 1;
constexpr size_t kBuildFlush = 4096;  // chunks per index update while rebuilding

struct Manifest {
  int64_t generation = -1;
  std::string embedder;
  size_t dimension = 0;
  std::string vector_backend;
};

std::filesystem::path manifest_path(const std::filesystem::path& dir) {
  return dir / "manifest.json";
}
std::filesystem::path lexical_path(const std::filesystem::path& dir) { return dir / "lexical.bin"; }
std::filesystem::path vector_path(const std::filesystem::path& dir, const std::string& backend) {
  return dir / ("vectors." + backend);
}

std::optional<Manifest> read_manifest(const std::filesystem::path& dir) {
  auto text = read_file(manifest_path(dir));
  if (!text.ok()) return std::nullopt;
  auto json = parse_json(*text);
  if (!json.ok() || !json->is_object()) return std::nullopt;
  const Json& j = *json;
  auto int_field = [&j](const char* key) -> std::optional<int64_t> {
    if (!j.contains(key) || !j[key].is_number_integer()) return std::nullopt;
    return j[key].get<int64_t>();
  };
  auto str_field = [&j](const char* key) -> std::optional<std::string> {
    if (!j.contains(key) || !j[key].is_string()) return std::nullopt;
    return j[key].get<std::string>();
  };
  const auto format = int_field("format");
  const auto generation = int_field("generation");
  const auto dimension = int_field("dimension");
  const auto embedder = str_field("embedder");
  const auto backend = str_field("vector_backend");
  if (format != kManifestFormat || !generation || !dimension || *dimension < 0 || !embedder ||
      !backend) {
    return std::nullopt;
  }
  return Manifest{*generation, *embedder, static_cast<size_t>(*dimension), *backend};
}

Status write_manifest(const std::filesystem::path& dir, const Manifest& m, size_t chunks) {
  const Json j = {{"format", kManifestFormat},     {"generation", m.generation},
                  {"embedder", m.embedder},        {"dimension", m.dimension},
                  {"vector_backend", m.vector_backend}, {"chunks", chunks}};
  return write_file_atomic(manifest_path(dir), dump_json(j, 2) + "\n");
}

}  // namespace

std::string passage_text(const store::Chunk& chunk) {
  if (chunk.title.empty()) return chunk.text;
  std::string out;
  out.reserve(chunk.title.size() + 1 + chunk.text.size());
  out += chunk.title;
  out += '\n';
  out += chunk.text;
  return out;
}

Result<KnowledgeBaseOptions> knowledge_base_options_from_config(const Config& config) {
  KnowledgeBaseOptions o;
  ATIENDE_ASSIGN_OR_RETURN(const std::string data_dir,
                           config.get_string("data.dir", "./atiende-data"));
  o.index_dir = std::filesystem::path(data_dir) / "index";
  ATIENDE_ASSIGN_OR_RETURN(o.vector, index::vector_index_spec_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(o.retriever, retriever_options_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(o.rerank, rerank_options_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(const int64_t batch, config.get_int("retrieve.embed_batch", 64));
  if (batch < 1 || batch > 4096) {
    return Status::invalid_argument("retrieve.embed_batch: must be between 1 and 4096");
  }
  o.embed_batch = static_cast<size_t>(batch);
  ATIENDE_ASSIGN_OR_RETURN(const int64_t cache, config.get_int("retrieve.chunk_cache", 20000));
  if (cache < 0) return Status::invalid_argument("retrieve.chunk_cache: must be >= 0");
  o.chunk_cache = static_cast<size_t>(cache);
  return o;
}

struct KnowledgeBase::State {
  std::unique_ptr<index::LexicalIndex> lexical;
  std::unique_ptr<index::VectorIndex> vectors;
  std::unique_ptr<HybridRetriever> hybrid;
  int64_t indexed_generation = -1;
  int64_t store_generation = 0;
  bool dirty = false;
  bool lexical_rebuilt = false;
  bool vector_rebuilt = false;
};

/// Takes the shared lock around the live hybrid retriever, so that decorators above it (the
/// reranker's HTTP call) run without holding the lock.
class KnowledgeBase::LockedRetriever final : public Retriever {
 public:
  explicit LockedRetriever(const KnowledgeBase& kb) : kb_(kb) {}
  Result<std::vector<Hit>> search(const SearchRequest& request) const override {
    std::shared_lock lock(kb_.state_mutex_);
    return kb_.state_->hybrid->search(request);
  }

 private:
  const KnowledgeBase& kb_;
};

KnowledgeBase::KnowledgeBase(KnowledgeBaseParts parts, KnowledgeBaseOptions options)
    : parts_(std::move(parts)), options_(std::move(options)), state_(std::make_unique<State>()) {}

KnowledgeBase::~KnowledgeBase() = default;

Result<std::unique_ptr<KnowledgeBase>> KnowledgeBase::open(KnowledgeBaseParts parts,
                                                           KnowledgeBaseOptions options,
                                                           const ProgressFn& progress) {
  if (!parts.store) return Status::invalid_argument("knowledge base: no store");
  if (!parts.embedder) return Status::invalid_argument("knowledge base: no embedder");
  if (!parts.make_lexical) return Status::invalid_argument("knowledge base: no lexical index");
  if (parts.embedder->dimension() == 0) {
    return Status::invalid_argument("knowledge base: embedder dimension is 0");
  }
  if (options.rerank.enabled && !parts.reranker) {
    return Status::invalid_argument("knowledge base: retrieve.rerank is on but no reranker given");
  }
  std::unique_ptr<KnowledgeBase> kb(new KnowledgeBase(std::move(parts), std::move(options)));
  kb->cache_ = std::make_unique<ChunkCache>(*kb->parts_.store, kb->options_.chunk_cache);
  ATIENDE_RETURN_IF_ERROR(kb->open_indexes(progress));
  std::shared_ptr<const Retriever> top = std::make_shared<LockedRetriever>(*kb);
  if (kb->options_.rerank.enabled) {
    top = std::make_shared<RerankingRetriever>(top, kb->parts_.reranker, kb->options_.rerank);
  }
  kb->retriever_ = std::move(top);
  std::lock_guard lock(kb->mutation_mutex_);
  ATIENDE_RETURN_IF_ERROR(kb->save_locked(false));
  return kb;
}

Result<std::unique_ptr<index::VectorIndex>> KnowledgeBase::new_vector_index() const {
  const size_t dimension = parts_.embedder->dimension();
  if (parts_.make_vector) return parts_.make_vector(dimension);
  return index::make_vector_index(options_.vector, dimension);
}

Status KnowledgeBase::open_indexes(const ProgressFn& progress) {
  store::Store& store = *parts_.store;
  ATIENDE_ASSIGN_OR_RETURN(const int64_t store_generation, store.generation());
  ATIENDE_ASSIGN_OR_RETURN(auto lexical, parts_.make_lexical());
  ATIENDE_ASSIGN_OR_RETURN(auto vectors, new_vector_index());
  bool lexical_ok = false;
  bool vectors_ok = false;
  const auto& dir = options_.index_dir;
  if (!dir.empty()) {
    ATIENDE_RETURN_IF_ERROR(ensure_directory(dir));
    const auto manifest = read_manifest(dir);
    if (manifest && manifest->generation == store_generation) {
      auto loaded = lexical->load(lexical_path(dir));
      lexical_ok = loaded.ok() && *loaded == store_generation;
      if (!loaded.ok()) spdlog::info("lexical index not loaded: {}", loaded.status().to_string());
      if (manifest->embedder == parts_.embedder->name() &&
          manifest->dimension == parts_.embedder->dimension() &&
          manifest->vector_backend == options_.vector.backend) {
        auto loaded_vectors = vectors->load(vector_path(dir, options_.vector.backend));
        vectors_ok = loaded_vectors.ok() && *loaded_vectors == store_generation;
        if (!loaded_vectors.ok()) {
          spdlog::info("vector index not loaded: {}", loaded_vectors.status().to_string());
        }
      } else {
        spdlog::info("vector index made by embedder {} ({}d, {}); now {} ({}d, {}): rebuilding",
                     manifest->embedder, manifest->dimension, manifest->vector_backend,
                     parts_.embedder->name(), parts_.embedder->dimension(),
                     options_.vector.backend);
      }
    } else if (manifest) {
      spdlog::info("indexes are at store generation {}, the store is at {}: rebuilding",
                   manifest->generation, store_generation);
    }
    if (lexical_ok || vectors_ok) {
      ATIENDE_ASSIGN_OR_RETURN(const int64_t chunks, store.count_chunks());
      if (lexical_ok && lexical->size() != static_cast<size_t>(chunks)) lexical_ok = false;
      if (vectors_ok && vectors->size() != static_cast<size_t>(chunks)) vectors_ok = false;
    }
  }
  int64_t indexed_generation = store_generation;
  if (!lexical_ok || !vectors_ok) {
    if (!lexical_ok) {
      ATIENDE_ASSIGN_OR_RETURN(lexical, parts_.make_lexical());
    }
    if (!vectors_ok) {
      ATIENDE_ASSIGN_OR_RETURN(vectors, new_vector_index());
    }
    ATIENDE_ASSIGN_OR_RETURN(indexed_generation,
                             build_from_store(lexical_ok ? nullptr : lexical.get(),
                                              vectors_ok ? nullptr : vectors.get(), progress));
    if (indexed_generation != store_generation) indexed_generation = -1;
  }
  auto& st = *state_;
  st.lexical = std::move(lexical);
  st.vectors = std::move(vectors);
  st.hybrid = std::make_unique<HybridRetriever>(*st.lexical, *st.vectors, *parts_.embedder,
                                                *cache_, options_.retriever);
  st.indexed_generation = indexed_generation;
  st.store_generation = store_generation;
  st.lexical_rebuilt = !lexical_ok;
  st.vector_rebuilt = !vectors_ok;
  st.dirty = !lexical_ok || !vectors_ok;
  return {};
}

Result<std::vector<float>> KnowledgeBase::embed_chunks(std::span<const store::Chunk> chunks) const {
  const size_t dimension = parts_.embedder->dimension();
  std::vector<float> flat;
  flat.reserve(chunks.size() * dimension);
  std::vector<std::string> texts;
  for (size_t begin = 0; begin < chunks.size(); begin += options_.embed_batch) {
    const size_t end = std::min(chunks.size(), begin + options_.embed_batch);
    texts.clear();
    for (size_t i = begin; i < end; ++i) texts.push_back(passage_text(chunks[i]));
    auto vectors = parts_.embedder->embed(texts, embed::EmbedRole::kPassage);
    if (!vectors.ok()) return vectors.status().with_context("embedding chunks");
    if (vectors->size() != texts.size()) {
      return Status::internal("embedder returned " + std::to_string(vectors->size()) +
                              " vectors for " + std::to_string(texts.size()) + " texts");
    }
    for (const auto& v : *vectors) {
      if (v.size() != dimension) {
        return Status::internal("embedder returned a vector of dimension " +
                                std::to_string(v.size()) + ", expected " +
                                std::to_string(dimension));
      }
      flat.insert(flat.end(), v.begin(), v.end());
    }
  }
  return flat;
}

Result<int64_t> KnowledgeBase::build_from_store(index::LexicalIndex* lexical,
                                                index::VectorIndex* vectors,
                                                const ProgressFn& progress) {
  store::Store& store = *parts_.store;
  ATIENDE_ASSIGN_OR_RETURN(const int64_t total, store.count_chunks());
  ATIENDE_ASSIGN_OR_RETURN(const int64_t generation_before, store.generation());
  std::vector<store::Chunk> batch;
  batch.reserve(kBuildFlush);
  uint64_t done = 0;
  std::vector<int64_t> ids;
  auto flush = [&]() -> Status {
    if (batch.empty()) return {};
    if (lexical != nullptr) ATIENDE_RETURN_IF_ERROR(lexical->upsert(batch));
    if (vectors != nullptr) {
      ATIENDE_ASSIGN_OR_RETURN(const auto flat, embed_chunks(batch));
      ids.clear();
      for (const auto& c : batch) ids.push_back(c.id);
      ATIENDE_RETURN_IF_ERROR(vectors->add(ids, flat));
    }
    done += batch.size();
    batch.clear();
    if (progress) progress(done, static_cast<uint64_t>(std::max<int64_t>(total, 0)));
    return {};
  };
  ATIENDE_RETURN_IF_ERROR(store.for_each_chunk([&](const store::Chunk& chunk) -> Status {
    batch.push_back(chunk);
    if (batch.size() >= kBuildFlush) return flush();
    return {};
  }));
  ATIENDE_RETURN_IF_ERROR(flush());
  if (progress && done == 0) progress(0, 0);
  ATIENDE_ASSIGN_OR_RETURN(const int64_t generation_after, store.generation());
  if (generation_after != generation_before) {
    spdlog::warn("the store changed during the index rebuild (generation {} -> {}); the indexes "
                 "will be rebuilt at the next open or reindex",
                 generation_before, generation_after);
    return int64_t{-1};
  }
  return generation_before;
}

Status KnowledgeBase::apply_locked(std::span<const int64_t> removed,
                                   std::span<const store::Chunk> inserted) {
  if (removed.empty() && inserted.empty()) return {};
  auto mark_stale = [this](const Status& status) {
    std::unique_lock lock(state_mutex_);
    state_->indexed_generation = -1;  // the store moved on without the indexes
    state_->dirty = true;
    return status;
  };
  auto flat = embed_chunks(inserted);
  if (!flat.ok()) return mark_stale(flat.status());
  std::vector<int64_t> ids;
  ids.reserve(inserted.size());
  for (const auto& c : inserted) ids.push_back(c.id);
  auto store_generation = parts_.store->generation();
  if (!store_generation.ok()) return mark_stale(store_generation.status());
  const int64_t generation = *store_generation;
  {
    std::unique_lock lock(state_mutex_);
    auto& st = *state_;
    st.dirty = true;
    st.store_generation = generation;
    Status status = st.lexical->remove(removed);
    if (status.ok()) status = st.vectors->remove(removed);
    if (status.ok()) status = st.lexical->upsert(inserted);
    if (status.ok()) status = st.vectors->add(ids, *flat);
    if (!status.ok()) {
      st.indexed_generation = -1;  // partly applied: persisted copies must be rebuilt
      cache_->invalidate(removed);
      return status.with_context("updating the indexes");
    }
    // Only a fully applied change that followed an up-to-date state is current.
    if (st.indexed_generation >= 0) st.indexed_generation = generation;
  }
  cache_->invalidate(removed);
  return {};
}

Status KnowledgeBase::apply(const store::UpsertOutcome& outcome) {
  if (outcome.unchanged) return {};
  std::lock_guard lock(mutation_mutex_);
  return apply_locked(outcome.removed_chunk_ids, outcome.inserted_chunks);
}

Status KnowledgeBase::apply(const store::BatchOutcome& outcome) {
  std::vector<int64_t> removed = outcome.pruned_chunk_ids;
  std::vector<store::Chunk> inserted;
  for (const auto& doc : outcome.documents) {
    if (doc.unchanged) continue;
    removed.insert(removed.end(), doc.removed_chunk_ids.begin(), doc.removed_chunk_ids.end());
    inserted.insert(inserted.end(), doc.inserted_chunks.begin(), doc.inserted_chunks.end());
  }
  std::lock_guard lock(mutation_mutex_);
  return apply_locked(removed, inserted);
}

Status KnowledgeBase::apply_removed(std::span<const int64_t> chunk_ids) {
  std::lock_guard lock(mutation_mutex_);
  return apply_locked(chunk_ids, {});
}

Result<store::BatchOutcome> KnowledgeBase::upsert_documents(
    std::span<const store::DocumentWithChunks> documents,
    const std::optional<std::string>& prune_source) {
  std::lock_guard lock(mutation_mutex_);
  ATIENDE_ASSIGN_OR_RETURN(auto outcome, parts_.store->upsert_documents(documents, prune_source));
  std::vector<int64_t> removed = outcome.pruned_chunk_ids;
  std::vector<store::Chunk> inserted;
  for (const auto& doc : outcome.documents) {
    if (doc.unchanged) continue;
    removed.insert(removed.end(), doc.removed_chunk_ids.begin(), doc.removed_chunk_ids.end());
    inserted.insert(inserted.end(), doc.inserted_chunks.begin(), doc.inserted_chunks.end());
  }
  ATIENDE_RETURN_IF_ERROR(apply_locked(removed, inserted));
  return outcome;
}

Result<std::vector<int64_t>> KnowledgeBase::delete_document(const std::string& doc_id) {
  std::lock_guard lock(mutation_mutex_);
  ATIENDE_ASSIGN_OR_RETURN(auto removed, parts_.store->delete_document(doc_id));
  ATIENDE_RETURN_IF_ERROR(apply_locked(removed, {}));
  return removed;
}

Status KnowledgeBase::reindex(const ProgressFn& progress) {
  std::lock_guard lock(mutation_mutex_);
  ATIENDE_ASSIGN_OR_RETURN(auto lexical, parts_.make_lexical());
  ATIENDE_ASSIGN_OR_RETURN(auto vectors, new_vector_index());
  ATIENDE_ASSIGN_OR_RETURN(const int64_t generation,
                           build_from_store(lexical.get(), vectors.get(), progress));
  {
    std::unique_lock state_lock(state_mutex_);
    auto& st = *state_;
    st.hybrid = std::make_unique<HybridRetriever>(*lexical, *vectors, *parts_.embedder, *cache_,
                                                  options_.retriever);
    st.lexical = std::move(lexical);
    st.vectors = std::move(vectors);
    st.indexed_generation = generation;
    if (generation >= 0) st.store_generation = generation;
    st.lexical_rebuilt = true;
    st.vector_rebuilt = true;
    st.dirty = true;
  }
  cache_->clear();
  return save_locked(true);
}

Status KnowledgeBase::save(bool force) {
  std::lock_guard lock(mutation_mutex_);
  return save_locked(force);
}

Status KnowledgeBase::save_locked(bool force) {
  const auto& dir = options_.index_dir;
  if (dir.empty()) return {};
  std::shared_lock lock(state_mutex_);  // mutations are excluded by mutation_mutex_
  auto& st = *state_;
  if (!st.dirty && !force) return {};
  ATIENDE_RETURN_IF_ERROR(ensure_directory(dir));
  const int64_t generation = st.indexed_generation;
  ATIENDE_RETURN_IF_ERROR(st.lexical->save(lexical_path(dir), generation));
  ATIENDE_RETURN_IF_ERROR(
      st.vectors->save(vector_path(dir, options_.vector.backend), generation));
  const Manifest manifest{generation, parts_.embedder->name(), parts_.embedder->dimension(),
                          options_.vector.backend};
  ATIENDE_RETURN_IF_ERROR(write_manifest(dir, manifest, st.lexical->size()));
  st.dirty = false;
  return {};
}

Result<std::vector<Hit>> KnowledgeBase::search(std::string_view query, size_t k, SearchMode mode,
                                               const index::Filter& filter) const {
  SearchRequest request;
  request.query = std::string(query);
  request.k = k;
  request.mode = mode;
  request.filter = filter;
  return search(request);
}

Result<std::vector<Hit>> KnowledgeBase::search(const SearchRequest& request) const {
  return retriever_->search(request);
}

Status KnowledgeBase::check_integrity() const {
  std::shared_lock lock(state_mutex_);
  const auto& st = *state_;
  ATIENDE_RETURN_IF_ERROR(st.lexical->check_integrity().with_context("lexical index"));
  ATIENDE_RETURN_IF_ERROR(st.vectors->check_integrity().with_context("vector index"));
  if (st.lexical->size() != st.vectors->size()) {
    return Status::data_loss("lexical index has " + std::to_string(st.lexical->size()) +
                             " chunks, vector index " + std::to_string(st.vectors->size()));
  }
  return {};
}

KnowledgeBaseStats KnowledgeBase::stats() const {
  std::shared_lock lock(state_mutex_);
  const auto& st = *state_;
  KnowledgeBaseStats s;
  s.store_generation = st.store_generation;
  s.indexed_generation = st.indexed_generation;
  s.lexical_size = st.lexical->size();
  s.vector_size = st.vectors->size();
  s.lexical_rebuilt = st.lexical_rebuilt;
  s.vector_rebuilt = st.vector_rebuilt;
  s.embedder = parts_.embedder->name();
  s.vector_backend = options_.vector.backend;
  return s;
}

}  // namespace atiende::retrieve
