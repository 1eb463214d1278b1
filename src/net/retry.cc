#include "net/retry.h"

#include <algorithm>
#include <cmath>

#include "common/strings.h"

namespace atiende::net {

std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, Random& random) {
  const double base = static_cast<double>(policy.initial_backoff.count());
  const double cap = static_cast<double>(policy.max_backoff.count());
  const double grown = base * std::pow(std::max(1.0, policy.multiplier), std::max(0, retry - 1));
  const double ceiling = std::min(cap, grown);
  return std::chrono::milliseconds(static_cast<int64_t>(random.uniform() * ceiling));
}

bool is_retryable_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool is_idempotent_method(std::string_view method) {
  const std::string m = ascii_lower(method);
  return m == "get" || m == "head" || m == "put" || m == "delete" || m == "options" || m == "trace";
}

CircuitBreaker::CircuitBreaker(Options options, const Clock& clock) : options_(options), clock_(clock) {}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mutex_);
  if (state_ == State::kOpen) {
    if (clock_.steady_now() - opened_at_ < options_.open_duration) return false;
    state_ = State::kHalfOpen;
    probes_in_flight_ = 0;
  }
  if (state_ == State::kHalfOpen) {
    if (probes_in_flight_ >= options_.half_open_probes) return false;
    ++probes_in_flight_;
  }
  return true;
}

void CircuitBreaker::record_success() {
  std::lock_guard lock(mutex_);
  state_ = State::kClosed;
  failures_ = 0;
  probes_in_flight_ = 0;
}

void CircuitBreaker::record_failure() {
  std::lock_guard lock(mutex_);
  ++failures_;
  if (state_ == State::kHalfOpen || failures_ >= options_.failure_threshold) {
    state_ = State::kOpen;
    opened_at_ = clock_.steady_now();
    probes_in_flight_ = 0;
  }
}

CircuitBreaker::State CircuitBreaker::state() const {
  std::lock_guard lock(mutex_);
  if (state_ == State::kOpen && clock_.steady_now() - opened_at_ >= options_.open_duration) {
    return State::kHalfOpen;
  }
  return state_;
}

int64_t CircuitBreaker::retry_after_ms() const {
  std::lock_guard lock(mutex_);
  if (state_ != State::kOpen) return 0;
  const auto left = options_.open_duration - std::chrono::duration_cast<std::chrono::milliseconds>(
                                                 clock_.steady_now() - opened_at_);
  return std::max<int64_t>(0, left.count());
}

std::string_view circuit_state_name(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed: return "closed";
    case CircuitBreaker::State::kOpen: return "open";
    case CircuitBreaker::State::kHalfOpen: return "half_open";
  }
  return "closed";
}

}  // namespace atiende::net
