#pragma once
/// The built-in responder (no model): answers extractively from retrieved passages, with numbered
/// citations, and abstains below a confidence threshold. It never invents text: every sentence of
/// an answer is copied from a passage (plus a short fixed frame in the customer's language).

#include <string>
#include <string_view>
#include <vector>

#include "chat/citations.h"

namespace atiende::chat {

struct ExtractiveOptions {
  double min_confidence = 0.4;     ///< chat.min_confidence: below it, abstain
  /// chat.faq_match: how well a FAQ question must match the customer's (0..1, geometric mean of
  /// the two term coverages) for its answer to take priority over composed sentences.
  double faq_match = 0.6;
  size_t max_sentences = 3;        ///< chat.max_sentences: sentences in a composed answer
  size_t passages_considered = 4;  ///< top passages read for sentences
};

struct ExtractiveAnswer {
  std::string text;          ///< with [n] markers; empty when abstained
  bool abstained = false;
  double confidence = 0;     ///< 0..1: weighted share of query terms found in the best passage
  std::string strategy;      ///< "faq", "sentences" or "abstain"
};

/// Answers `query` (in `language`, "es" or "en") from `passages` (best first).
ExtractiveAnswer answer_extractively(std::string_view query, std::string_view language,
                                     const std::vector<Passage>& passages,
                                     const ExtractiveOptions& options);

/// The fixed "I don't know, want a human?" message in `language`.
std::string abstain_message(std::string_view language);

/// Share of the query's content terms (analyzed, stopwords removed) that occur in `text`,
/// weighting rarer-looking terms (longer, digits) a little more. 0 when the query has no terms.
double term_coverage(std::string_view query, std::string_view text, std::string_view language);

}  // namespace atiende::chat
