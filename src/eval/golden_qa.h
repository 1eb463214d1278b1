#pragma once
/// The golden question set of `atiende eval run`: JSON Lines
/// `{"id", "question", "reference_answer", "relevant": [doc_id, ...]}` (blank lines skipped).
/// `id` is a string or an integer and must be unique; `question` and `reference_answer` are
/// non-empty strings; `relevant` is an array of doc ids (it may be empty for questions the
/// knowledge base cannot answer; retrieval metrics of such a question are 0). A malformed line is
/// an error naming the file and line number.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::eval {

struct GoldenQuestion {
  std::string id;
  std::string question;
  std::string reference_answer;
  std::vector<std::string> relevant;  ///< document ids
  size_t line = 0;                    ///< 1-based line in the golden file
};

/// Parses a golden QA file's text. `source` names it in errors ("qa.jsonl:7: ...").
/// invalid_argument for a malformed line or a file without questions.
Result<std::vector<GoldenQuestion>> parse_golden_questions(std::string_view text,
                                                           std::string_view source);

/// One warning per relevant doc id that `known_document` does not know, naming the file, line,
/// question id and doc id ("qa.jsonl:4: unknown doc id 'faq-x' (question q4): counted as
/// unretrievable"). The id stays in `relevant`, so it lowers recall.
template <typename KnownFn>
std::vector<std::string> unknown_document_warnings(const std::vector<GoldenQuestion>& golden,
                                                   std::string_view source, KnownFn&& known_document) {
  std::vector<std::string> out;
  for (const auto& q : golden) {
    for (const auto& id : q.relevant) {
      if (!known_document(id)) {
        out.push_back(std::string(source) + ":" + std::to_string(q.line) + ": unknown doc id '" +
                      id + "' (question " + q.id + "): counted as unretrievable");
      }
    }
  }
  return out;
}

}  // namespace atiende::eval
