#pragma once
/// Records of the knowledge base as the store keeps them. Plain structs, no behaviour.

#include <cstdint>
#include <string>

namespace atiende::store {

/// One source document. `id` is kept exactly as the user gave it (JSONL id, CSV id) or, for files,
/// derived from the path relative to the ingest root.
struct Document {
  std::string id;
  std::string title;
  std::string type = "doc";      ///< doc | faq | ticket | chat | transcript
  std::string language;          ///< "es" | "en" (detected when not given)
  std::string source;            ///< file path or "api"
  std::string metadata_json = "{}";  ///< a JSON object, as given
  std::string content_hash;      ///< hex SHA-256 of the normalized text, to skip unchanged re-ingests
  int64_t created_ms = 0;        ///< unix millis
  int64_t updated_ms = 0;        ///< unix millis
  int64_t chunk_count = 0;       ///< filled by the store on reads
};

/// One retrievable unit of a document. Offsets are Unicode code points into the document's
/// normalized text (the text the chunker saw), end exclusive.
struct Chunk {
  int64_t id = 0;          ///< assigned by the store on insert; unique for the life of the store
  std::string doc_id;
  int32_t ordinal = 0;     ///< 0-based position within the document
  std::string title;       ///< document title, or the question of an FAQ pair
  std::string text;        ///< the chunk body (for FAQ: the answer)
  int64_t start = 0;       ///< code points
  int64_t end = 0;         ///< code points, exclusive
  int32_t page = 0;        ///< 1-based PDF page of `start`, 0 when not paged
  // Copied from the document so that indexes can filter without a join.
  std::string type;
  std::string language;
  std::string metadata_json = "{}";
  std::string source;      ///< the document's source (file path or URL); read-only, set by reads
};

}  // namespace atiende::store
