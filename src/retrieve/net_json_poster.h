#pragma once
/// JsonPoster over net/'s HttpClient: the production transport of HttpReranker.

#include <chrono>
#include <memory>

#include "net/http_client.h"
#include "retrieve/reranker.h"

namespace atiende::retrieve {

/// POSTs with Content-Type application/json. Non-2xx responses are errors naming the status and
/// the start of the body (4xx: invalid_argument, others: unavailable). Thread-safe.
class NetJsonPoster final : public JsonPoster {
 public:
  /// `client` may be shared with other users; `timeout` bounds the whole call (with retries).
  NetJsonPoster(std::shared_ptr<net::HttpClient> client, std::chrono::milliseconds timeout);
  Result<std::string> post_json(const std::string& url, const std::string& body,
                                const Headers& headers) const override;

 private:
  std::shared_ptr<net::HttpClient> client_;
  std::chrono::milliseconds timeout_;
};

}  // namespace atiende::retrieve
