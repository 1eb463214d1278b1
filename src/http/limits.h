#pragma once
/// Request policies that need no socket: per-client token-bucket rate limiting and the CORS
/// allowlist. Used by the server; public so that they are unit-tested directly.

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"

namespace atiende::http {

/// One token bucket per key (client IP): `rate_per_second` tokens are added per second up to
/// `burst`; each request takes one. Thread-safe. Memory is bounded: at most `max_keys` buckets
/// (full buckets are dropped first, then the table is cleared).
class RateLimiter {
 public:
  /// `rate_per_second` <= 0 disables limiting (allow() is always true).
  RateLimiter(double rate_per_second, double burst, const Clock& clock, size_t max_keys = 100'000);
  /// True when `key` may make a request now (and takes a token).
  bool allow(std::string_view key);
  bool enabled() const { return rate_ > 0; }

 private:
  struct Bucket {
    double tokens = 0;
    double last_seconds = 0;
  };
  double now_seconds() const;
  double rate_;
  double burst_;
  const Clock& clock_;
  size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

/// The Access-Control-Allow-Origin value for a request with Origin `origin`, or std::nullopt when
/// the origin is not allowed (or absent). "*" in the allowlist allows every origin (the request's
/// origin is echoed, so credentials still work). Comparison is exact (scheme://host[:port]).
std::optional<std::string> cors_allowed_origin(std::string_view origin,
                                               const std::vector<std::string>& allowlist);

}  // namespace atiende::http
