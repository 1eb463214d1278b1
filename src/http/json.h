#pragma once
/// JSON helpers for route handlers. Include only in .cc files (pulls in nlohmann-json).

#include "common/json.h"
#include "http/types.h"

namespace atiende::http {

/// Parses the request body as JSON with the server's limits (body size was already enforced;
/// depth is Request::max_json_depth). An empty body or malformed JSON is invalid_argument naming
/// the problem and byte offset.
Result<Json> parse_json_body(const Request& request);

/// A JSON response (Content-Type application/json), compact, never throws.
Response json_response(const Json& value, int status = 200);

}  // namespace atiende::http
