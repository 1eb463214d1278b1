#pragma once
/// Batch anonymization of files (the engine behind `atiende anonymize`): plain text (one record
/// per line, one pseudonym scope per file), JSONL (one JSON object per line, one scope per record)
/// and CSV (header row, RFC 4180 quoting, one scope per row).
///
/// Bad input never passes through: invalid UTF-8, lines longer than `max_line_bytes` and malformed
/// JSON/CSV rows are errors naming the line, or with `skip_bad` the record is left out of the
/// output and counted. Not thread-safe (one batch per thread).

#include <cstdint>
#include <istream>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "common/status.h"
#include "privacy/anonymizer.h"

namespace atiende::privacy {

enum class BatchFormat { kText, kJsonl, kCsv };

/// "text", "jsonl", "csv" (also "json" = jsonl, "txt" = text).
Result<BatchFormat> parse_batch_format(std::string_view name);
/// From the file extension (.jsonl/.ndjson/.json -> jsonl, .csv -> csv, else text).
BatchFormat batch_format_for_path(std::string_view path);

struct BatchOptions {
  BatchFormat format = BatchFormat::kText;
  bool detect_only = false;          ///< report spans, write no text
  bool skip_bad = false;             ///< skip bad records (counted) instead of failing
  size_t max_line_bytes = 8u << 20;  ///< longer lines (or CSV records) are bad input
  /// Key for the `text_hash` of spans: HMAC-SHA256 when set, plain SHA-256 otherwise.
  std::string text_hash_key;
};

struct BatchStats {
  uint64_t records = 0;   ///< records written (or analyzed with detect_only)
  uint64_t skipped = 0;   ///< bad records skipped (skip_bad)
  std::vector<uint64_t> skipped_lines;  ///< first 100
  uint64_t bytes = 0;     ///< input bytes read
  std::map<std::string, uint64_t> counts;  ///< spans per entity type
  /// {"records","skipped","skipped_lines","bytes","counts":{TYPE:n},"total"}
  std::string to_json() const;
};

/// Reads `in`, writes anonymized records to `out` (may be null with detect_only) and, when
/// `spans_out` is not null, one JSON line per record field with spans:
///   {"line": N, "field": "text", "spans": [{"start","end","start_byte","end_byte","type",
///    "score","recognizer","text_hash"}]}
/// (a record without spans gets one line with "spans": []). Never writes raw span text there.
/// Errors (without skip_bad) name the line: "line 12: invalid UTF-8 at byte 40".
Status run_batch(const Anonymizer& anonymizer, const BatchOptions& options, std::istream& in,
                 std::ostream* out, std::ostream* spans_out, BatchStats& stats);

}  // namespace atiende::privacy
