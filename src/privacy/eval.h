#pragma once
/// Precision / recall / F1 of the Analyzer against gold spans.
///
/// Gold file: JSONL, one object per text, in the --spans-out shape plus "text":
///   {"line": N, "field": "text", "text": "...", "spans": [{"start","end","type",...}]}
/// Offsets are code points. A predicted span matches a gold span when the types are equal and
/// the overlap is at least half of the union (one-to-one, greedy by overlap).

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "privacy/analyzer.h"

namespace atiende::privacy {

struct TypeScore {
  size_t tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp == 0 ? 1.0 : double(tp) / double(tp + fp); }
  double recall() const { return tp + fn == 0 ? 1.0 : double(tp) / double(tp + fn); }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

struct EvalReport {
  std::map<std::string, TypeScore> per_type;
  TypeScore identifiers;  ///< sum over is_identifier_type()
  TypeScore overall;      ///< micro average over every type
  size_t texts = 0;
  /// Human-readable table.
  std::string to_text() const;
  /// {"texts","overall":{p,r,f1,tp,fp,fn},"identifiers":{...},"per_type":{TYPE:{...}}}
  std::string to_json() const;
};

/// Evaluates `analyzer` on the gold JSONL text. Malformed lines are errors naming the line.
/// `errors_out` (optional) receives up to 50 human-readable mismatches ("FN PERSON 'xx'"): only
/// for local debugging on synthetic data, since they contain the raw text.
Result<EvalReport> evaluate_gold(const Analyzer& analyzer, std::string_view gold_jsonl,
                                 std::string_view lang = "es",
                                 std::vector<std::string>* errors_out = nullptr);

}  // namespace atiende::privacy
