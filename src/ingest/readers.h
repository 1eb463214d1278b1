#pragma once
/// Readers: bytes of one file (or request body) -> SourceRecords. Pure functions, no I/O except
/// what the caller read. Every error is invalid_argument with a message "<source>:<line>: ..."
/// (line omitted when it does not apply), so the CLI and HTTP can show it as is.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "ingest/record.h"

namespace atiende::ingest {

enum class Format { kUnknown, kText, kMarkdown, kHtml, kPdf, kCsv, kJsonl, kJson };

/// By extension, case-insensitive: .txt/.text, .md/.markdown, .html/.htm, .pdf, .csv,
/// .jsonl/.ndjson, .json. kUnknown otherwise.
Format format_for_path(const std::filesystem::path& path);
/// "text", "markdown", "html", "pdf", "csv", "jsonl", "json", "unknown".
const char* format_name(Format format);

/// Dispatches on `format`. `file_id` becomes the document id of single-document files and the
/// prefix ("<file_id>#<row>") of CSV rows without an id column. `source` names the input in errors
/// and is stored as the documents' source.
Result<std::vector<SourceRecord>> read_records(Format format, std::string_view bytes,
                                               const std::string& file_id,
                                               const std::string& source);

/// .txt / .md: one document. Markdown: the first "# heading" is the title and heading markers are
/// removed; otherwise the title is the file name without extension.
Result<std::vector<SourceRecord>> read_plain_text(std::string_view bytes, const std::string& file_id,
                                                  const std::string& source, bool markdown);
/// .html: one document; <head>, <script>, <style>, <noscript>, <template> skipped; the <title>
/// (else the first <h1>) is the title; block elements become paragraph breaks.
Result<std::vector<SourceRecord>> read_html(std::string_view bytes, const std::string& file_id,
                                            const std::string& source);
/// .pdf: one document with one text per page (record.pages). Broken or encrypted PDFs are errors.
Result<std::vector<SourceRecord>> read_pdf(std::string_view bytes, const std::string& file_id,
                                           const std::string& source);
/// .csv FAQ (RFC 4180: quotes, "" escapes, multi-line fields, CRLF or LF): header with `question`
/// and `answer` (also `pregunta`/`respuesta`), optional `id` and `category` (`categoria`); other
/// columns go into metadata. Each row is one "faq" record: title = question, text = answer,
/// id = the id column or "<file_id>#<row>" (row is the 1-based data row).
Result<std::vector<SourceRecord>> read_faq_csv(std::string_view bytes, const std::string& file_id,
                                               const std::string& source);
/// .jsonl: one record per non-blank line:
///   {"id", "title", "text", "type": "doc|faq|ticket|chat|transcript", "metadata": {...},
///    "language", "turns": [{"role", "text"}]}
/// `id` is required; `text` or `turns` is required. FAQ records may use "question"/"answer".
/// Errors name the line; up to 10 bad lines are listed. Duplicate ids are an error.
Result<std::vector<SourceRecord>> read_jsonl(std::string_view bytes, const std::string& source);
/// A JSON body: one record object, an array of them, or {"documents": [...]}; otherwise JSONL.
Result<std::vector<SourceRecord>> read_json_or_jsonl(std::string_view bytes,
                                                     const std::string& source);

/// Checks that `bytes` is valid UTF-8; the error names "<source>:<line>" of the first bad byte.
Status check_utf8(std::string_view bytes, const std::string& source);

}  // namespace atiende::ingest
