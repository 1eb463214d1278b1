#pragma once
/// Groundedness of an answer in the chunks it cites, by lexical support (no model needed):
/// support(sentence, chunk) = share of the sentence's content tokens that also occur in the chunk.
/// Tokens: NFC, lower-case, Unicode letters/digits, accents stripped, Spanish + English stopwords
/// removed, Snowball-stemmed (Spanish by default) so "facturas" supports "factura".
/// A sentence is supported when its best cited chunk reaches the threshold.
///  - groundedness       = supported content sentences / content sentences
///  - citation_precision = citations whose chunk supports their sentence / all citations
///  - citation_coverage  = content sentences with at least one citation / content sentences
/// Sentences without content tokens ("¡Gracias!") are not counted. Pure, thread-safe.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::eval {

/// One answer sentence and the ids (chunk ids or citation markers) it cites.
struct CitedSentence {
  std::string text;
  std::vector<std::string> cited_ids;
};

struct GroundednessOptions {
  double support_threshold = 0.5;            ///< 0..1
  std::string stemmer_language = "spanish";  ///< Snowball language; empty = no stemming
};

struct SentenceSupport {
  std::string text;
  std::vector<std::string> cited_ids;
  std::vector<double> support;  ///< per cited id (0 for unknown ids)
  double best_support = 0;
  bool content = true;          ///< false when the sentence has no content tokens
  bool supported = false;
};

struct GroundednessResult {
  double groundedness = 0;
  double citation_precision = 0;
  double citation_coverage = 0;
  size_t content_sentences = 0;
  size_t citations = 0;
  size_t supported_citations = 0;
  std::vector<std::string> unknown_ids;  ///< cited ids absent from the chunk map (deduplicated)
  std::vector<SentenceSupport> sentences;
};

/// Splits an answer into sentences (after . ! ? … followed by a space, and at newlines) and pulls
/// bracketed markers out of them: "Cuesta 10 € [doc1#2, doc3]." gives text "Cuesta 10 € ." with
/// ids {"doc1#2", "doc3"}. Markers after a sentence end (alone, or before the next sentence's
/// first word: "Cuesta 10. [1] Incluye...") belong to that sentence.
std::vector<CitedSentence> split_cited_answer(std::string_view answer);

/// Content tokens used for support (exposed for tests). Invalid UTF-8 gives an error.
Result<std::vector<std::string>> support_tokens(std::string_view text, const std::string& stemmer_language);

/// Share (0–1) of the sentence's content tokens found in the chunk; 0 when it has none.
Result<double> lexical_support(std::string_view sentence, std::string_view chunk,
                               const GroundednessOptions& options = {});

/// Scores sentences against `chunks` (id -> text).
Result<GroundednessResult> groundedness(std::span<const CitedSentence> sentences,
                                        const std::map<std::string, std::string>& chunks,
                                        const GroundednessOptions& options = {});

}  // namespace atiende::eval
