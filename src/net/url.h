#pragma once
/// URL parsing for outbound requests (http and https only) and percent-encoding helpers.

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace atiende::net {

/// A parsed absolute http(s) URL. Userinfo and fragments are rejected/dropped.
struct Url {
  std::string scheme;  ///< "http" or "https" (lower-case)
  std::string host;    ///< host name or IP literal, without IPv6 brackets
  uint16_t port = 0;   ///< explicit or the scheme default (80 / 443)
  std::string path;    ///< starts with '/', kept as written (percent-encoding preserved)
  std::string query;   ///< without '?', kept as written; empty when absent

  bool tls() const { return scheme == "https"; }
  /// "path?query" (or "path"): the HTTP request target.
  std::string target() const;
  /// The Host header value: host, plus ":port" when the port is not the scheme default.
  std::string host_header() const;
  /// scheme://host[:port]
  std::string origin() const;
};

/// Parses "http[s]://host[:port][/path][?query][#fragment]". Errors name the problem.
Result<Url> parse_url(std::string_view text);

/// Percent-encodes every byte outside A-Z a-z 0-9 - . _ ~ (RFC 3986 unreserved), upper-case hex.
/// With `keep_slash`, '/' is kept as is (for paths).
std::string uri_encode(std::string_view bytes, bool keep_slash = false);

/// Decodes %XX escapes ('+' is kept as '+'). Malformed escapes are kept literally.
std::string uri_decode(std::string_view text);

}  // namespace atiende::net
