#include "http/limits.h"

#include <arpa/inet.h>

#include <algorithm>
#include <chrono>
#include <cstring>

#include "common/strings.h"

namespace atiende::http {
namespace {

/// Parses an IP literal into 16 bytes (IPv4 and IPv4-mapped IPv6 in the first 4, v4 = true).
bool parse_ip(std::string_view text, std::array<unsigned char, 16>& bytes, bool& v4) {
  if (text.empty() || text.size() > 45) return false;
  const std::string ip(text);
  bytes.fill(0);
  in_addr a4{};
  if (inet_pton(AF_INET, ip.c_str(), &a4) == 1) {
    std::memcpy(bytes.data(), &a4, 4);
    v4 = true;
    return true;
  }
  in6_addr a6{};
  if (inet_pton(AF_INET6, ip.c_str(), &a6) != 1) return false;
  static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::memcmp(a6.s6_addr, kMapped, 12) == 0) {
    std::memcpy(bytes.data(), a6.s6_addr + 12, 4);
    v4 = true;
    return true;
  }
  std::memcpy(bytes.data(), a6.s6_addr, 16);
  v4 = false;
  return true;
}

}  // namespace

bool is_loopback_address(std::string_view ip) {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
  if (!parse_ip(ip, bytes, v4)) return false;
  if (v4) return bytes[0] == 127;
  static constexpr std::array<unsigned char, 16> kLoopback6 = {0, 0, 0, 0, 0, 0, 0, 0,
                                                               0, 0, 0, 0, 0, 0, 0, 1};
  return bytes == kLoopback6;
}

Result<TrustedProxies> TrustedProxies::parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& raw : entries) {
    const std::string_view entry = trim(raw);
    const size_t slash = entry.find('/');
    Network net;
    if (!parse_ip(entry.substr(0, slash), net.bytes, net.v4)) {
      return Status::invalid_argument("trusted proxy '" + raw + "' is not an IP address or a CIDR network");
    }
    const int max_bits = net.v4 ? 32 : 128;
    net.prefix_bits = max_bits;
    if (slash != std::string_view::npos) {
      const std::string_view bits = entry.substr(slash + 1);
      int value = -1;
      if (!bits.empty() && bits.size() <= 3 &&
          std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        value = std::stoi(std::string(bits));
      }
      if (value < 0 || value > max_bits) {
        return Status::invalid_argument("trusted proxy '" + raw + "' has a prefix length outside 0.." +
                                        std::to_string(max_bits));
      }
      net.prefix_bits = value;
    }
    out.networks_.push_back(net);
  }
  return out;
}

bool TrustedProxies::contains(std::string_view ip) const {
  std::array<unsigned char, 16> bytes{};
  bool v4 = false;
  if (!parse_ip(ip, bytes, v4)) return false;
  for (const Network& net : networks_) {
    if (net.v4 != v4) continue;
    const int full = net.prefix_bits / 8;
    const int rest = net.prefix_bits % 8;
    if (std::memcmp(bytes.data(), net.bytes.data(), static_cast<size_t>(full)) != 0) continue;
    if (rest != 0) {
      const auto mask = static_cast<unsigned char>(0xff << (8 - rest));
      if ((bytes[full] & mask) != (net.bytes[full] & mask)) continue;
    }
    return true;
  }
  return false;
}

ClientAddress client_address(std::string_view peer, std::optional<std::string_view> forwarded_for,
                             const TrustedProxies& trusted) {
  ClientAddress out{std::string(peer), false};
  if (!forwarded_for || !trusted.contains(peer)) return out;
  std::string_view rest = *forwarded_for;
  // Right to left: each hop appended the address it got the request from.
  while (!rest.empty()) {
    const size_t comma = rest.rfind(',');
    const std::string_view entry =
        trim(comma == std::string_view::npos ? rest : rest.substr(comma + 1));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(0, comma);
    std::array<unsigned char, 16> bytes{};
    bool v4 = false;
    if (!parse_ip(entry, bytes, v4)) break;
    out.address = std::string(entry);
    out.forwarded = true;
    if (!trusted.contains(entry)) break;
  }
  return out;
}

RateLimiter::RateLimiter(double rate_per_second, double burst, const Clock& clock, size_t max_keys)
    : rate_(rate_per_second),
      burst_(std::max(1.0, burst)),
      clock_(clock),
      max_keys_(std::max<size_t>(1, max_keys)) {}

double RateLimiter::now_seconds() const {
  using namespace std::chrono;
  return duration<double>(clock_.steady_now().time_since_epoch()).count();
}

bool RateLimiter::allow(std::string_view key) {
  if (rate_ <= 0) return true;
  const double now = now_seconds();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(std::string(key));
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_keys_) {
      // Drop buckets that have refilled (they carry no state); clear all if that is not enough.
      for (auto b = buckets_.begin(); b != buckets_.end();) {
        const double tokens = b->second.tokens + (now - b->second.last_seconds) * rate_;
        b = tokens >= burst_ ? buckets_.erase(b) : std::next(b);
      }
      if (buckets_.size() >= max_keys_) buckets_.clear();
    }
    it = buckets_.emplace(std::string(key), Bucket{burst_, now}).first;
  }
  Bucket& bucket = it->second;
  bucket.tokens = std::min(burst_, bucket.tokens + (now - bucket.last_seconds) * rate_);
  bucket.last_seconds = now;
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

std::optional<std::string> cors_allowed_origin(std::string_view origin,
                                               const std::vector<std::string>& allowlist) {
  if (origin.empty()) return std::nullopt;
  for (const auto& allowed : allowlist) {
    if (allowed == "*" || allowed == origin) return std::string(origin);
  }
  return std::nullopt;
}

}  // namespace atiende::http
