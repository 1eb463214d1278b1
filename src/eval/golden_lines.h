#pragma once
/// Shared reading of golden JSONL files (eval retrieval, eval run): one JSON object per line with
/// a unique "id" (string or integer) and a "relevant" array of doc ids. Blank lines are skipped;
/// every error names "source:line".

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "common/status.h"

namespace atiende::eval {

/// invalid_argument "source:line: what".
Status golden_line_error(std::string_view source, size_t line, std::string_view what);

/// Calls `fn(object, line, id)` for each non-blank line of `text`, in order. Lines that are not
/// JSON objects, lack an id, or repeat one are errors; so is an error returned by `fn` (returned
/// as is) or a file without any line ("source: no <what>").
Status for_each_golden_line(std::string_view text, std::string_view source, std::string_view what,
                            const std::function<Status(const Json&, size_t, std::string)>& fn);

/// The "relevant" doc ids of a golden line: an array of non-empty strings, which must not be
/// empty unless `allow_empty`.
Result<std::vector<std::string>> golden_relevant_ids(const Json& line_object,
                                                     std::string_view source, size_t line,
                                                     bool allow_empty);

}  // namespace atiende::eval
