#include "privacy/batch.h"

#include "common/json.h"
#include "common/strings.h"
#include "privacy/operators.h"

namespace atiende::privacy {
namespace {

/// Reads lines of at most `max` bytes without ever buffering more than that: a longer line is
/// reported (too_long) and skipped up to its newline.
class LineReader {
 public:
  LineReader(std::istream& in, size_t max) : in_(in), max_(max) {}
  /// False at end of input. `line` has no trailing "\n" / "\r\n".
  bool next(std::string& line, bool& too_long, uint64_t& bytes) {
    line.clear();
    too_long = false;
    if (!in_.good() || in_.peek() == std::char_traits<char>::eof()) return false;
    char c;
    while (in_.get(c)) {
      ++bytes;
      if (c == '\n') break;
      if (line.size() >= max_) {
        too_long = true;
        continue;  // drain the rest of the line
      }
      line.push_back(c);
    }
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++number_;
    return true;
  }
  uint64_t number() const { return number_; }

 private:
  std::istream& in_;
  size_t max_;
  uint64_t number_ = 0;
};

Json span_json(const PiiSpan& s, std::string_view text, const std::string& key) {
  const std::string_view value = text.substr(s.start_byte, s.end_byte - s.start_byte);
  return {{"start", s.start},
          {"end", s.end},
          {"start_byte", s.start_byte},
          {"end_byte", s.end_byte},
          {"type", s.type},
          {"score", s.score},
          {"recognizer", s.recognizer},
          {"text_hash", key.empty() ? sha256_hex(value) : hmac_sha256_hex(key, value)}};
}

// ------------------------------------------------------------------ CSV
/// Splits one CSV record (RFC 4180). Returns false when a quote is left open.
bool parse_csv_record(std::string_view record, std::vector<std::string>& fields) {
  fields.clear();
  std::string field;
  bool quoted = false;
  bool at_start = true;
  for (size_t i = 0; i < record.size(); ++i) {
    const char c = record[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < record.size() && record[i + 1] == '"') {
          field.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && at_start) {
      quoted = true;
      at_start = false;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      at_start = true;
    } else {
      field.push_back(c);
      at_start = false;
    }
  }
  fields.push_back(std::move(field));
  return !quoted;
}

std::string csv_escape(const std::string& value) {
  if (value.find_first_of(",\"\n\r") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

bool quotes_balanced(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += c == '"';
  return n % 2 == 0;
}

}  // namespace

Result<BatchFormat> parse_batch_format(std::string_view name) {
  const std::string n = ascii_lower(name);
  if (n == "text" || n == "txt") return BatchFormat::kText;
  if (n == "jsonl" || n == "json" || n == "ndjson") return BatchFormat::kJsonl;
  if (n == "csv") return BatchFormat::kCsv;
  return Status::invalid_argument("unknown --format '" + std::string(name) +
                                  "' (expected text, jsonl or csv)");
}

BatchFormat batch_format_for_path(std::string_view path) {
  const std::string p = ascii_lower(path);
  auto ends = [&](std::string_view suffix) {
    return p.size() >= suffix.size() && p.compare(p.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends(".jsonl") || ends(".ndjson") || ends(".json")) return BatchFormat::kJsonl;
  if (ends(".csv")) return BatchFormat::kCsv;
  return BatchFormat::kText;
}

std::string BatchStats::to_json() const {
  Json j;
  j["records"] = records;
  j["skipped"] = skipped;
  j["skipped_lines"] = skipped_lines;
  j["bytes"] = bytes;
  j["counts"] = Json::object();
  uint64_t total = 0;
  for (const auto& [type, n] : counts) {
    j["counts"][type] = n;
    total += n;
  }
  j["total"] = total;
  return dump_json(j);
}

Status run_batch(const Anonymizer& anonymizer, const BatchOptions& options, std::istream& in,
                 std::ostream* out, std::ostream* spans_out, BatchStats& stats) {
  LineReader reader(in, options.max_line_bytes);
  std::string line;
  bool too_long = false;
  PseudonymScope file_scope = anonymizer.new_scope();

  // Handles a bad record: an error naming the line, or a counted skip.
  auto bad = [&](uint64_t line_no, const Status& why) -> Status {
    if (!options.skip_bad) return why.with_context("line " + std::to_string(line_no));
    ++stats.skipped;
    if (stats.skipped_lines.size() < 100) stats.skipped_lines.push_back(line_no);
    return {};
  };
  auto write_spans = [&](uint64_t line_no, const std::vector<FieldSpans>& fields,
                         const std::map<std::string, std::string>& texts) {
    for (const auto& f : fields) {
      for (const auto& s : f.spans) ++stats.counts[s.type];
    }
    if (spans_out == nullptr) return;
    if (fields.empty()) {
      *spans_out << dump_json({{"line", line_no}, {"field", nullptr}, {"spans", Json::array()}})
                 << "\n";
      return;
    }
    for (const auto& f : fields) {
      Json spans = Json::array();
      const auto it = texts.find(f.field);
      const std::string_view text = it == texts.end() ? std::string_view() : it->second;
      for (const auto& s : f.spans) spans.push_back(span_json(s, text, options.text_hash_key));
      *spans_out << dump_json({{"line", line_no}, {"field", f.field}, {"spans", spans}}) << "\n";
    }
  };

  if (options.format == BatchFormat::kText) {
    while (reader.next(line, too_long, stats.bytes)) {
      const uint64_t n = reader.number();
      if (too_long) {
        ATIENDE_RETURN_IF_ERROR(bad(n, Status::invalid_argument(
                                           "line longer than " +
                                           std::to_string(options.max_line_bytes) + " bytes")));
        continue;
      }
      std::vector<PiiSpan> spans;
      auto result = options.detect_only
                        ? anonymizer.analyzer().analyze(line, anonymizer.options().lang)
                        : Result<std::vector<PiiSpan>>(std::vector<PiiSpan>{});
      std::string anonymized;
      if (options.detect_only) {
        if (!result.ok()) {
          ATIENDE_RETURN_IF_ERROR(bad(n, result.status()));
          continue;
        }
        spans = std::move(*result);
      } else {
        auto text = anonymizer.anonymize_text(line, file_scope, &spans);
        if (!text.ok()) {
          ATIENDE_RETURN_IF_ERROR(bad(n, text.status()));
          continue;
        }
        anonymized = std::move(*text);
      }
      ++stats.records;
      std::vector<FieldSpans> fields;
      if (!spans.empty()) fields.push_back({"text", std::move(spans)});
      write_spans(n, fields, {{"text", line}});
      if (out != nullptr && !options.detect_only) *out << anonymized << "\n";
    }
    return {};
  }

  if (options.format == BatchFormat::kJsonl) {
    while (reader.next(line, too_long, stats.bytes)) {
      const uint64_t n = reader.number();
      if (too_long) {
        ATIENDE_RETURN_IF_ERROR(bad(n, Status::invalid_argument(
                                           "line longer than " +
                                           std::to_string(options.max_line_bytes) + " bytes")));
        continue;
      }
      if (trim(line).empty()) continue;
      PseudonymScope scope = anonymizer.new_scope();
      auto result = anonymizer.anonymize_record_json(line, scope, false, options.detect_only);
      if (!result.ok()) {
        ATIENDE_RETURN_IF_ERROR(bad(n, result.status()));
        continue;
      }
      ++stats.records;
      std::map<std::string, std::string> texts;
      if (spans_out != nullptr && !result->fields.empty()) {
        // Span hashes need the original values: re-read them from the input record.
        auto original = parse_json(line);
        if (original.ok()) {
          for (const auto& f : result->fields) {
            std::string pointer = "/" + f.field;
            for (auto& ch : pointer) {
              if (ch == '.') ch = '/';
            }
            std::string fixed;
            for (char ch : pointer) {
              if (ch == '[') fixed += '/';
              else if (ch != ']') fixed += ch;
            }
            try {
              const Json& v = original->at(Json::json_pointer(fixed));
              texts[f.field] = v.is_string() ? v.get<std::string>() : v.dump();
            } catch (const std::exception&) {
              // Field names with '/' or '~' are not addressable; hash the empty string.
            }
          }
        }
      }
      write_spans(n, result->fields, texts);
      if (out != nullptr && !options.detect_only) *out << result->json << "\n";
    }
    return {};
  }

  // CSV: header row, then records that may span several physical lines inside quotes.
  std::vector<std::string> header;
  std::vector<std::string> fields;
  std::string record;
  uint64_t record_line = 0;
  while (reader.next(line, too_long, stats.bytes)) {
    const uint64_t n = reader.number();
    if (record.empty()) record_line = n;
    if (too_long || record.size() + line.size() > options.max_line_bytes) {
      record.clear();
      ATIENDE_RETURN_IF_ERROR(bad(record_line, Status::invalid_argument(
                                                   "CSV record longer than " +
                                                   std::to_string(options.max_line_bytes) +
                                                   " bytes")));
      continue;
    }
    if (!record.empty()) record += "\n";
    record += line;
    if (!quotes_balanced(record)) continue;  // a quoted field goes on
    if (header.empty()) {
      if (!parse_csv_record(record, header) || header.empty()) {
        return Status::invalid_argument("line " + std::to_string(record_line) +
                                        ": malformed CSV header");
      }
      if (out != nullptr && !options.detect_only) {
        for (size_t i = 0; i < header.size(); ++i) *out << (i ? "," : "") << csv_escape(header[i]);
        *out << "\n";
      }
      record.clear();
      continue;
    }
    if (trim(record).empty()) {
      record.clear();
      continue;
    }
    if (!parse_csv_record(record, fields) || fields.size() != header.size()) {
      const std::string why = "malformed CSV row: " + std::to_string(fields.size()) +
                              " fields, the header has " + std::to_string(header.size());
      record.clear();
      ATIENDE_RETURN_IF_ERROR(bad(record_line, Status::invalid_argument(why)));
      continue;
    }
    record.clear();
    Json object = Json::object();
    for (size_t i = 0; i < header.size(); ++i) object[header[i]] = fields[i];
    PseudonymScope scope = anonymizer.new_scope();
    auto result =
        anonymizer.anonymize_record_json(dump_json(object), scope, false, options.detect_only);
    if (!result.ok()) {
      ATIENDE_RETURN_IF_ERROR(bad(record_line, result.status()));
      continue;
    }
    ++stats.records;
    std::map<std::string, std::string> texts;
    for (size_t i = 0; i < header.size(); ++i) texts[header[i]] = fields[i];
    write_spans(record_line, result->fields, texts);
    if (out != nullptr && !options.detect_only) {
      auto anonymized = parse_json(result->json);
      if (!anonymized.ok()) return anonymized.status();
      for (size_t i = 0; i < header.size(); ++i) {
        const Json& v = (*anonymized)[header[i]];
        *out << (i ? "," : "") << csv_escape(v.is_string() ? v.get<std::string>() : v.dump());
      }
      *out << "\n";
    }
  }
  if (!record.empty()) {
    ATIENDE_RETURN_IF_ERROR(
        bad(record_line, Status::invalid_argument("malformed CSV row: unterminated quote")));
  }
  return {};
}

}  // namespace atiende::privacy
