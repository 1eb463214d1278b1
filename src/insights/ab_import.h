#pragma once
/// Builds a human A/B study from an `atiende eval run` report.json:
///   {"configs":[{"name",...}], "questions":[{"id","question","reference_answer",
///    "answers":{"<config name>":{"text","citations":[...],"latency_ms","metrics":{...}}}}]}
/// Only the question, reference and each answer's text and citations are kept: latency and
/// metrics would tell a rater which config is which.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "insights/ab_store.h"

namespace atiende::insights {

struct AbImportOptions {
  std::string name;           ///< study label; default "<first> vs <second>"
  std::string source = "api"; ///< recorded with the study (e.g. the report path)
  std::string config_first;   ///< empty = the report's first config
  std::string config_second;  ///< empty = the report's second config (or the first other one)
  int64_t max_items = 0;      ///< 0 = every usable question
};

struct AbImportResult {
  AbStudy study;
  int64_t items = 0;              ///< items created
  int64_t skipped_missing = 0;    ///< questions without a text answer from both configs
  int64_t skipped_identical = 0;  ///< both configs answered the very same text (nothing to judge)
};

/// Parses `report_json`, picks the config pair, and stores the study and its items in `store`.
/// invalid_argument for a malformed report (naming the field or question index), an unknown or
/// repeated config name (listing the report's configs), or when no question is usable.
Result<AbImportResult> import_ab_report(AbStore& store, std::string_view report_json,
                                        const AbImportOptions& options, const Clock& clock,
                                        Random& random);

}  // namespace atiende::insights
