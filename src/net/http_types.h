#pragma once
/// Plain HTTP message types shared by the client, the signer and the test servers. No Asio here.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace atiende::net {

struct Header {
  std::string name;
  std::string value;
};
/// Ordered; names compare case-insensitively; duplicates allowed.
using Headers = std::vector<Header>;

/// The first value of `name` (case-insensitive), or nullopt.
std::optional<std::string_view> find_header(const Headers& headers, std::string_view name);

/// An outbound request.
struct HttpRequest {
  std::string method = "GET";
  std::string url;  ///< absolute http(s) URL
  Headers headers;  ///< Host, Content-Length and User-Agent are added when absent
  std::string body;
};

/// A response. For streamed calls `body` is empty unless the status is an error (>= 400), whose
/// body is buffered (up to 64 KiB) so the caller can report it.
struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
  int attempts = 1;  ///< how many attempts were made (retries + 1)
};

}  // namespace atiende::net
