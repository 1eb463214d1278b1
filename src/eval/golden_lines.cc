#include "eval/golden_lines.h"

#include <unordered_set>

#include "common/strings.h"

namespace atiende::eval {

Status golden_line_error(std::string_view source, size_t line, std::string_view what) {
  return Status::invalid_argument(std::string(source) + ":" + std::to_string(line) + ": " +
                                  std::string(what));
}

Status for_each_golden_line(std::string_view text, std::string_view source, std::string_view what,
                            const std::function<Status(const Json&, size_t, std::string)>& fn) {
  std::unordered_set<std::string> ids;
  size_t line_number = 0;
  for (std::string_view line : split(text, '\n')) {
    ++line_number;
    if (trim(line).empty()) continue;
    auto parsed = parse_json(line);
    if (!parsed.ok()) {
      return golden_line_error(source, line_number, "not JSON: " + parsed.status().message());
    }
    const Json& j = *parsed;
    if (!j.is_object()) return golden_line_error(source, line_number, "expected a JSON object");
    if (!j.contains("id") || !(j["id"].is_string() || j["id"].is_number_integer())) {
      return golden_line_error(source, line_number, "missing \"id\" (string or integer)");
    }
    std::string id = j["id"].is_string() ? j["id"].get<std::string>()
                                         : std::to_string(j["id"].get<int64_t>());
    if (trim(id).empty()) return golden_line_error(source, line_number, "empty \"id\"");
    if (!ids.insert(id).second) {
      return golden_line_error(source, line_number, "duplicate id \"" + id + "\"");
    }
    ATIENDE_RETURN_IF_ERROR(fn(j, line_number, std::move(id)));
  }
  if (ids.empty()) return Status::invalid_argument(std::string(source) + ": no " + std::string(what));
  return Status::ok_status();
}

Result<std::vector<std::string>> golden_relevant_ids(const Json& j, std::string_view source,
                                                     size_t line, bool allow_empty) {
  if (!j.contains("relevant") || !j["relevant"].is_array() ||
      (!allow_empty && j["relevant"].empty())) {
    return golden_line_error(source, line,
                             allow_empty ? "\"relevant\" must be an array of doc ids"
                                         : "\"relevant\" must be a non-empty array of doc ids");
  }
  std::vector<std::string> out;
  for (const auto& id : j["relevant"]) {
    if (!id.is_string() || id.get<std::string>().empty()) {
      return golden_line_error(source, line, "\"relevant\" holds a value that is not a doc id");
    }
    out.push_back(id.get<std::string>());
  }
  return out;
}

}  // namespace atiende::eval
