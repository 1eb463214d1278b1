#pragma once
/// Routing: method + path pattern -> Handler, plus in-memory static assets. Pure code (no Beast);
/// tests and the server share it.
///
/// Patterns are absolute paths whose segments are literals or `{name}` parameters, e.g.
/// "/v1/documents/{id}". A parameter matches one non-empty segment (percent-decoded, so it may
/// contain '/' only when sent as %2F). A literal segment beats a parameter at the same position.
/// A trailing slash on the request path is ignored ("/v1/documents/" matches "/v1/documents").

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "http/types.h"

namespace atiende::http {

/// Routes and static assets. Build it before Server::start(); read-only (and thread-safe) after.
class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  /// Registers `handler` for `method` (upper-case, e.g. "POST") and `pattern`. Errors: a malformed
  /// pattern (not starting with '/', empty or unclosed `{}`), or the same method + pattern twice
  /// (patterns equal up to parameter names count as the same).
  Status add(std::string_view method, std::string_view pattern, Handler handler);

  /// Serves `bytes` for GET/HEAD `path` when no route matches. A directory path serves its
  /// index: "/" serves "/index.html", "/admin" and "/admin/" serve "/admin/index.html".
  /// Replaces an asset with the same path.
  void add_static(std::string path, std::string content_type, std::string bytes);

  /// Outcome of matching a request line.
  struct Match {
    enum class Kind { kRoute, kStatic, kNotFound, kMethodNotAllowed };
    Kind kind = Kind::kNotFound;
    const Handler* handler = nullptr;             ///< kRoute
    std::string pattern;                          ///< kRoute: the route pattern
    std::map<std::string, std::string> params;    ///< kRoute: decoded path parameters
    std::vector<std::string> allowed;             ///< kMethodNotAllowed: methods of the path
    const std::string* static_body = nullptr;     ///< kStatic
    const std::string* static_content_type = nullptr;
  };

  /// Matches a raw (still percent-encoded) path without the query; segments are decoded after
  /// splitting on '/'. HEAD matches GET routes and assets.
  Match match(std::string_view method, std::string_view raw_path) const;

  /// Matches `request` (method, raw path from target), fills path_params and route, and runs the handler inside
  /// the one error wrapper: an error Status or an exception becomes the JSON error body
  /// (http/errors.h); no match gives 404 {"error":{"code":"not_found"}} or 405 with an Allow
  /// header. Static assets are answered directly. Never throws.
  Response handle(Request& request) const;

 private:
  struct Route;
  std::vector<std::unique_ptr<Route>> routes_;
  struct Asset {
    std::string content_type;
    std::string bytes;
  };
  std::map<std::string, Asset, std::less<>> assets_;
};

/// Percent-decodes `s` ('+' stays '+' unless `plus_is_space`). Invalid escapes are kept as is.
std::string percent_decode(std::string_view s, bool plus_is_space = false);

/// Splits "a=1&b=x%20y" into decoded pairs ('+' is a space). Empty pieces are skipped.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);

}  // namespace atiende::http
