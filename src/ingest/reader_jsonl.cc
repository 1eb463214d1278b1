// JSONL / JSON record reader: docs, FAQs, tickets, chats and transcripts.

#include <map>
#include <string>

#include "common/json.h"
#include "common/strings.h"
#include "ingest/readers.h"

namespace atiende::ingest {
namespace {

constexpr size_t kMaxListedErrors = 10;

Result<std::string> optional_string(const Json& object, const char* field) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Status::invalid_argument(std::string("\"") + field +
                                                        "\" must be a string");
  return it->get<std::string>();
}

/// One JSON object -> record. Errors have no location (the caller adds it).
Result<SourceRecord> parse_record(const Json& object) {
  if (!object.is_object()) return Status::invalid_argument("a record must be a JSON object");
  SourceRecord record;
  auto id_it = object.find("id");
  if (id_it == object.end() || id_it->is_null()) {
    return Status::invalid_argument("missing \"id\"");
  }
  if (id_it->is_string()) {
    record.id = id_it->get<std::string>();
  } else if (id_it->is_number_integer()) {
    record.id = dump_json(*id_it);  // numeric ids are kept as their decimal text
  } else {
    return Status::invalid_argument("\"id\" must be a string");
  }
  if (trim(record.id).empty()) return Status::invalid_argument("\"id\" is empty");
  ATIENDE_ASSIGN_OR_RETURN(record.title, optional_string(object, "title"));
  ATIENDE_ASSIGN_OR_RETURN(record.text, optional_string(object, "text"));
  ATIENDE_ASSIGN_OR_RETURN(std::string type, optional_string(object, "type"));
  if (type.empty()) type = "doc";
  if (!is_known_record_type(type)) {
    return Status::invalid_argument("unknown \"type\" '" + type +
                                    "' (use doc, faq, ticket, chat or transcript)");
  }
  record.type = type;
  ATIENDE_ASSIGN_OR_RETURN(record.language, optional_string(object, "language"));
  if (record.language.empty()) {
    ATIENDE_ASSIGN_OR_RETURN(record.language, optional_string(object, "lang"));
  }
  if (!record.language.empty() && record.language != "es" && record.language != "en") {
    return Status::invalid_argument("\"language\" must be \"es\" or \"en\"");
  }
  if (type == "faq") {
    ATIENDE_ASSIGN_OR_RETURN(std::string question, optional_string(object, "question"));
    ATIENDE_ASSIGN_OR_RETURN(std::string answer, optional_string(object, "answer"));
    if (record.title.empty()) record.title = question;
    if (record.text.empty()) record.text = answer;
    if (record.title.empty()) {
      return Status::invalid_argument("an faq record needs \"title\" (or \"question\")");
    }
  }
  auto meta_it = object.find("metadata");
  if (meta_it != object.end() && !meta_it->is_null()) {
    if (!meta_it->is_object()) return Status::invalid_argument("\"metadata\" must be an object");
    record.metadata_json = dump_json(*meta_it);
  }
  auto turns_it = object.find("turns");
  if (turns_it != object.end() && !turns_it->is_null()) {
    if (!turns_it->is_array()) return Status::invalid_argument("\"turns\" must be an array");
    size_t index = 0;
    for (const Json& turn : *turns_it) {
      const std::string where = "turns[" + std::to_string(index++) + "]";
      if (!turn.is_object()) return Status::invalid_argument(where + " must be an object");
      auto role = optional_string(turn, "role");
      auto text = optional_string(turn, "text");
      if (!role.ok()) return role.status().with_context(where);
      if (!text.ok()) return text.status().with_context(where);
      if (role->empty()) return Status::invalid_argument(where + " needs a \"role\"");
      record.turns.push_back({*role, *text});
    }
  }
  if (trim(record.text).empty() && record.turns.empty()) {
    return Status::invalid_argument("record has no \"text\"" +
                                    std::string(type == "chat" || type == "transcript"
                                                    ? " or \"turns\""
                                                    : ""));
  }
  return record;
}

Status too_many(std::vector<std::string>& errors, size_t total) {
  std::string message = join(errors, "\n");
  if (total > errors.size()) {
    message += "\n(" + std::to_string(total - errors.size()) + " more bad lines)";
  }
  return Status::invalid_argument(message);
}

}  // namespace

Result<std::vector<SourceRecord>> read_jsonl(std::string_view bytes, const std::string& source) {
  ATIENDE_RETURN_IF_ERROR(check_utf8(bytes, source));
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  std::vector<SourceRecord> records;
  std::vector<std::string> errors;
  size_t bad = 0;
  std::map<std::string, int64_t> seen;
  int64_t line_no = 0;
  for (std::string_view line : split(bytes, '\n')) {
    ++line_no;
    if (trim(line).empty()) continue;
    const std::string where = source + ":" + std::to_string(line_no);
    auto fail = [&](const std::string& message) {
      ++bad;
      if (errors.size() < kMaxListedErrors) errors.push_back(where + ": " + message);
    };
    auto json = parse_json(line);
    if (!json.ok()) {
      fail(json.status().message());
      continue;
    }
    auto record = parse_record(*json);
    if (!record.ok()) {
      fail(record.status().message());
      continue;
    }
    auto [it, inserted] = seen.emplace(record->id, line_no);
    if (!inserted) {
      fail("duplicate id '" + record->id + "' (first on line " + std::to_string(it->second) + ")");
      continue;
    }
    record->source = source;
    record->line = line_no;
    records.push_back(std::move(*record));
  }
  if (bad > 0) return too_many(errors, bad);
  if (records.empty()) return Status::invalid_argument(source + ": no records");
  return records;
}

Result<std::vector<SourceRecord>> read_json_or_jsonl(std::string_view bytes,
                                                     const std::string& source) {
  ATIENDE_RETURN_IF_ERROR(check_utf8(bytes, source));
  std::string_view body = trim(bytes);
  if (body.starts_with("\xEF\xBB\xBF")) body = trim(body.substr(3));
  if (body.empty()) return Status::invalid_argument(source + ": empty body");
  if (body.front() != '[' && body.front() != '{') {
    return Status::invalid_argument(source + ": expected a JSON object, array or JSON lines");
  }
  auto whole = parse_json(body);
  if (!whole.ok()) {
    // Several objects, one per line.
    if (body.front() == '{' && body.find('\n') != std::string_view::npos) {
      return read_jsonl(bytes, source);
    }
    return Status::invalid_argument(source + ": malformed JSON: " + whole.status().message());
  }
  const Json* list = &*whole;
  if (whole->is_object() && whole->contains("documents")) list = &(*whole)["documents"];
  std::vector<SourceRecord> records;
  std::map<std::string, size_t> seen;
  auto add = [&](const Json& item, size_t index, bool in_array) -> Status {
    const std::string where = in_array ? source + ": record " + std::to_string(index)
                                       : source;
    auto record = parse_record(item);
    if (!record.ok()) return Status::invalid_argument(where + ": " + record.status().message());
    auto [it, inserted] = seen.emplace(record->id, index);
    if (!inserted) {
      return Status::invalid_argument(where + ": duplicate id '" + record->id +
                                      "' (first in record " + std::to_string(it->second) + ")");
    }
    record->source = source;
    records.push_back(std::move(*record));
    return {};
  };
  if (list->is_array()) {
    if (list->empty()) return Status::invalid_argument(source + ": no records");
    size_t index = 0;
    for (const Json& item : *list) ATIENDE_RETURN_IF_ERROR(add(item, index++, true));
  } else {
    ATIENDE_RETURN_IF_ERROR(add(*list, 0, false));
  }
  return records;
}

}  // namespace atiende::ingest
