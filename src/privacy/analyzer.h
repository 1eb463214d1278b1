#pragma once
/// The Analyzer runs every recognizer over a text, drops spans under the confidence threshold,
/// resolves overlaps deterministically and fills code point offsets.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "privacy/recognizer.h"
#include "privacy/types.h"

namespace atiende::privacy {

class Gazetteer;

/// Analyzer settings. Config keys (section [privacy]):
///   threshold (double, default 0.5), phone_regions (list, default ["CO","ES"]),
///   allow_domains (list; URLs on these domains are not PII), gazetteer_dir (string; default:
///   the lists embedded from data/privacy), entities (list; empty = all),
///   custom (array of tables {type, pattern, context = [...], score, score_without_context};
///   default: CUSTOMER_ID "CLI-0012345" and CONTRACT_ID "CTR-2024-000123").
struct AnalyzerOptions {
  double threshold = 0.5;
  std::vector<std::string> phone_regions{"CO", "ES"};
  std::vector<std::string> allow_domains{"unaempresa.com", "unaempresa.co"};
  std::vector<CustomRecognizerSpec> custom = default_custom_recognizers();
  std::string gazetteer_dir;
  std::vector<std::string> entities;
};

/// Reads AnalyzerOptions from config; errors name the bad key.
Result<AnalyzerOptions> analyzer_options_from_config(const Config& config);

/// Validates UTF-8; invalid_argument naming the byte offset of the first bad sequence.
Status validate_utf8(std::string_view text);

/// Sorts by score (desc), then length (desc), then start, then type, and keeps spans that do not
/// overlap an already kept one. Returns the kept spans ordered by start. Deterministic.
std::vector<PiiSpan> resolve_overlaps(std::vector<PiiSpan> spans);

/// Immutable after create(); analyze() is thread-safe.
class Analyzer {
 public:
  static Result<std::unique_ptr<Analyzer>> create(const AnalyzerOptions& options);
  ~Analyzer();

  /// Spans in `text` (must be valid UTF-8, else invalid_argument), ordered by start, with both
  /// code point and byte offsets, score >= threshold, no overlaps. `lang` is "es" or "en".
  Result<std::vector<PiiSpan>> analyze(std::string_view text, std::string_view lang = "es") const;

  /// Every raw candidate of every recognizer (byte and code point offsets filled), before the
  /// threshold and the overlap resolution. For debugging and tests.
  std::vector<PiiSpan> candidates(std::string_view text, std::string_view lang = "es") const;

  double threshold() const { return options_.threshold; }
  const AnalyzerOptions& options() const { return options_; }

 private:
  Analyzer() = default;
  AnalyzerOptions options_;
  std::unique_ptr<Gazetteer> owned_gazetteer_;
  std::vector<std::unique_ptr<Recognizer>> recognizers_;
};

}  // namespace atiende::privacy
