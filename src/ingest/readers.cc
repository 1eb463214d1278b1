#include "ingest/readers.h"

#include <algorithm>

#include "common/strings.h"
#include "text/utf8.h"

namespace atiende::ingest {

bool is_known_record_type(const std::string& type) {
  for (const char* known : kRecordTypes) {
    if (type == known) return true;
  }
  return false;
}

Format format_for_path(const std::filesystem::path& path) {
  const std::string ext = ascii_lower(path.extension().string());
  if (ext == ".txt" || ext == ".text") return Format::kText;
  if (ext == ".md" || ext == ".markdown") return Format::kMarkdown;
  if (ext == ".html" || ext == ".htm") return Format::kHtml;
  if (ext == ".pdf") return Format::kPdf;
  if (ext == ".csv") return Format::kCsv;
  if (ext == ".jsonl" || ext == ".ndjson") return Format::kJsonl;
  if (ext == ".json") return Format::kJson;
  return Format::kUnknown;
}

const char* format_name(Format format) {
  switch (format) {
    case Format::kText: return "text";
    case Format::kMarkdown: return "markdown";
    case Format::kHtml: return "html";
    case Format::kPdf: return "pdf";
    case Format::kCsv: return "csv";
    case Format::kJsonl: return "jsonl";
    case Format::kJson: return "json";
    case Format::kUnknown: break;
  }
  return "unknown";
}

namespace {

std::string strip_bom(std::string_view bytes) {
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
  return std::string(bytes);
}

std::string stem_of(const std::string& file_id) {
  return std::filesystem::path(file_id).stem().string();
}

}  // namespace

Status check_utf8(std::string_view bytes, const std::string& source) {
  const size_t bad = text::find_invalid_utf8(bytes);
  if (bad == std::string_view::npos) return {};
  const size_t line = 1 + static_cast<size_t>(std::count(bytes.begin(), bytes.begin() + bad, '\n'));
  return Status::invalid_argument(source + ":" + std::to_string(line) + ": invalid UTF-8 (byte " +
                                  std::to_string(bad) + "); convert the file to UTF-8");
}

Result<std::vector<SourceRecord>> read_plain_text(std::string_view bytes, const std::string& file_id,
                                                  const std::string& source, bool markdown) {
  ATIENDE_RETURN_IF_ERROR(check_utf8(bytes, source));
  SourceRecord record;
  record.id = file_id;
  record.source = source;
  record.line = 1;
  std::string text = strip_bom(bytes);
  if (markdown) {
    // Drop heading markers ("## Title" -> "Title"); the first heading is the title.
    std::string out;
    out.reserve(text.size());
    bool in_fence = false;
    for (std::string_view line : split(text, '\n')) {
      std::string_view trimmed = trim(line);
      if (trimmed.starts_with("```")) {
        in_fence = !in_fence;
        out += '\n';
        continue;
      }
      if (!in_fence && trimmed.starts_with('#')) {
        size_t hashes = trimmed.find_first_not_of('#');
        if (hashes != std::string_view::npos && hashes <= 6 && trimmed[hashes] == ' ') {
          std::string_view heading = trim(trimmed.substr(hashes));
          if (record.title.empty()) record.title = std::string(heading);
          out += heading;
          out += '\n';
          continue;
        }
      }
      out += line;
      out += '\n';
    }
    text = std::move(out);
  } else {
    // A plain-text file whose first line is short works as its title.
    const size_t eol = text.find('\n');
    std::string_view first = trim(std::string_view(text).substr(0, eol));
    if (!first.empty() && first.size() <= 120 && eol != std::string::npos) {
      record.title = std::string(first);
    }
  }
  if (record.title.empty()) record.title = stem_of(file_id);
  record.text = std::move(text);
  return std::vector<SourceRecord>{std::move(record)};
}

Result<std::vector<SourceRecord>> read_records(Format format, std::string_view bytes,
                                               const std::string& file_id,
                                               const std::string& source) {
  switch (format) {
    case Format::kText: return read_plain_text(bytes, file_id, source, false);
    case Format::kMarkdown: return read_plain_text(bytes, file_id, source, true);
    case Format::kHtml: return read_html(bytes, file_id, source);
    case Format::kPdf: return read_pdf(bytes, file_id, source);
    case Format::kCsv: return read_faq_csv(bytes, file_id, source);
    case Format::kJsonl: return read_jsonl(bytes, source);
    case Format::kJson: return read_json_or_jsonl(bytes, source);
    case Format::kUnknown: break;
  }
  return Status::invalid_argument(source + ": unsupported file type (use .md, .txt, .html, .pdf, "
                                  ".csv, .jsonl or .json)");
}

}  // namespace atiende::ingest
