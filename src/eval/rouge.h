#pragma once
/// ROUGE-N (rouge1..rouge9), ROUGE-L and ROUGE-Lsum, compatible with Google's rouge-score
/// (`RougeScorer(types, use_stemmer).score(target, prediction)`, note the argument order).
///
/// Tokenizers:
///  - kRougeScore (default): rouge-score's own. Lower-case, every character outside [a-z0-9]
///    becomes a space, optional NLTK Porter stemming of tokens longer than 3 characters.
///    Accented letters vanish ("¿Cuánto?" -> ["cu", "nto"]), as in rouge-score.
///  - kUnicode: for Spanish. NFC, Python lower-case, every character that is not a Unicode letter,
///    mark or number becomes a space, so "¿Cuánto cuesta el año?" -> ["cuánto", "cuesta", "el",
///    "año"]. Stemming uses Snowball ("spanish" by default) on tokens longer than 3 code points.
/// ROUGE-Lsum splits target and prediction into sentences on '\n' (empty ones dropped) and uses the
/// summary-level union LCS with rouge-score's double-count prevention. Pure, thread-safe.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::eval {

enum class RougeTokenizer { kRougeScore, kUnicode };

struct RougeOptions {
  bool use_stemmer = false;
  RougeTokenizer tokenizer = RougeTokenizer::kRougeScore;
  std::string stemmer_language = "spanish";  ///< Snowball language for kUnicode
};

/// Precision, recall and F1, all 0–1.
struct RougePrf {
  double precision = 0;
  double recall = 0;
  double fmeasure = 0;
};

/// The tokens rouge-score would compare. Invalid UTF-8 is an error.
Result<std::vector<std::string>> rouge_tokenize(std::string_view text, const RougeOptions& options);

/// Scores one prediction against one target. `rouge_type` is "rouge1".."rouge9", "rougeL" or
/// "rougeLsum"; anything else is an error.
Result<RougePrf> rouge_score(std::string_view rouge_type, std::string_view target,
                             std::string_view prediction, const RougeOptions& options);

/// rouge-score's score_multi: the target with the best F-measure for this type.
Result<RougePrf> rouge_score_multi(std::string_view rouge_type, std::span<const std::string> targets,
                                   std::string_view prediction, const RougeOptions& options);

/// "rouge1", "rouge2", "rougeL", "rougeLsum".
const std::vector<std::string>& default_rouge_types();

}  // namespace atiende::eval
