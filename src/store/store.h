#pragma once
/// Store: the durable state of atiende behind one interface, so that SQLite (the embedded
/// default) and PostgreSQL (several nodes) are interchangeable. This header covers the knowledge
/// base (documents and chunks); later capabilities add their own repositories beside it
/// (conversations, feedback, audit...), each with its own migrations.
///
/// Thread-safety: implementations are safe to call from several threads; each call is atomic.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/types.h"

namespace atiende::store {

/// What an upsert changed, so that indexes can follow incrementally.
struct UpsertOutcome {
  std::string doc_id;                      ///< the document this outcome is about
  std::vector<int64_t> removed_chunk_ids;  ///< chunks of the previous version (now gone)
  std::vector<Chunk> inserted_chunks;      ///< with their new ids
  bool replaced = false;                   ///< the document existed before
  bool unchanged = false;                  ///< same content hash: nothing was written
};

/// One document with all its chunks, for batch upserts. Chunk ids are ignored (assigned by the
/// store); chunk doc_id/type/language/metadata are taken from the document.
struct DocumentWithChunks {
  Document document;
  std::vector<Chunk> chunks;
};

/// What a batch upsert changed.
struct BatchOutcome {
  std::vector<UpsertOutcome> documents;   ///< one per input document, in input order
  std::vector<std::string> pruned_doc_ids;  ///< removed because of `prune_source`
  std::vector<int64_t> pruned_chunk_ids;    ///< chunks of the pruned documents
};

/// Paging and filtering for document listings.
struct DocumentQuery {
  std::string type;      ///< empty = any
  int64_t offset = 0;
  int64_t limit = 100;
};

class Store {
 public:
  virtual ~Store() = default;

  /// Inserts or replaces a document and all its chunks in one transaction. When a document with
  /// the same id and content hash exists, nothing is written (`unchanged`). Bumps generation().
  virtual Result<UpsertOutcome> upsert_document(const Document& document,
                                                const std::vector<Chunk>& chunks) = 0;
  /// Upserts several documents in ONE transaction (all or nothing), each as upsert_document
  /// would. When `prune_source` is given, documents whose `source` equals it and whose id is not
  /// in the batch are deleted in the same transaction (a re-ingested CSV that lost a row).
  /// Duplicate ids inside the batch are invalid_argument. Bumps generation() once if anything
  /// changed.
  virtual Result<BatchOutcome> upsert_documents(std::span<const DocumentWithChunks> documents,
                                                const std::optional<std::string>& prune_source) = 0;
  /// Removes a document and its chunks; returns the removed chunk ids. not_found when absent.
  virtual Result<std::vector<int64_t>> delete_document(const std::string& doc_id) = 0;

  /// std::nullopt when absent.
  virtual Result<std::optional<Document>> get_document(const std::string& doc_id) = 0;
  virtual Result<std::vector<Document>> list_documents(const DocumentQuery& query) = 0;
  virtual Result<int64_t> count_documents() = 0;

  /// Chunks of one document, by ordinal.
  virtual Result<std::vector<Chunk>> chunks_of(const std::string& doc_id) = 0;
  /// Chunks by id, in the order asked; ids that do not exist are skipped.
  virtual Result<std::vector<Chunk>> get_chunks(std::span<const int64_t> chunk_ids) = 0;
  /// Visits every chunk in id order; stops at the first error the visitor returns. Reads in pages,
  /// so writers are not blocked for the whole visit; compare generation() before and after to
  /// know whether the visit saw a single version of the knowledge base.
  virtual Status for_each_chunk(const std::function<Status(const Chunk&)>& visit) = 0;
  virtual Result<int64_t> count_chunks() = 0;

  /// A counter that changes on every knowledge-base mutation. Persisted indexes record it to
  /// know whether they are stale.
  virtual Result<int64_t> generation() = 0;
};

/// Opens (creating if needed) the SQLite store at `path` (e.g. "<data>/atiende.db"): WAL mode,
/// migrations applied.
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& path);

}  // namespace atiende::store
