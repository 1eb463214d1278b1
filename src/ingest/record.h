#pragma once
/// SourceRecord: what a reader produces from a file or request body, before cleaning, anonymization,
/// normalization and chunking. One record becomes one stored document.

#include <cstdint>
#include <string>
#include <vector>

namespace atiende::ingest {

/// One turn of a chat or call transcript. `role` is kept as given ("customer", "agent",
/// "cliente"...); it is rendered as "Cliente: ..." / "Agente: ..." lines in the document text.
struct Turn {
  std::string role;
  std::string text;
};

/// Record types accepted by ingest.
inline constexpr const char* kRecordTypes[] = {"doc", "faq", "ticket", "chat", "transcript"};

/// True for doc|faq|ticket|chat|transcript.
bool is_known_record_type(const std::string& type);

struct SourceRecord {
  std::string id;                    ///< the document id, kept exactly as given or derived
  std::string title;                 ///< FAQ: the question
  std::string type = "doc";          ///< doc | faq | ticket | chat | transcript
  std::string text;                  ///< UTF-8 body (FAQ: the answer); may be empty with turns
  std::vector<Turn> turns;           ///< chat/transcript turns (rendered after `text`)
  std::vector<std::string> pages;    ///< PDF: one text per page (then `text` is empty)
  std::string language;              ///< "es" | "en" when given; detected when empty
  std::string metadata_json = "{}";  ///< a JSON object as text
  std::string source;                ///< file path (as given) or "api"
  int64_t line = 0;                  ///< 1-based line in the source where the record starts (0 = n/a)
};

}  // namespace atiende::ingest
