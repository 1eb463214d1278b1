#pragma once
/// The one mapping from atiende::StatusCode to HTTP status, and the JSON error body
/// `{"error":{"code":"...","message":"..."}}` used by every route.

#include <string_view>

#include "common/status.h"
#include "http/types.h"

namespace atiende::http {

/// THE table: kInvalidArgument 400, kUnauthenticated 401, kPermissionDenied 403, kNotFound 404,
/// kAlreadyExists 409, kFailedPrecondition 409, kResourceExhausted 429, kCancelled 499 (client
/// closed request), kInternal/kDataLoss 500, kUnimplemented 501, kUnavailable 503,
/// kDeadlineExceeded 504, kOk 200.
int http_status_for(StatusCode code);

/// An error response for `status` (must not be ok): HTTP status from http_status_for(), body
/// {"error":{"code": status_code_name(code), "message": status.message()}}.
Response error_response(const Status& status);

/// An error response with an explicit HTTP status and code, for conditions that have no
/// StatusCode of their own: "not_found" (no route, 404), "method_not_allowed" (405),
/// "payload_too_large" (413), "header_too_large" (431), "rate_limited" (429).
Response error_response(int http_status, std::string_view code, std::string_view message);

}  // namespace atiende::http
