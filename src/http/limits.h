#pragma once
/// Request policies that need no socket: who the client is behind trusted proxies, per-client
/// token-bucket rate limiting and the CORS allowlist. Used by the server; public so that they are
/// unit-tested directly.

#include <array>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

namespace atiende::http {

/// True for loopback IP literals: 127.0.0.0/8, ::1 and IPv4-mapped ::ffff:127.x.y.z.
bool is_loopback_address(std::string_view ip);

/// Addresses and networks ("10.0.0.0/8", "::1", "fd00::/8") whose X-Forwarded-For is believed.
class TrustedProxies {
 public:
  /// Errors name the first entry that is not an IP literal or a CIDR with a valid prefix length.
  static Result<TrustedProxies> parse(const std::vector<std::string>& entries);
  /// True when `ip` (a literal; IPv4-mapped IPv6 counts as IPv4) is in one of the networks.
  bool contains(std::string_view ip) const;
  bool empty() const { return networks_.empty(); }

 private:
  struct Network {
    std::array<unsigned char, 16> bytes{};  ///< IPv4 in the first 4
    bool v4 = false;
    int prefix_bits = 0;
  };
  std::vector<Network> networks_;
};

/// Who sent a request: `address` is the client's IP, `forwarded` is true when it came from an
/// X-Forwarded-For header that a trusted proxy passed on (the socket's peer is then that proxy).
struct ClientAddress {
  std::string address;
  bool forwarded = false;
};

/// The client of a request whose socket peer is `peer`. When `peer` is a trusted proxy and
/// `forwarded_for` (the X-Forwarded-For value, all such headers joined with ",") is present, the
/// right-most entry that is not itself a trusted proxy: a client can put anything in front, but
/// what the trusted proxies appended is true. A malformed entry ends the walk at the last good
/// address. Otherwise `peer`.
ClientAddress client_address(std::string_view peer, std::optional<std::string_view> forwarded_for,
                             const TrustedProxies& trusted);

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
