#include "eval/golden_qa.h"

#include <optional>
#include <unordered_set>

#include "common/json.h"
#include "common/strings.h"

namespace atiende::eval {
namespace {

Status line_error(std::string_view source, size_t line, std::string_view what) {
  return Status::invalid_argument(std::string(source) + ":" + std::to_string(line) + ": " +
                                  std::string(what));
}

/// A required non-blank string field; empty optional when missing or not a non-blank string.
std::optional<std::string> text_field(const Json& j, const char* name) {
  if (!j.contains(name) || !j[name].is_string()) return std::nullopt;
  std::string value = j[name].get<std::string>();
  if (trim(value).empty()) return std::nullopt;
  return value;
}

}  // namespace

Result<std::vector<GoldenQuestion>> parse_golden_questions(std::string_view text,
                                                           std::string_view source) {
  std::vector<GoldenQuestion> out;
  std::unordered_set<std::string> ids;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (trim(line).empty()) continue;
    auto parsed = parse_json(line);
    if (!parsed.ok()) {
      return line_error(source, line_number, "not JSON: " + parsed.status().message());
    }
    const Json& j = *parsed;
    if (!j.is_object()) return line_error(source, line_number, "expected a JSON object");
    GoldenQuestion q;
    q.line = line_number;
    if (!j.contains("id") || !(j["id"].is_string() || j["id"].is_number_integer())) {
      return line_error(source, line_number, "missing \"id\" (string or integer)");
    }
    q.id = j["id"].is_string() ? j["id"].get<std::string>()
                               : std::to_string(j["id"].get<int64_t>());
    if (trim(q.id).empty()) return line_error(source, line_number, "empty \"id\"");
    auto question = text_field(j, "question");
    if (!question) return line_error(source, line_number, "missing or empty \"question\"");
    q.question = std::move(*question);
    auto reference = text_field(j, "reference_answer");
    if (!reference) return line_error(source, line_number, "missing or empty \"reference_answer\"");
    q.reference_answer = std::move(*reference);
    if (!j.contains("relevant") || !j["relevant"].is_array()) {
      return line_error(source, line_number, "\"relevant\" must be an array of doc ids");
    }
    for (const auto& id : j["relevant"]) {
      if (!id.is_string() || id.get<std::string>().empty()) {
        return line_error(source, line_number, "\"relevant\" holds a value that is not a doc id");
      }
      q.relevant.push_back(id.get<std::string>());
    }
    if (!ids.insert(q.id).second) {
      return line_error(source, line_number, "duplicate id \"" + q.id + "\"");
    }
    out.push_back(std::move(q));
  }
  if (out.empty()) return Status::invalid_argument(std::string(source) + ": no golden questions");
  return out;
}

}  // namespace atiende::eval
