#include "http/json.h"

namespace atiende::http {

Result<Json> parse_json_body(const Request& request) {
  if (request.body.empty()) {
    return Status::invalid_argument("request body is empty; expected JSON");
  }
  JsonLimits limits;
  limits.max_bytes = request.body.size();
  limits.max_depth = request.max_json_depth;
  auto parsed = parse_json(request.body, limits);
  if (!parsed.ok()) return parsed.status().with_context("request body");
  return parsed;
}

Response json_response(const Json& value, int status) {
  return Response::text(status, dump_json(value), "application/json");
}

}  // namespace atiende::http
