#include "http/router.h"

#include <algorithm>
#include <cctype>
#include <exception>

#include "common/log.h"
#include "http/errors.h"

namespace atiende::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// Splits "/a/b/" into {"a","b"}; "/" gives {}. Keeps empty inner segments ("/a//b").
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> segments;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return segments;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    segments.push_back(path.substr(start, slash == std::string_view::npos ? path.npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return segments;
}

}  // namespace

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]);
      const int lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += (plus_is_space && c == '+') ? ' ' : c;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    std::string_view piece =
        query.substr(start, amp == std::string_view::npos ? query.npos : amp - start);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      if (eq == std::string_view::npos) {
        out.emplace_back(percent_decode(piece, true), "");
      } else {
        out.emplace_back(percent_decode(piece.substr(0, eq), true),
                         percent_decode(piece.substr(eq + 1), true));
      }
    }
    if (amp == std::string_view::npos) break;
    start = amp + 1;
  }
  return out;
}

struct Router::Route {
  std::string method;
  std::string pattern;
  struct Segment {
    bool is_param = false;
    std::string text;  // literal text or parameter name
  };
  std::vector<Segment> segments;
  Handler handler;
};

Router::Router() = default;
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

Status Router::add(std::string_view method, std::string_view pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    return Status::invalid_argument("route pattern '" + std::string(pattern) +
                                    "' must start with '/'");
  }
  if (method.empty()) return Status::invalid_argument("route method is empty");
  if (!handler) return Status::invalid_argument("route handler is empty");
  auto route = std::make_unique<Route>();
  route->method = std::string(method);
  std::transform(route->method.begin(), route->method.end(), route->method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  route->pattern = std::string(pattern);
  route->handler = std::move(handler);
  for (std::string_view segment : split_path(pattern)) {
    Route::Segment parsed;
    if (!segment.empty() && segment.front() == '{') {
      if (segment.size() < 3 || segment.back() != '}') {
        return Status::invalid_argument("route pattern '" + std::string(pattern) +
                                        "' has a malformed parameter '" + std::string(segment) +
                                        "'");
      }
      parsed.is_param = true;
      parsed.text = std::string(segment.substr(1, segment.size() - 2));
    } else {
      if (segment.find_first_of("{}") != std::string_view::npos) {
        return Status::invalid_argument("route pattern '" + std::string(pattern) +
                                        "' mixes braces into a literal segment");
      }
      parsed.text = std::string(segment);
    }
    route->segments.push_back(std::move(parsed));
  }
  for (const auto& existing : routes_) {
    if (existing->method != route->method ||
        existing->segments.size() != route->segments.size()) {
      continue;
    }
    bool same = true;
    for (size_t i = 0; i < route->segments.size() && same; ++i) {
      const auto& a = existing->segments[i];
      const auto& b = route->segments[i];
      same = a.is_param == b.is_param && (a.is_param || a.text == b.text);
    }
    if (same) {
      return Status::already_exists("route " + route->method + " " + route->pattern +
                                    " is already registered (as " + existing->pattern + ")");
    }
  }
  routes_.push_back(std::move(route));
  return Status::ok_status();
}

void Router::add_static(std::string path, std::string content_type, std::string bytes) {
  assets_[std::move(path)] = Asset{std::move(content_type), std::move(bytes)};
}

Router::Match Router::match(std::string_view method, std::string_view raw_path) const {
  Match result;
  const std::vector<std::string_view> segments = split_path(raw_path);
  std::vector<std::string> decoded;
  decoded.reserve(segments.size());
  for (auto s : segments) decoded.push_back(percent_decode(s));

  const std::string_view effective_method = method == "HEAD" ? std::string_view("GET") : method;
  const Route* best = nullptr;
  int best_literals = -1;
  // Score: literal segments matched, earlier literals weigh more (bitmask from the left).
  for (const auto& route : routes_) {
    if (route->segments.size() != decoded.size()) continue;
    int score = 0;
    bool ok = true;
    for (size_t i = 0; i < decoded.size() && ok; ++i) {
      const auto& seg = route->segments[i];
      if (seg.is_param) {
        ok = !decoded[i].empty();
      } else {
        ok = seg.text == decoded[i];
        if (ok && i < 30) score |= 1 << (30 - i);
      }
    }
    if (!ok) continue;
    if (route->method != effective_method) {
      if (std::find(result.allowed.begin(), result.allowed.end(), route->method) ==
          result.allowed.end()) {
        result.allowed.push_back(route->method);
      }
      continue;
    }
    if (score > best_literals) {
      best = route.get();
      best_literals = score;
    }
  }
  if (best) {
    result.kind = Match::Kind::kRoute;
    result.handler = &best->handler;
    result.pattern = best->pattern;
    result.allowed.clear();
    for (size_t i = 0; i < best->segments.size(); ++i) {
      if (best->segments[i].is_param) result.params[best->segments[i].text] = decoded[i];
    }
    return result;
  }
  if (effective_method == "GET") {
    const std::string path = percent_decode(raw_path);
    auto it = assets_.find(path);
    // A directory serves its index.html: "/" and "" -> "/index.html", "/admin/" and "/admin" ->
    // "/admin/index.html".
    if (it == assets_.end()) {
      std::string directory = path.empty() ? "/" : path;
      if (directory.back() != '/') directory += '/';
      it = assets_.find(directory + "index.html");
    }
    if (it != assets_.end()) {
      result.kind = Match::Kind::kStatic;
      result.allowed.clear();
      result.static_body = &it->second.bytes;
      result.static_content_type = &it->second.content_type;
      return result;
    }
  }
  if (!result.allowed.empty()) {
    if (std::find(result.allowed.begin(), result.allowed.end(), "GET") != result.allowed.end()) {
      result.allowed.push_back("HEAD");
    }
    std::sort(result.allowed.begin(), result.allowed.end());
    result.kind = Match::Kind::kMethodNotAllowed;
  }
  return result;
}

Response Router::handle(Request& request) const {
  std::string_view raw_path = request.target;
  if (auto q = raw_path.find('?'); q != std::string_view::npos) raw_path = raw_path.substr(0, q);
  Match m = match(request.method, raw_path);
  switch (m.kind) {
    case Match::Kind::kNotFound:
      request.route = "";
      return error_response(404, "not_found", "no route for " + request.method + " " + request.path);
    case Match::Kind::kMethodNotAllowed: {
      request.route = "";
      std::string allow;
      for (const auto& method : m.allowed) allow += (allow.empty() ? "" : ", ") + method;
      Response response = error_response(405, "method_not_allowed",
                                         "method " + request.method + " is not allowed on " +
                                             request.path + " (allowed: " + allow + ")");
      response.headers.set("Allow", allow);
      return response;
    }
    case Match::Kind::kStatic:
      request.route = "static";
      return Response::text(200, *m.static_body, *m.static_content_type);
    case Match::Kind::kRoute:
      break;
  }
  request.route = m.pattern;
  request.path_params = std::move(m.params);
  try {
    Result<Response> result = (*m.handler)(request);
    if (!result.ok()) return error_response(result.status());
    return std::move(result).value();
  } catch (const std::exception& e) {
    SPDLOG_ERROR("request {}: handler {} {} threw: {}", request.request_id, request.method,
                 m.pattern, e.what());
    return error_response(500, "internal", "internal error (request " + request.request_id + ")");
  } catch (...) {
    SPDLOG_ERROR("request {}: handler {} {} threw a non-standard exception", request.request_id,
                 request.method, m.pattern);
    return error_response(500, "internal", "internal error (request " + request.request_id + ")");
  }
}

}  // namespace atiende::http
