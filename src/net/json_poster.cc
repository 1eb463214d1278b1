#include "net/json_poster.h"

#include <algorithm>

namespace atiende::net {

NetJsonPoster::NetJsonPoster(std::shared_ptr<HttpClient> client,
                             std::chrono::milliseconds timeout)
    : client_(std::move(client)), timeout_(timeout) {}

Result<std::string> NetJsonPoster::post_json(const std::string& url, const std::string& body,
                                             const Headers& headers) const {
  HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.body = body;
  request.headers.push_back({"Content-Type", "application/json"});
  request.headers.push_back({"Accept", "application/json"});
  for (const auto& [name, value] : headers) request.headers.push_back({name, value});
  RequestOptions options;
  options.total_timeout = timeout_;
  options.connect_timeout = std::min(timeout_, options.connect_timeout);
  options.idle_timeout = std::min(timeout_, options.idle_timeout);
  options.max_body_bytes = 8u << 20;
  options.retry.max_attempts = 2;
  options.retry.retry_non_idempotent = true;  // reranking has no side effects
  ATIENDE_ASSIGN_OR_RETURN(HttpResponse response, client_->fetch(request, options));
  if (response.status >= 200 && response.status < 300) return std::move(response.body);
  std::string excerpt = response.body.substr(0, 200);
  const std::string message =
      "HTTP " + std::to_string(response.status) + (excerpt.empty() ? "" : ": " + excerpt);
  if (response.status >= 400 && response.status < 500) return Status::invalid_argument(message);
  return Status::unavailable(message);
}

std::string openai_endpoint_url(std::string_view base_url, std::string_view endpoint) {
  std::string base(base_url);
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + (base.ends_with("/v1") ? "/" : "/v1/") + std::string(endpoint);
}

}  // namespace atiende::net
