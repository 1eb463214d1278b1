#include "http/errors.h"

#include "common/json.h"

namespace atiende::http {

int http_status_for(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return 200;
    case StatusCode::kInvalidArgument: return 400;
    case StatusCode::kUnauthenticated: return 401;
    case StatusCode::kPermissionDenied: return 403;
    case StatusCode::kNotFound: return 404;
    case StatusCode::kAlreadyExists: return 409;
    case StatusCode::kFailedPrecondition: return 409;
    case StatusCode::kResourceExhausted: return 429;
    case StatusCode::kCancelled: return 499;
    case StatusCode::kDataLoss: return 500;
    case StatusCode::kInternal: return 500;
    case StatusCode::kUnimplemented: return 501;
    case StatusCode::kUnavailable: return 503;
    case StatusCode::kDeadlineExceeded: return 504;
  }
  return 500;
}

Response error_response(int http_status, std::string_view code, std::string_view message) {
  Json body = {{"error", {{"code", code}, {"message", message}}}};
  return Response::text(http_status, dump_json(body), "application/json");
}

Response error_response(const Status& status) {
  if (status.ok()) {
    return error_response(500, "internal", "error_response called with an ok status");
  }
  return error_response(http_status_for(status.code()), status_code_name(status.code()),
                        status.message());
}

}  // namespace atiende::http
