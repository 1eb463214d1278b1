// FAQ CSV reader (RFC 4180).

#include <map>
#include <set>
#include <string>

#include "common/json.h"
#include "common/strings.h"
#include "ingest/readers.h"

namespace atiende::ingest {
namespace {

struct CsvRow {
  std::vector<std::string> fields;
  int64_t line = 0;  ///< 1-based line where the row starts
};

/// Splits RFC 4180 CSV into rows. Quoted fields may hold commas, newlines and "" escapes.
Result<std::vector<CsvRow>> parse_csv(std::string_view s, const std::string& source) {
  std::vector<CsvRow> rows;
  CsvRow row;
  std::string field;
  int64_t line = 1;
  row.line = 1;
  size_t i = 0;
  bool field_started = false;  // something (even an empty quoted field) was read
  auto end_field = [&] {
    row.fields.push_back(std::move(field));
    field.clear();
    field_started = false;
  };
  auto end_row = [&] {
    end_field();
    const bool blank = row.fields.size() == 1 && trim(row.fields[0]).empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{};
  };
  while (i < s.size()) {
    const char c = s[i];
    if (c == '"' && !field_started && trim(field).empty()) {
      field.clear();
      const int64_t quote_line = line;
      ++i;
      bool closed = false;
      while (i < s.size()) {
        if (s[i] == '"') {
          if (i + 1 < s.size() && s[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (s[i] == '\n') ++line;
        field += s[i++];
      }
      if (!closed) {
        return Status::invalid_argument(source + ":" + std::to_string(quote_line) +
                                        ": unterminated quoted field");
      }
      field_started = true;
      // Only spaces may follow a closing quote before the separator.
      while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
      if (i < s.size() && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
        return Status::invalid_argument(source + ":" + std::to_string(line) +
                                        ": unexpected character after a closing quote "
                                        "(quotes inside a field must be doubled: \"\")");
      }
      continue;
    }
    if (c == ',') {
      end_field();
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (c == '\n') {
      end_row();
      ++line;
      row.line = line;
      ++i;
      continue;
    }
    if (field_started) {
      return Status::invalid_argument(source + ":" + std::to_string(line) +
                                      ": text after a closing quote");
    }
    field += c;
    ++i;
  }
  if (!field.empty() || field_started || !row.fields.empty()) end_row();
  return rows;
}

std::string header_key(std::string_view name) {
  std::string key = ascii_lower(trim(name));
  // Accept the Spanish headers too (with or without the accent).
  if (key == "pregunta") return "question";
  if (key == "respuesta") return "answer";
  if (key == "categoria" || key == "categor\xC3\xAD" "a") return "category";
  return key;
}

}  // namespace

Result<std::vector<SourceRecord>> read_faq_csv(std::string_view bytes, const std::string& file_id,
                                               const std::string& source) {
  ATIENDE_RETURN_IF_ERROR(check_utf8(bytes, source));
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  ATIENDE_ASSIGN_OR_RETURN(std::vector<CsvRow> rows, parse_csv(bytes, source));
  if (rows.empty()) return Status::invalid_argument(source + ":1: empty CSV (no header)");
  const CsvRow& header = rows.front();
  std::map<std::string, size_t> column;
  for (size_t c = 0; c < header.fields.size(); ++c) {
    const std::string key = header_key(header.fields[c]);
    if (!column.emplace(key, c).second) {
      return Status::invalid_argument(source + ":1: duplicate column '" + key + "'");
    }
  }
  if (!column.count("question") || !column.count("answer")) {
    return Status::invalid_argument(source +
                                    ":1: CSV FAQ needs the columns 'question' and 'answer' "
                                    "(optional 'category', 'id'); found: " +
                                    join(std::vector<std::string>(header.fields.begin(),
                                                                  header.fields.end()),
                                         ","));
  }
  std::vector<SourceRecord> records;
  std::set<std::string> ids;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    const std::string where = source + ":" + std::to_string(row.line);
    if (row.fields.size() != header.fields.size()) {
      return Status::invalid_argument(where + ": row has " + std::to_string(row.fields.size()) +
                                      " fields, the header has " +
                                      std::to_string(header.fields.size()));
    }
    auto get = [&](const std::string& key) -> std::string {
      auto it = column.find(key);
      return it == column.end() ? std::string() : std::string(trim(row.fields[it->second]));
    };
    SourceRecord record;
    record.type = "faq";
    record.source = source;
    record.line = row.line;
    record.title = get("question");
    record.text = get("answer");
    if (record.title.empty() || record.text.empty()) {
      return Status::invalid_argument(where + ": empty question or answer");
    }
    record.id = get("id");
    if (record.id.empty()) record.id = file_id + "#" + std::to_string(r);
    if (!ids.insert(record.id).second) {
      return Status::invalid_argument(where + ": duplicate id '" + record.id + "'");
    }
    Json metadata = Json::object();
    for (const auto& [key, index] : column) {
      if (key == "question" || key == "answer" || key == "id") continue;
      const std::string value(trim(row.fields[index]));
      if (!value.empty()) metadata[key] = value;
    }
    record.metadata_json = dump_json(metadata);
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace atiende::ingest
