// PDF reader on poppler-cpp: one text per page, so that chunks keep their page numbers.

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <memory>
#include <mutex>
#include <string>

#include "common/strings.h"
#include "ingest/readers.h"

namespace atiende::ingest {
namespace {

void quiet_poppler(const std::string&, void*) {}

void silence_poppler_once() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(quiet_poppler, nullptr); });
}

std::string to_string(const poppler::ustring& u) {
  const poppler::byte_array bytes = u.to_utf8();
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace

Result<std::vector<SourceRecord>> read_pdf(std::string_view bytes, const std::string& file_id,
                                           const std::string& source) {
  silence_poppler_once();
  if (!bytes.starts_with("%PDF")) {
    return Status::invalid_argument(source + ": not a PDF (missing %PDF header)");
  }
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return Status::invalid_argument(source + ": PDF too large");
  }
  // poppler keeps a pointer to the data: it must outlive the document.
  std::unique_ptr<poppler::document> doc(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  if (!doc) return Status::invalid_argument(source + ": broken PDF (poppler cannot open it)");
  if (doc->is_locked()) {
    return Status::invalid_argument(source + ": PDF is encrypted; remove the password first");
  }
  SourceRecord record;
  record.id = file_id;
  record.source = source;
  const int pages = doc->pages();
  if (pages <= 0) return Status::invalid_argument(source + ": PDF has no pages");
  bool any_text = false;
  for (int i = 0; i < pages; ++i) {
    std::unique_ptr<poppler::page> page(doc->create_page(i));
    std::string text;
    if (page) text = to_string(page->text(poppler::rectf(), poppler::page::physical_layout));
    // poppler separates pages with form feeds; they carry no meaning here.
    for (char& c : text) {
      if (c == '\f') c = '\n';
    }
    Status valid = check_utf8(text, source + " page " + std::to_string(i + 1));
    if (!valid.ok()) return valid;
    if (!trim(text).empty()) any_text = true;
    record.pages.push_back(std::move(text));
  }
  if (!any_text) {
    return Status::invalid_argument(source + ": PDF has no extractable text (scanned image?)");
  }
  record.title = std::string(trim(to_string(doc->info_key("Title"))));
  // Generators put their own name or the source file name there; prefer our file stem then.
  const std::string lower = ascii_lower(record.title);
  if (lower.empty() || lower.ends_with(".ps") || lower.ends_with(".txt") ||
      lower.ends_with(".doc") || lower.ends_with(".docx") || lower == "enscript output" ||
      lower == "untitled" || lower == "document" || lower == "documento") {
    record.title = std::filesystem::path(file_id).stem().string();
  }
  return std::vector<SourceRecord>{std::move(record)};
}

}  // namespace atiende::ingest
