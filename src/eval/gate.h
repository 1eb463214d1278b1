#pragma once
/// Quality gates for `atiende eval run --gate FILE`: thresholds that every evaluated config must
/// meet, so a CI job fails when quality, latency or cost regress.
///
/// File format, TOML (any other extension) or JSON (`.json`), the same shape in both:
///
///     [gate]
///     rougeL_f = ">= 0.30"          # a comparison: >=, >, <=, < or == and a number
///     retrieval_recall = ">= 0.7"
///     latency_p95_ms = "<= 50"
///     cost = "<= 0.10"
///     config = "b"                  # optional: check only this config (string or list)
///
///     {"gate": {"rougeL_f": ">= 0.30", "latency_p95_ms": "<= 50", "config": ["b"]}}
///
/// Names are the keys of a config's `metrics` in report.json plus `latency_p50_ms`,
/// `latency_p95_ms`, `latency_mean_ms`, `prompt_tokens`, `completion_tokens` and `cost` (see
/// run_report.h gate_values). A metric that is null for a config (e.g. groundedness when every
/// answer abstained) misses its threshold.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "eval/run_report.h"

namespace atiende::eval {

enum class GateOp { kGreaterEqual, kGreater, kLessEqual, kLess, kEqual };

struct GateThreshold {
  std::string metric;
  GateOp op = GateOp::kGreaterEqual;
  double value = 0;
  std::string text;  ///< as written, e.g. ">= 0.30"
};

struct Gate {
  std::vector<GateThreshold> thresholds;  ///< in file order (sorted by name)
  std::vector<std::string> configs;       ///< empty = every config
};

/// Parses a gate file's text; `source` names it in errors and decides the format (".json" =
/// JSON, anything else TOML). invalid_argument naming the file and key for a missing [gate]
/// table, a value that is not a comparison, or an empty gate.
Result<Gate> parse_gate(std::string_view text, std::string_view source);

/// invalid_argument naming every threshold whose metric is not in `known` (and listing the known
/// names), or a `config` that was not evaluated.
Status validate_gate(const Gate& gate, const std::vector<std::string>& known_metrics,
                     const std::vector<std::string>& config_names);

/// The names a gate may use for a run (every metric of a ConfigSummary plus the extras above).
std::vector<std::string> gate_metric_names();

/// One line per missed threshold: "config b: rougeL_f = 0.2512 misses >= 0.30". Empty = passed.
std::vector<std::string> check_gate(const Gate& gate,
                                    const std::map<std::string, MetricMap>& values_by_config);

}  // namespace atiende::eval
