#pragma once
/// Wiring between ingest/ and retrieve/: an ingest::DocumentWriter that writes through
/// retrieve::KnowledgeBase, so the lexical and vector indexes follow every ingested file or request
/// body incrementally. Used by `atiende ingest`; the server's POST/DELETE /v1/documents should
/// build its IngestPipeline on it too:
///
///   app::KnowledgeBaseWriter writer(kb);                    // kb outlives writer and pipeline
///   ingest::IngestPipeline pipeline(writer, options);       // options.transform = anonymizer
///   ingest::FileResult r = pipeline.ingest_records(body, "api");
///
/// Thread-safety: as KnowledgeBase (mutations are serialized inside it).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ingest/pipeline.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {

class KnowledgeBaseWriter final : public ingest::DocumentWriter {
 public:
  explicit KnowledgeBaseWriter(retrieve::KnowledgeBase& kb) : kb_(kb) {}
  Result<store::BatchOutcome> upsert_documents(
      std::span<const store::DocumentWithChunks> documents,
      const std::optional<std::string>& prune_source) override {
    return kb_.upsert_documents(documents, prune_source);
  }
  Result<std::vector<int64_t>> delete_document(const std::string& doc_id) override {
    return kb_.delete_document(doc_id);
  }

 private:
  retrieve::KnowledgeBase& kb_;
};

}  // namespace atiende::app
