#pragma once
/// JSON at the edges: nlohmann-json with limits for untrusted input and a dump that never throws.
/// Include this only in .cc files (the header is heavy).

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace atiende {

using Json = nlohmann::json;

/// Limits applied to untrusted JSON.
struct JsonLimits {
  size_t max_bytes = 8 * 1024 * 1024;  ///< whole text, bytes
  size_t max_depth = 64;               ///< nesting of arrays and objects
};

/// Parses untrusted JSON. Errors say what is wrong and where (byte offset), never throw.
Result<Json> parse_json(std::string_view text, const JsonLimits& limits = {});

/// Serializes; invalid UTF-8 in strings is replaced with U+FFFD instead of throwing.
/// `indent` < 0 means compact.
std::string dump_json(const Json& value, int indent = -1);

/// Typed field readers for request bodies: errors name the field.
Result<std::string> json_string_field(const Json& object, std::string_view field);
/// Optional string: `fallback` when absent or null; error when present with another type.
Result<std::string> json_optional_string(const Json& object, std::string_view field,
                                         std::string_view fallback);
Result<int64_t> json_optional_int(const Json& object, std::string_view field, int64_t fallback);

}  // namespace atiende
