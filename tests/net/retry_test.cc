#include <gtest/gtest.h>

#include "net/cancel.h"
#include "net/retry.h"

namespace atiende::net {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, FullJitterStaysUnderTheGrowingCeiling) {
  RetryPolicy policy;
  policy.initial_backoff = milliseconds(100);
  policy.max_backoff = milliseconds(1000);
  SeededRandom random(7);
  int64_t max_seen_first = 0;
  for (int i = 0; i < 200; ++i) {
    const auto d1 = backoff_delay(policy, 1, random).count();
    const auto d3 = backoff_delay(policy, 3, random).count();
    const auto d9 = backoff_delay(policy, 9, random).count();
    EXPECT_GE(d1, 0);
    EXPECT_LT(d1, 100);
    EXPECT_LT(d3, 400);
    EXPECT_LT(d9, 1000);  // capped
    max_seen_first = std::max<int64_t>(max_seen_first, d1);
  }
  EXPECT_GT(max_seen_first, 50);  // actually jittered across the range
}

TEST(Backoff, SameSeedSameDelays) {
  RetryPolicy policy;
  SeededRandom a(42), b(42);
  for (int r = 1; r < 6; ++r) EXPECT_EQ(backoff_delay(policy, r, a), backoff_delay(policy, r, b));
}

TEST(Retry, StatusAndMethodClassification) {
  for (int s : {408, 429, 500, 502, 503, 504}) EXPECT_TRUE(is_retryable_status(s)) << s;
  for (int s : {200, 400, 401, 404, 501}) EXPECT_FALSE(is_retryable_status(s)) << s;
  EXPECT_TRUE(is_idempotent_method("GET"));
  EXPECT_TRUE(is_idempotent_method("delete"));
  EXPECT_FALSE(is_idempotent_method("POST"));
  EXPECT_FALSE(is_idempotent_method("PATCH"));
}

TEST(CircuitBreaker, OpensAfterThresholdAndHalfOpensAfterCooldown) {
  FakeClock clock;
  CircuitBreaker breaker({.failure_threshold = 3, .open_duration = milliseconds(1000), .half_open_probes = 1},
                         clock);
  EXPECT_TRUE(breaker.allow());
  breaker.record_failure();
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  EXPECT_FALSE(breaker.allow());
  EXPECT_EQ(breaker.retry_after_ms(), 1000);
  clock.advance(milliseconds(999));
  EXPECT_FALSE(breaker.allow());
  clock.advance(milliseconds(1));
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kHalfOpen);
  EXPECT_TRUE(breaker.allow());   // the probe
  EXPECT_FALSE(breaker.allow());  // only one probe at a time
  breaker.record_failure();       // probe failed: open again
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kOpen);
  clock.advance(milliseconds(1000));
  EXPECT_TRUE(breaker.allow());
  breaker.record_success();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
  EXPECT_TRUE(breaker.allow());
  EXPECT_EQ(circuit_state_name(breaker.state()), "closed");
}

TEST(CircuitBreaker, SuccessResetsTheFailureCount) {
  FakeClock clock;
  CircuitBreaker breaker({.failure_threshold = 2, .open_duration = milliseconds(10), .half_open_probes = 1}, clock);
  breaker.record_failure();
  breaker.record_success();
  breaker.record_failure();
  EXPECT_EQ(breaker.state(), CircuitBreaker::State::kClosed);
}

TEST(Cancellation, CallbacksRunOnceAndLateRegistrationRunsAtOnce) {
  CancellationToken token;
  int calls = 0;
  const uint64_t id = token.on_cancel([&] { ++calls; });
  int removed_calls = 0;
  const uint64_t id2 = token.on_cancel([&] { ++removed_calls; });
  token.remove(id2);
  EXPECT_FALSE(token.cancelled());
  CancellationToken copy = token;
  copy.cancel();
  copy.cancel();
  EXPECT_TRUE(token.cancelled());
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(removed_calls, 0);
  token.remove(id);  // harmless after the fact
  int late = 0;
  token.on_cancel([&] { ++late; });
  EXPECT_EQ(late, 1);
}

}  // namespace
}  // namespace atiende::net
