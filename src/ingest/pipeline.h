#pragma once
/// IngestPipeline: files, directories or request bodies -> documents and chunks in the Store.
///
/// Per record: anonymize (ticket/chat/transcript, through the RecordTransform hook, BEFORE anything
/// is persisted or logged) -> render turns/pages -> validate + normalize (NFC) -> split into blocks
/// and drop near-duplicate boilerplate blocks (SimHash, across everything this pipeline has seen)
/// -> language detection -> sentence-aware chunking -> content hash. Each FILE (and each request
/// body) is one store transaction holding all its documents; a bad file fails alone with a message
/// naming the file and line, and every other file is still ingested. Re-ingesting an id replaces
/// it; unchanged content is skipped (same content hash). Documents of a file that disappeared
/// from it (a CSV row, a JSONL record) are pruned when the file is re-ingested.
///
/// Thread-safety: one pipeline may be used from several threads (HTTP handlers); calls are
/// serialized internally.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "ingest/chunker.h"
#include "ingest/dedup.h"
#include "ingest/readers.h"
#include "ingest/record.h"
#include "store/store.h"

namespace atiende::ingest {

/// The anonymization hook (privacy/ plugs its anonymizer in). Called once per record whose type
/// is in IngestOptions::transform_types, on the raw record, before anything else happens to it.
/// It must rewrite in place every field that can carry PII: title, text, every turn's text and
/// metadata_json (it may also drop turns). An error fails the record's whole file (nothing of it
/// is stored) and its message must not contain raw text.
using RecordTransform = std::function<Status(SourceRecord& record)>;

struct IngestOptions {
  ChunkerOptions chunker;            ///< ingest.chunk_tokens_max, ingest.chunk_overlap_tokens
  bool dedup = true;                 ///< ingest.dedup
  int dedup_max_distance = 3;        ///< ingest.dedup_max_distance (SimHash bits, 0..7)
  size_t dedup_min_chars = 24;       ///< ingest.dedup_min_chars: shorter blocks are never dropped
  /// Types whose records go through `transform` (ingest.anonymize_types).
  std::vector<std::string> transform_types = {"ticket", "chat", "transcript"};
  RecordTransform transform;         ///< the anonymizer; see RecordTransform
  /// When no transform is set, records of transform_types are refused (raw PII must never be
  /// stored). Tests may set this to store them untouched.
  bool allow_untransformed_for_test = false;
  size_t max_file_bytes = 256u << 20;  ///< ingest.max_file_mb; larger files fail

  /// Reads the keys above from config (with defaults); errors name the key. `transform` stays
  /// empty: the app installs it.
  static Result<IngestOptions> from_config(const Config& config);
};

/// What happened to one file (or request body).
struct FileResult {
  std::string path;          ///< as given / found
  std::string format;        ///< "pdf", "csv"...
  Status status;             ///< error names the file (and line)
  uint64_t bytes = 0;
  int64_t documents_added = 0;
  int64_t documents_replaced = 0;
  int64_t documents_unchanged = 0;
  int64_t documents_pruned = 0;
  int64_t chunks = 0;              ///< chunks written
  int64_t duplicates_dropped = 0;  ///< boilerplate blocks dropped
  store::BatchOutcome outcome;     ///< for incremental index updates (empty on error)
};

/// Totals of a run.
struct IngestSummary {
  std::vector<FileResult> files;
  int64_t files_ok = 0;
  int64_t files_failed = 0;
  int64_t documents_added = 0;
  int64_t documents_replaced = 0;
  int64_t documents_unchanged = 0;
  int64_t documents_pruned = 0;
  int64_t documents_deleted = 0;
  int64_t chunks = 0;
  int64_t duplicates_dropped = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  /// bytes / seconds / 1e6 (0 when seconds is 0).
  double megabytes_per_second() const;
  void add(const FileResult& file);
};

/// A file found by collect_files.
struct InputFile {
  std::filesystem::path path;
  std::string doc_id;  ///< path relative to the directory argument, or the file name
  Format format = Format::kUnknown;
};

/// Expands files and directories (recursively, sorted, only known extensions; hidden entries
/// skipped). A file argument with an unknown extension is kept (it will fail clearly). A missing
/// path is an error naming it.
Result<std::vector<InputFile>> collect_files(std::span<const std::string> paths);

/// Where the pipeline writes. The default writes straight to a Store (indexes then catch up on
/// their next open, by generation). The app passes a writer that goes through
/// retrieve::KnowledgeBase::upsert_documents / delete_document, so indexes follow incrementally.
/// Implementations must make one upsert_documents call one transaction.
class DocumentWriter {
 public:
  virtual ~DocumentWriter() = default;
  virtual Result<store::BatchOutcome> upsert_documents(
      std::span<const store::DocumentWithChunks> documents,
      const std::optional<std::string>& prune_source) = 0;
  virtual Result<std::vector<int64_t>> delete_document(const std::string& doc_id) = 0;
};

/// Writes to a Store only.
class StoreWriter final : public DocumentWriter {
 public:
  explicit StoreWriter(store::Store& store) : store_(store) {}
  Result<store::BatchOutcome> upsert_documents(
      std::span<const store::DocumentWithChunks> documents,
      const std::optional<std::string>& prune_source) override {
    return store_.upsert_documents(documents, prune_source);
  }
  Result<std::vector<int64_t>> delete_document(const std::string& doc_id) override {
    return store_.delete_document(doc_id);
  }

 private:
  store::Store& store_;
};

/// A record turned into what the store keeps (exposed for tests and benchmarks).
struct PreparedDocument {
  store::DocumentWithChunks value;
  std::string text;  ///< the normalized document text that chunk offsets point into
  int64_t duplicates_dropped = 0;
};

class IngestPipeline {
 public:
  /// Writes to `store` directly. `store` must outlive the pipeline.
  IngestPipeline(store::Store& store, IngestOptions options, const Clock& clock = system_clock());
  /// Writes through `writer` (e.g. the knowledge base). `writer` must outlive the pipeline.
  IngestPipeline(DocumentWriter& writer, IngestOptions options,
                 const Clock& clock = system_clock());

  /// Reads and ingests one file in one transaction. Never fails as a whole: the error is in the
  /// result's status.
  FileResult ingest_file(const InputFile& file);
  /// collect_files + ingest_file for each. `on_file` (optional) is called after each file (for a
  /// progress bar and index updates). Errors of collect_files come back as the Status.
  Result<IngestSummary> ingest_paths(std::span<const std::string> paths,
                                     const std::function<void(const FileResult&)>& on_file = {});
  /// Ingests a request body (one JSON record, a JSON array of records, {"documents": [...]}, or
  /// JSONL) in one transaction; `source` is stored as the documents' source ("api").
  FileResult ingest_records(std::string_view body, const std::string& source = "api");
  /// Ingests already-read records in one transaction (`source` names them in errors).
  FileResult ingest_source_records(std::vector<SourceRecord> records, const std::string& source,
                                   const std::optional<std::string>& prune_source);
  /// Deletes a document; returns its removed chunk ids. not_found when absent.
  Result<std::vector<int64_t>> delete_document(const std::string& doc_id);

  /// Turns one record into a document with chunks (no store access). Applies the transform.
  /// Updates the dedup index with the record's kept blocks.
  Result<PreparedDocument> prepare(SourceRecord record);

  const IngestOptions& options() const { return options_; }

 private:
  Result<PreparedDocument> prepare_locked(SourceRecord record);
  std::unique_ptr<StoreWriter> own_writer_;
  DocumentWriter& writer_;
  IngestOptions options_;
  const Clock& clock_;
  std::recursive_mutex mutex_;
  NearDuplicateIndex dedup_;
};

}  // namespace atiende::ingest
