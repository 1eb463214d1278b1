#pragma once
/// Injected time and randomness, so that tests are deterministic and never sleep.

#include <chrono>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>
#include <string_view>

namespace atiende {

/// A source of time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  /// Wall-clock time (for timestamps that are stored or shown).
  virtual std::chrono::system_clock::time_point now() const = 0;
  /// Monotonic time (for durations and timeouts).
  virtual std::chrono::steady_clock::time_point steady_now() const = 0;

  /// Milliseconds since the Unix epoch of now().
  int64_t unix_millis() const;
  /// Seconds since the Unix epoch of now().
  int64_t unix_seconds() const;
};

/// The real clocks. The returned reference lives for the whole program.
Clock& system_clock();

/// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_millis_start = 1'767'225'600'000);  // 2026-01-01T00:00:00Z
  std::chrono::system_clock::time_point now() const override;
  std::chrono::steady_clock::time_point steady_now() const override;
  void advance(std::chrono::milliseconds delta);

 private:
  mutable std::mutex mutex_;
  int64_t millis_;
  int64_t steady_millis_ = 0;
};

/// A source of random numbers. Implementations are thread-safe.
class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t next_u64() = 0;
  /// Uniform in [0, 1).
  double uniform();
  /// `bytes` random bytes as lower-case hex (2 * bytes characters).
  std::string hex(size_t bytes);
};

/// Cryptographically secure (OpenSSL RAND_bytes); for production ids and keys. The reference
/// lives for the whole program.
Random& system_random();

/// Deterministic generator for tests.
class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  uint64_t next_u64() override;

 private:
  std::mutex mutex_;
  std::mt19937_64 engine_;
};

/// A new opaque id: `prefix` + "_" + 16 hex characters, e.g. "ses_3f2a9c0d11b2e4f7".
std::string new_id(Random& random, std::string_view prefix);

/// UTC ISO-8601 with milliseconds, e.g. "2026-01-01T00:00:00.000Z".
std::string format_iso8601(std::chrono::system_clock::time_point time);

}  // namespace atiende
