#pragma once
/// JSON-over-HTTP POST for OpenAI-style companion endpoints (/v1/rerank, /v1/embeddings): a small
/// interface that tests fake, and its production transport over HttpClient.

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "net/http_client.h"

namespace atiende::net {

/// POST a JSON body, get the body of a 2xx response (non-2xx and transport failures are errors).
/// Thread-safe.
class JsonPoster {
 public:
  virtual ~JsonPoster() = default;
  using Headers = std::vector<std::pair<std::string, std::string>>;
  virtual Result<std::string> post_json(const std::string& url, const std::string& body,
                                        const Headers& headers) const = 0;
};

/// JsonPoster over HttpClient, with Content-Type/Accept application/json. Non-2xx responses are
/// errors naming the status and the start of the body (4xx: invalid_argument, others:
/// unavailable). Calls are retried once (the endpoints it serves have no side effects).
class NetJsonPoster final : public JsonPoster {
 public:
  /// `client` may be shared with other users; `timeout` bounds the whole call (with retries).
  NetJsonPoster(std::shared_ptr<HttpClient> client, std::chrono::milliseconds timeout);
  Result<std::string> post_json(const std::string& url, const std::string& body,
                                const Headers& headers) const override;

 private:
  std::shared_ptr<HttpClient> client_;
  std::chrono::milliseconds timeout_;
};

/// The URL of an OpenAI-style endpoint: `base_url` + "/v1/" + `endpoint`, or + "/" + `endpoint`
/// when base_url already ends in "/v1" (trailing slashes ignored). E.g. ("http://h:8080/v1",
/// "embeddings") -> "http://h:8080/v1/embeddings".
std::string openai_endpoint_url(std::string_view base_url, std::string_view endpoint);

}  // namespace atiende::net
