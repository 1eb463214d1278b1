#pragma once
/// Metadata filters: parsing (CLI and JSON forms) and evaluation on chunks.
/// Semantics (shared with the lexical index): every condition must hold (AND); a condition holds
/// when the field equals one of its values (IN; one value = equals). Fields: "type", "language",
/// "doc_id", "metadata.<key>" (top-level key of the document's metadata object; string values
/// compare as is, other JSON values by their compact JSON text, e.g. 2 -> "2", true -> "true").
/// A missing metadata key never matches.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "index/types.h"
#include "store/types.h"

namespace atiende::retrieve {

/// A validated filter, ready to evaluate. Immutable; thread-safe.
class ChunkFilter {
 public:
  /// Matches everything.
  ChunkFilter() = default;
  /// Validates field names and values: errors name the bad field.
  static Result<ChunkFilter> compile(const index::Filter& filter);

  bool empty() const { return conditions_.empty(); }
  /// True when `chunk` satisfies every condition. Malformed chunk metadata matches no metadata
  /// condition.
  bool matches(const store::Chunk& chunk) const;

 private:
  enum class Field { kType, kLanguage, kDocId, kMetadata };
  struct Condition {
    Field field;
    std::string key;  ///< metadata key (kMetadata only)
    std::vector<std::string> values;
  };
  std::vector<Condition> conditions_;
  bool needs_metadata_ = false;
};

/// Checks that every field is known and every condition has at least one value.
Status validate_filter(const index::Filter& filter);

/// CLI form: each argument is "field=value" or "field=v1,v2" (IN). Repeating a field adds an
/// AND condition. Values are trimmed; empty values are rejected. Errors name the argument.
Result<index::Filter> parse_filter_args(std::span<const std::string> args);

/// JSON form (HTTP): an object whose keys are fields and whose values are a string/number/bool
/// (equals) or a non-empty array of them (IN), e.g. {"type":"faq","metadata.plan":["5G","4G"]}.
/// A nested {"metadata":{"plan":"5G"}} is accepted as "metadata.plan". null or {} is no filter.
/// Errors name the bad key.
Result<index::Filter> parse_filter_json(std::string_view json_text);

}  // namespace atiende::retrieve
