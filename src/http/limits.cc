#include "http/limits.h"

#include <algorithm>
#include <chrono>

namespace atiende::http {

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
