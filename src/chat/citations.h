#pragma once
/// Citations: the numbered sources of an answer, and the grounding rule that keeps ungrounded
/// answers away from customers.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "retrieve/types.h"

namespace atiende::chat {

/// A passage given to the model, numbered from 1 in prompt order.
struct Passage {
  int number = 0;
  retrieve::Hit hit;
};

/// A source the answer cites.
struct Citation {
  int number = 0;          ///< the [n] marker in the answer
  std::string doc_id;
  int64_t chunk_id = 0;
  std::string title;
  std::string snippet;     ///< the cited chunk text (at most ~600 bytes, cut at a UTF-8 boundary)
  std::string source;
  int64_t start = 0;       ///< code points in the source document
  int64_t end = 0;
  int32_t page = 0;
};

/// A citation marker in an answer: bytes [begin, end) and the numbers it names (1..999 only).
struct CitationMarker {
  size_t begin = 0;
  size_t end = 0;
  std::vector<int> numbers;
};

/// Every well-formed marker in `answer`, in order: "[1]", "[1, 2]", "【1】". A marker that names
/// no number in 1..999, or is not closed yet (a streamed "[1" or "[1,"), is not returned.
std::vector<CitationMarker> citation_markers(std::string_view answer);

/// The distinct [n] markers in `answer`, in order of first appearance. Accepts "[1]", "[1, 2]",
/// "[1][2]" and "【1】"; ignores numbers outside 1..999.
std::vector<int> cited_numbers(std::string_view answer);

/// Outcome of the grounding check.
struct Grounding {
  bool grounded = false;
  std::vector<Citation> citations;  ///< for the cited numbers that exist, in citation order
  std::string reason;               ///< "ok", "no_citations", "unknown_citation", "empty_answer"
};

/// An answer is grounded when it is not empty, cites at least one passage, and every cited number
/// names a passage that was given. Anything else must not reach the customer.
Grounding check_grounding(std::string_view answer, const std::vector<Passage>& passages);

/// The citation record of one passage.
Citation citation_of(const Passage& passage);

}  // namespace atiende::chat
