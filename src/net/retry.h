#pragma once
/// Retry policy with jittered exponential backoff, and a circuit breaker. Both take injected
/// Random / Clock so tests are deterministic.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "common/clock.h"

namespace atiende::net {

/// When and how often to retry an outbound request.
struct RetryPolicy {
  int max_attempts = 1;                               ///< total attempts, >= 1 (1 = no retry)
  std::chrono::milliseconds initial_backoff{200};     ///< base delay before the 2nd attempt
  std::chrono::milliseconds max_backoff{5000};        ///< cap of one delay (also caps Retry-After)
  double multiplier = 2.0;                            ///< growth per attempt
  /// Retry non-idempotent methods (POST) too. Only safe when the caller knows the upstream did
  /// not act, e.g. an LLM call that has not produced its first byte yet.
  bool retry_non_idempotent = false;
  /// Retry on 429 and 5xx responses (before any body byte reached the caller).
  bool retry_on_status = true;
};

/// "Full jitter" backoff: uniform in [0, min(max, initial * multiplier^(retry-1))].
/// `retry` counts from 1 (the delay before the second attempt).
std::chrono::milliseconds backoff_delay(const RetryPolicy& policy, int retry, Random& random);

/// True for statuses worth retrying: 408, 429, 500, 502, 503, 504.
bool is_retryable_status(int status);

/// True for GET, HEAD, PUT, DELETE, OPTIONS, TRACE (RFC 9110 idempotent methods).
bool is_idempotent_method(std::string_view method);

/// Circuit breaker: after `failure_threshold` consecutive failures it opens and rejects calls
/// for `open_duration`; then it lets `half_open_probes` calls through; one success closes it,
/// one failure re-opens it. Thread-safe.
class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };
  struct Options {
    int failure_threshold = 5;
    std::chrono::milliseconds open_duration{30'000};
    int half_open_probes = 1;
  };

  CircuitBreaker(Options options, const Clock& clock);

  /// True when a call may proceed now (counts a half-open probe).
  bool allow();
  void record_success();
  void record_failure();
  State state() const;
  /// Milliseconds until an open breaker lets a probe through (0 unless open).
  int64_t retry_after_ms() const;

 private:
  Options options_;
  const Clock& clock_;
  mutable std::mutex mutex_;
  State state_ = State::kClosed;
  int failures_ = 0;
  int probes_in_flight_ = 0;
  std::chrono::steady_clock::time_point opened_at_{};
};

/// "closed" / "open" / "half_open".
std::string_view circuit_state_name(CircuitBreaker::State state);

}  // namespace atiende::net
