#include "eval/golden_qa.h"

#include <optional>

#include "common/json.h"
#include "common/strings.h"
#include "eval/golden_lines.h"

namespace atiende::eval {
namespace {

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
  ATIENDE_RETURN_IF_ERROR(for_each_golden_line(
      text, source, "golden questions", [&](const Json& j, size_t line, std::string id) -> Status {
        GoldenQuestion q;
        q.line = line;
        q.id = std::move(id);
        auto question = text_field(j, "question");
        if (!question) return golden_line_error(source, line, "missing or empty \"question\"");
        q.question = std::move(*question);
        auto reference = text_field(j, "reference_answer");
        if (!reference) {
          return golden_line_error(source, line, "missing or empty \"reference_answer\"");
        }
        q.reference_answer = std::move(*reference);
        ATIENDE_ASSIGN_OR_RETURN(q.relevant, golden_relevant_ids(j, source, line, true));
        out.push_back(std::move(q));
        return Status::ok_status();
      }));
  return out;
}

}  // namespace atiende::eval
