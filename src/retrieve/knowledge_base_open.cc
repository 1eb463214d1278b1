// open_knowledge_base: wires the configured implementations into a KnowledgeBase.

#include "common/files.h"
#include "embed/local_embedder.h"
#include "embed/openai_embedder.h"
#include "index/lexical_bm25.h"
#include "retrieve/knowledge_base.h"
#include "net/json_poster.h"

namespace atiende::retrieve {

Result<std::unique_ptr<KnowledgeBase>> open_knowledge_base(const Config& config,
                                                           KnowledgeBaseDeps deps,
                                                           const ProgressFn& progress) {
  ATIENDE_ASSIGN_OR_RETURN(KnowledgeBaseOptions options, knowledge_base_options_from_config(config));
  KnowledgeBaseParts parts;
  if (deps.store) {
    parts.store = std::move(deps.store);
  } else {
    ATIENDE_ASSIGN_OR_RETURN(const std::string data_dir,
                             config.get_string("data.dir", "./atiende-data"));
    ATIENDE_RETURN_IF_ERROR(ensure_directory(data_dir));
    const auto path = (std::filesystem::path(data_dir) / "atiende.db").string();
    ATIENDE_ASSIGN_OR_RETURN(auto store, store::open_sqlite_store(path));
    parts.store = std::shared_ptr<store::Store>(std::move(store));
  }
  if (deps.embedder) {
    parts.embedder = std::move(deps.embedder);
  } else {
    ATIENDE_ASSIGN_OR_RETURN(const std::string provider,
                             config.get_string("embed.provider", "local"));
    std::unique_ptr<embed::Embedder> embedder;
    if (provider == "local") {
      ATIENDE_ASSIGN_OR_RETURN(embedder, embed::make_local_embedder(config));
    } else if (provider == "openai") {
      ATIENDE_ASSIGN_OR_RETURN(auto remote, embed::openai_embedder_options_from_config(config));
      ATIENDE_ASSIGN_OR_RETURN(embedder, embed::make_openai_embedder(std::move(remote), nullptr));
    } else {
      return Status::invalid_argument("embed.provider: unknown embedder \"" + provider +
                                      "\" (available: local, openai)");
    }
    parts.embedder = std::shared_ptr<const embed::Embedder>(std::move(embedder));
  }
  ATIENDE_ASSIGN_OR_RETURN(const index::Bm25Options bm25, index::bm25_options_from_config(config));
  parts.make_lexical = [bm25]() -> Result<std::unique_ptr<index::LexicalIndex>> {
    auto lexical = index::make_bm25_index(bm25);
    if (!lexical) return Status::unimplemented("BM25 lexical index is not available");
    return lexical;
  };
  if (options.rerank.enabled) {
    if (!deps.rerank_poster) {
      deps.rerank_poster = std::make_shared<net::NetJsonPoster>(
          std::make_shared<net::HttpClient>(),
          std::chrono::milliseconds(options.rerank.timeout_ms));
    }
    parts.reranker = std::make_shared<HttpReranker>(options.rerank.http, deps.rerank_poster);
  }
  return KnowledgeBase::open(std::move(parts), std::move(options), progress);
}

}  // namespace atiende::retrieve
