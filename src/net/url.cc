#include "net/url.h"

#include "common/strings.h"

namespace atiende::net {

std::string Url::target() const { return query.empty() ? path : path + "?" + query; }

std::string Url::host_header() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  const uint16_t default_port = tls() ? 443 : 80;
  if (port != default_port) h += ":" + std::to_string(port);
  return h;
}

std::string Url::origin() const { return scheme + "://" + host_header(); }

Result<Url> parse_url(std::string_view text) {
  Url url;
  const size_t scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::invalid_argument("url '" + std::string(text) + "' has no scheme (expected http:// or https://)");
  }
  url.scheme = ascii_lower(text.substr(0, scheme_end));
  if (url.scheme != "http" && url.scheme != "https") {
    return Status::invalid_argument("url scheme '" + url.scheme + "' is not supported (http or https)");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  const size_t authority_end = rest.find_first_of("/?");
  std::string_view authority = rest.substr(0, authority_end);
  std::string_view path_query =
      authority_end == std::string_view::npos ? std::string_view() : rest.substr(authority_end);
  if (authority.find('@') != std::string_view::npos) {
    return Status::invalid_argument("url with user info is not supported");
  }
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return Status::invalid_argument("url has an unterminated IPv6 host");
    url.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return Status::invalid_argument("url has junk after the IPv6 host");
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    url.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  if (url.host.empty()) return Status::invalid_argument("url '" + std::string(text) + "' has no host");
  url.port = url.tls() ? 443 : 80;
  if (!port_text.empty()) {
    auto port = parse_int64(port_text);
    if (!port || *port <= 0 || *port > 65535) {
      return Status::invalid_argument("url port '" + std::string(port_text) + "' is not a valid port");
    }
    url.port = static_cast<uint16_t>(*port);
  }
  const size_t q = path_query.find('?');
  url.path = std::string(path_query.substr(0, q));
  if (q != std::string_view::npos) url.query = std::string(path_query.substr(q + 1));
  if (url.path.empty()) url.path = "/";
  for (char c : url.path) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      return Status::invalid_argument("url path contains a control character or space");
    }
  }
  return url;
}

std::string uri_encode(std::string_view bytes, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(bytes.size());
  for (unsigned char c : bytes) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

std::string uri_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int hi = hex_value(text[i + 1]);
      const int lo = hex_value(text[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(text[i]);
  }
  return out;
}

}  // namespace atiende::net
