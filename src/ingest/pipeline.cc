#include "ingest/pipeline.h"

#include <fnmatch.h>

#include <fstream>

#include <algorithm>
#include <set>

#include "common/crypto.h"
#include "common/files.h"
#include "common/strings.h"
#include "ingest/text_ops.h"

namespace atiende::ingest {
namespace {

/// Blocks up to this many non-space characters fingerprint with digits folded (page numbers).
constexpr size_t kFoldDigitsMaxChars = 100;

struct Block {
  std::string text;
  int32_t page = 0;  ///< 1-based, 0 when not paged
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// Splits normalized text at blank lines into trimmed blocks. For PDF pages (page > 0) the first
/// and the last line of the page are blocks of their own: that is where running headers and
/// footers live.
void split_blocks(std::string_view text, int32_t page, std::vector<Block>& out) {
  std::vector<std::string> paragraphs;
  std::string current;
  for (std::string_view line : split(text, '\n')) {
    if (trim(line).empty()) {
      if (!current.empty()) paragraphs.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty()) current += '\n';
    current += line;
  }
  if (!current.empty()) paragraphs.push_back(std::move(current));
  if (page > 0 && !paragraphs.empty()) {
    auto peel_first = [&](std::vector<std::string>& ps) {
      const size_t nl = ps.front().find('\n');
      if (nl == std::string::npos) return;
      std::string rest = ps.front().substr(nl + 1);
      ps.front().resize(nl);
      ps.insert(ps.begin() + 1, std::move(rest));
    };
    auto peel_last = [&](std::vector<std::string>& ps) {
      const size_t nl = ps.back().rfind('\n');
      if (nl == std::string::npos) return;
      std::string last = ps.back().substr(nl + 1);
      ps.back().resize(nl);
      ps.push_back(std::move(last));
    };
    peel_first(paragraphs);
    peel_last(paragraphs);
  }
  for (auto& p : paragraphs) {
    std::string_view t = trim(p);
    if (!t.empty()) out.push_back({std::string(t), page});
  }
}

std::string render_role(const std::string& role) {
  const std::string r = ascii_lower(trim(role));
  if (r == "customer" || r == "cliente" || r == "user" || r == "client" || r == "usuario") {
    return "Cliente";
  }
  if (r == "agent" || r == "agente" || r == "assistant" || r == "asesor" || r == "bot") {
    return "Agente";
  }
  std::string out(trim(role));
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 32);
  return out;
}

size_t code_points(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

size_t non_space_chars(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += !is_space(static_cast<char>(c)) && (c & 0xC0) != 0x80;
  return n;
}

std::string where(const SourceRecord& r) {
  std::string w = r.source.empty() ? std::string("input") : r.source;
  if (r.line > 0) w += ":" + std::to_string(r.line);
  return w;
}

Status validate_id(const std::string& id) {
  if (trim(id).empty()) return Status::invalid_argument("document id is empty");
  if (id.size() > 512) return Status::invalid_argument("document id longer than 512 bytes");
  for (unsigned char c : id) {
    if (c < 0x20 || c == 0x7F) {
      return Status::invalid_argument("document id contains a control character");
    }
  }
  return {};
}

}  // namespace

double IngestSummary::megabytes_per_second() const {
  return seconds > 0 ? static_cast<double>(bytes) / seconds / 1e6 : 0.0;
}

void IngestSummary::add(const FileResult& file) {
  if (file.status.ok()) {
    ++files_ok;
  } else {
    ++files_failed;
  }
  documents_added += file.documents_added;
  documents_replaced += file.documents_replaced;
  documents_unchanged += file.documents_unchanged;
  documents_pruned += file.documents_pruned;
  chunks += file.chunks;
  duplicates_dropped += file.duplicates_dropped;
  bytes += file.bytes;
  files.push_back(file);
}

Result<IngestOptions> IngestOptions::from_config(const Config& config) {
  IngestOptions o;
  ATIENDE_ASSIGN_OR_RETURN(int64_t tokens_max, config.get_int("ingest.chunk_tokens_max", 200));
  ATIENDE_ASSIGN_OR_RETURN(int64_t overlap, config.get_int("ingest.chunk_overlap_tokens", 40));
  ATIENDE_ASSIGN_OR_RETURN(o.dedup, config.get_bool("ingest.dedup", true));
  ATIENDE_ASSIGN_OR_RETURN(int64_t distance, config.get_int("ingest.dedup_max_distance", 3));
  ATIENDE_ASSIGN_OR_RETURN(int64_t min_chars, config.get_int("ingest.dedup_min_chars", 24));
  ATIENDE_ASSIGN_OR_RETURN(o.transform_types,
                           config.get_string_list("ingest.anonymize_types",
                                                  {"ticket", "chat", "transcript"}));
  ATIENDE_ASSIGN_OR_RETURN(int64_t max_mb, config.get_int("ingest.max_file_mb", 256));
  if (tokens_max < 16 || tokens_max > 8192) {
    return Status::invalid_argument("ingest.chunk_tokens_max must be between 16 and 8192");
  }
  if (overlap < 0 || overlap >= tokens_max) {
    return Status::invalid_argument(
        "ingest.chunk_overlap_tokens must be >= 0 and below ingest.chunk_tokens_max");
  }
  if (distance < 0 || distance > 7) {
    return Status::invalid_argument("ingest.dedup_max_distance must be between 0 and 7");
  }
  if (min_chars < 0) return Status::invalid_argument("ingest.dedup_min_chars must be >= 0");
  if (max_mb < 1) return Status::invalid_argument("ingest.max_file_mb must be >= 1");
  for (const auto& type : o.transform_types) {
    if (!is_known_record_type(type)) {
      return Status::invalid_argument("ingest.anonymize_types: unknown type '" + type + "'");
    }
  }
  o.chunker.tokens_max = static_cast<int>(tokens_max);
  o.chunker.overlap_tokens = static_cast<int>(overlap);
  o.dedup_max_distance = static_cast<int>(distance);
  o.dedup_min_chars = static_cast<size_t>(min_chars);
  o.max_file_bytes = static_cast<size_t>(max_mb) << 20;
  return o;
}

namespace {

/// Patterns of "<dir>/.atiendeignore": one glob a line ('#' comments). "name/" matches a directory
/// at any depth; other patterns match a file's name or its path relative to the directory.
std::vector<std::string> read_ignore_patterns(const std::filesystem::path& root) {
  std::vector<std::string> patterns;
  std::ifstream in(root / ".atiendeignore");
  std::string line;
  while (std::getline(in, line)) {
    const std::string_view pattern = trim(line);
    if (!pattern.empty() && pattern.front() != '#') patterns.emplace_back(pattern);
  }
  return patterns;
}

bool is_ignored(const std::vector<std::string>& patterns, const std::string& relative,
                const std::string& name, bool is_directory) {
  for (const std::string& pattern : patterns) {
    if (pattern.back() == '/') {
      if (is_directory && fnmatch(pattern.substr(0, pattern.size() - 1).c_str(), name.c_str(), 0) == 0) {
        return true;
      }
    } else if (!is_directory && (fnmatch(pattern.c_str(), name.c_str(), 0) == 0 ||
                                 fnmatch(pattern.c_str(), relative.c_str(), FNM_PATHNAME) == 0)) {
      return true;
    }
  }
  return false;
}

}  // namespace

Result<std::vector<InputFile>> collect_files(std::span<const std::string> paths) {
  std::vector<InputFile> files;
  for (const std::string& arg : paths) {
    std::error_code ec;
    const std::filesystem::path root(arg);
    const auto status = std::filesystem::status(root, ec);
    if (ec || !std::filesystem::exists(status)) {
      return Status::invalid_argument(arg + ": no such file or directory");
    }
    if (std::filesystem::is_directory(status)) {
      const std::vector<std::string> ignore = read_ignore_patterns(root);
      std::vector<InputFile> found;
      auto it = std::filesystem::recursive_directory_iterator(
          root, std::filesystem::directory_options::skip_permission_denied, ec);
      if (ec) return Status::invalid_argument(arg + ": cannot read directory: " + ec.message());
      for (auto end = std::filesystem::recursive_directory_iterator(); it != end;
           it.increment(ec)) {
        if (ec) return Status::invalid_argument(arg + ": cannot read directory: " + ec.message());
        const auto& path = it->path();
        if (path.filename().string().starts_with(".")) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        const std::string relative = path.lexically_relative(root).generic_string();
        if (is_ignored(ignore, relative, path.filename().string(), it->is_directory())) {
          if (it->is_directory()) it.disable_recursion_pending();
          continue;
        }
        if (!it->is_regular_file()) continue;
        const Format format = format_for_path(path);
        if (format == Format::kUnknown) continue;
        found.push_back({path, path.lexically_relative(root).generic_string(), format});
      }
      std::sort(found.begin(), found.end(),
                [](const InputFile& a, const InputFile& b) { return a.doc_id < b.doc_id; });
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back({root, root.filename().string(), format_for_path(root)});
    }
  }
  return files;
}

IngestPipeline::IngestPipeline(store::Store& store, IngestOptions options, const Clock& clock)
    : own_writer_(std::make_unique<StoreWriter>(store)),
      writer_(*own_writer_),
      options_(std::move(options)),
      clock_(clock),
      dedup_(options_.dedup_max_distance) {}

IngestPipeline::IngestPipeline(DocumentWriter& writer, IngestOptions options, const Clock& clock)
    : writer_(writer),
      options_(std::move(options)),
      clock_(clock),
      dedup_(options_.dedup_max_distance) {}

Result<PreparedDocument> IngestPipeline::prepare(SourceRecord record) {
  std::lock_guard lock(mutex_);
  return prepare_locked(std::move(record));
}

Result<PreparedDocument> IngestPipeline::prepare_locked(SourceRecord record) {
  const std::string at = where(record);
  Status id_ok = validate_id(record.id);
  if (!id_ok.ok()) return Status::invalid_argument(at + ": " + id_ok.message());
  const std::string label = at + ": record '" + record.id + "'";
  if (!is_known_record_type(record.type)) {
    return Status::invalid_argument(label + ": unknown type '" + record.type + "'");
  }
  // 1. Anonymize first: nothing below (logs included) may see the raw text.
  const bool sensitive = std::find(options_.transform_types.begin(), options_.transform_types.end(),
                                   record.type) != options_.transform_types.end();
  if (sensitive) {
    if (options_.transform) {
      Status transformed = options_.transform(record);
      if (!transformed.ok()) {
        return Status(transformed.code(), label + ": anonymization failed: " + transformed.message());
      }
    } else if (!options_.allow_untransformed_for_test) {
      return Status::failed_precondition(
          label + ": records of type '" + record.type +
          "' must be anonymized before they are stored, and no anonymizer is configured");
    }
  }

  // 2. Render into segments (one per PDF page).
  std::vector<std::pair<std::string, int32_t>> segments;
  if (!record.pages.empty()) {
    for (size_t p = 0; p < record.pages.size(); ++p) {
      segments.emplace_back(std::move(record.pages[p]), static_cast<int32_t>(p + 1));
    }
  } else {
    std::string body = std::move(record.text);
    if (!record.turns.empty()) {
      if (!trim(body).empty()) body += "\n\n";
      for (const Turn& turn : record.turns) {
        if (trim(turn.text).empty()) continue;
        std::string line(trim(turn.text));
        std::replace(line.begin(), line.end(), '\n', ' ');
        body += render_role(turn.role) + ": " + line + "\n";
      }
    }
    segments.emplace_back(std::move(body), 0);
  }

  // 3. Normalize.
  auto normalized_title = normalize_document_text(record.title);
  if (!normalized_title.ok()) return normalized_title.status().with_context(label + " title");
  std::string title = *normalized_title;
  std::replace(title.begin(), title.end(), '\n', ' ');
  std::vector<Block> blocks;
  for (auto& [segment, page] : segments) {
    auto normalized = normalize_document_text(segment);
    if (!normalized.ok()) return normalized.status().with_context(label);
    if (record.type == "faq") {
      blocks.push_back({std::move(*normalized), page});
    } else {
      split_blocks(*normalized, page, blocks);
    }
  }

  PreparedDocument prepared;
  store::Document& doc = prepared.value.document;
  doc.id = record.id;
  doc.title = title;
  doc.type = record.type;
  doc.source = record.source;
  doc.metadata_json = record.metadata_json.empty() ? "{}" : record.metadata_json;

  // 4. Drop near-duplicate boilerplate blocks (never in an FAQ answer).
  if (options_.dedup && record.type != "faq") {
    dedup_.remove_owner(record.id);
    std::vector<Block> kept;
    kept.reserve(blocks.size());
    for (auto& block : blocks) {
      const size_t chars = non_space_chars(block.text);
      if (chars >= options_.dedup_min_chars) {
        const uint64_t fingerprint = simhash64(block.text, chars <= kFoldDigitsMaxChars);
        if (!dedup_.find(fingerprint).empty()) {
          ++prepared.duplicates_dropped;
          continue;
        }
        dedup_.add(fingerprint, record.id);
      }
      kept.push_back(std::move(block));
    }
    blocks = std::move(kept);
  }

  // 5. The document text the chunk offsets point into, and where each page starts.
  std::string& text = prepared.text;
  std::vector<int64_t> page_starts;
  const bool paged = !record.pages.empty();
  size_t cp = 0;
  int32_t next_page = 1;
  for (const auto& block : blocks) {
    if (!text.empty()) {
      text += "\n\n";
      cp += 2;
    }
    while (paged && next_page <= block.page) {
      page_starts.push_back(static_cast<int64_t>(cp));
      ++next_page;
    }
    text += block.text;
    cp += code_points(block.text);
  }

  doc.language = !record.language.empty() ? record.language : detect_language(title + "\n" + text);
  if (doc.title.empty()) doc.title = doc.id;

  // 6. Chunks.
  std::vector<store::Chunk>& chunks = prepared.value.chunks;
  if (record.type == "faq") {
    if (!trim(text).empty()) {
      store::Chunk c;
      c.title = doc.title;
      c.text = text;
      c.start = 0;
      c.end = static_cast<int64_t>(cp);
      chunks.push_back(std::move(c));
    }
  } else {
    const std::vector<ByteSpan> sentences = sentence_spans(text, doc.language);
    for (TextChunk& t : chunk_text(text, sentences, count_tokens, options_.chunker, page_starts)) {
      store::Chunk c;
      c.title = doc.title;
      c.text = std::move(t.text);
      c.start = t.start;
      c.end = t.end;
      c.page = t.page;
      chunks.push_back(std::move(c));
    }
  }

  // 7. Content hash: everything that shapes what is stored.
  std::string hashed = "atiende-ingest-v1";
  for (const std::string* part : {&doc.title, &doc.type, &doc.language, &doc.metadata_json,
                                  &doc.source, &text}) {
    hashed += '\0';
    hashed += *part;
  }
  hashed += '\0' + std::to_string(options_.chunker.tokens_max) + "/" +
            std::to_string(options_.chunker.overlap_tokens);
  doc.content_hash = sha256_hex(hashed);
  const int64_t now = clock_.unix_millis();
  doc.created_ms = now;
  doc.updated_ms = now;
  return prepared;
}

FileResult IngestPipeline::ingest_source_records(std::vector<SourceRecord> records,
                                                 const std::string& source,
                                                 const std::optional<std::string>& prune_source) {
  std::lock_guard lock(mutex_);
  FileResult result;
  result.path = source;
  std::vector<store::DocumentWithChunks> batch;
  batch.reserve(records.size());
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (auto& record : records) {
    if (!seen.insert(record.id).second) {
      result.status = Status::invalid_argument(where(record) + ": duplicate id '" + record.id + "'");
      break;
    }
    ids.push_back(record.id);
    auto prepared = prepare_locked(std::move(record));
    if (!prepared.ok()) {
      result.status = prepared.status();
      break;
    }
    result.duplicates_dropped += prepared->duplicates_dropped;
    batch.push_back(std::move(prepared->value));
  }
  if (result.status.ok()) {
    auto outcome = writer_.upsert_documents(batch, prune_source);
    if (outcome.ok()) {
      result.outcome = std::move(*outcome);
    } else {
      result.status = outcome.status().with_context(source);
    }
  }
  if (!result.status.ok()) {
    // Nothing of this input was stored: forget its fingerprints too.
    for (const auto& id : ids) dedup_.remove_owner(id);
    result.duplicates_dropped = 0;
    return result;
  }
  for (const auto& doc : result.outcome.documents) {
    if (doc.unchanged) {
      ++result.documents_unchanged;
    } else if (doc.replaced) {
      ++result.documents_replaced;
    } else {
      ++result.documents_added;
    }
    result.chunks += static_cast<int64_t>(doc.inserted_chunks.size());
  }
  for (const auto& id : result.outcome.pruned_doc_ids) dedup_.remove_owner(id);
  result.documents_pruned = static_cast<int64_t>(result.outcome.pruned_doc_ids.size());
  return result;
}

FileResult IngestPipeline::ingest_file(const InputFile& file) {
  const std::string source = file.path.lexically_normal().generic_string();
  FileResult result;
  result.path = source;
  result.format = format_name(file.format);
  std::error_code ec;
  const auto size = std::filesystem::file_size(file.path, ec);
  if (!ec && size > options_.max_file_bytes) {
    result.status = Status::invalid_argument(source + ": file larger than ingest.max_file_mb (" +
                                             std::to_string(options_.max_file_bytes >> 20) +
                                             " MB)");
    return result;
  }
  auto bytes = read_file(file.path);
  if (!bytes.ok()) {
    result.status = Status::invalid_argument(source + ": cannot read: " + bytes.status().message());
    return result;
  }
  result.bytes = bytes->size();
  auto records = read_records(file.format, *bytes, file.doc_id, source);
  if (!records.ok()) {
    result.status = records.status();
    return result;
  }
  FileResult ingested = ingest_source_records(std::move(*records), source, source);
  ingested.path = result.path;
  ingested.format = result.format;
  ingested.bytes = result.bytes;
  return ingested;
}

FileResult IngestPipeline::ingest_records(std::string_view body, const std::string& source) {
  FileResult result;
  result.path = source;
  result.format = "json";
  result.bytes = body.size();
  auto records = read_json_or_jsonl(body, source);
  if (!records.ok()) {
    result.status = records.status();
    return result;
  }
  FileResult ingested = ingest_source_records(std::move(*records), source, std::nullopt);
  ingested.format = result.format;
  ingested.bytes = result.bytes;
  return ingested;
}

Result<IngestSummary> IngestPipeline::ingest_paths(
    std::span<const std::string> paths, const std::function<void(const FileResult&)>& on_file) {
  ATIENDE_ASSIGN_OR_RETURN(std::vector<InputFile> files, collect_files(paths));
  IngestSummary summary;
  const auto start = clock_.steady_now();
  for (const auto& file : files) {
    FileResult result = ingest_file(file);
    if (on_file) on_file(result);
    summary.add(result);
  }
  summary.seconds =
      std::chrono::duration<double>(clock_.steady_now() - start).count();
  return summary;
}

Result<std::vector<int64_t>> IngestPipeline::delete_document(const std::string& doc_id) {
  std::lock_guard lock(mutex_);
  ATIENDE_ASSIGN_OR_RETURN(std::vector<int64_t> removed, writer_.delete_document(doc_id));
  dedup_.remove_owner(doc_id);
  return removed;
}

}  // namespace atiende::ingest
