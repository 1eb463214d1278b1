#pragma once
/// AWS Signature Version 4 (AWS4-HMAC-SHA256) on OpenSSL: header signing (Authorization header)
/// and query signing (presigned URLs). Passes the aws-c-auth v4 conformance suite
/// (tests/net/sigv4_conformance_test.cc).
///
/// The path is signed as given, URI-encoded once more (the non-S3 "double encoding" rule), after
/// dot-segment and duplicate-slash removal when `normalize_path` is set. Query parameters are
/// decoded, re-encoded (RFC 3986 unreserved) and sorted. Header values are trimmed and inner
/// whitespace runs (including folded lines) collapse to one space; duplicate names join with ','.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "net/http_types.h"

namespace atiende::net {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty when not using temporary credentials
};

/// Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN from `env`
/// (a lookup `name -> value or empty`). Unauthenticated naming the missing variable.
Result<AwsCredentials> aws_credentials_from_env(
    const std::function<std::optional<std::string>(const std::string&)>& env);

struct SigV4Params {
  std::string region;   ///< e.g. "us-east-1"
  std::string service;  ///< e.g. "bedrock"
  std::chrono::system_clock::time_point time;  ///< signing time (UTC)
  bool normalize_path = true;       ///< remove "." / ".." segments and duplicate slashes
  bool sign_body = false;           ///< header mode: add and sign x-amz-content-sha256
  bool omit_session_token = false;  ///< add the token after signing (not signed), as STS wants
  std::chrono::seconds expires{3600};  ///< query mode: X-Amz-Expires
};

/// The request to sign. `path` and `query` are as they appear on the wire (query without '?').
struct SigV4Request {
  std::string method;
  std::string path = "/";
  std::string query;
  Headers headers;  ///< must include Host
  std::string body;
};

struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  ///< 64 hex characters
  /// Header mode: headers to append to the request, in this order:
  /// [X-Amz-Security-Token], X-Amz-Date, [x-amz-content-sha256], Authorization.
  Headers added_headers;
  /// Query mode: the parameters appended to the original query (already encoded), in this order:
  /// X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires,
  /// [X-Amz-Security-Token], X-Amz-Signature.
  std::vector<std::pair<std::string, std::string>> added_query;
  /// Query mode: the full new query string (original + added parameters).
  std::string signed_query;
};

/// Signs with an Authorization header. Invalid argument on a missing Host header or credentials.
Result<SigV4Result> sigv4_sign_headers(const SigV4Request& request, const AwsCredentials& credentials,
                                       const SigV4Params& params);

/// Signs into the query string (presigned URL).
Result<SigV4Result> sigv4_presign_query(const SigV4Request& request, const AwsCredentials& credentials,
                                        const SigV4Params& params);

/// "20150830T123600Z".
std::string amz_date(std::chrono::system_clock::time_point time);

/// The canonical URI of `path` per the rules above.
std::string sigv4_canonical_uri(std::string_view path, bool normalize);

/// The canonical query string of a raw query.
std::string sigv4_canonical_query(std::string_view query);

}  // namespace atiende::net
