#include "common/clock.h"

#include <openssl/rand.h>

#include <ctime>
#include <random>

namespace atiende {

int64_t Clock::unix_millis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now().time_since_epoch()).count();
}

int64_t Clock::unix_seconds() const { return unix_millis() / 1000; }

namespace {
class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override {
    return std::chrono::system_clock::now();
  }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::now();
  }
};

/// Draws from OpenSSL's CSPRNG: session ids, confirmation tokens and generated keys (JWT secret,
/// admin key, audit key) must not be predictable from earlier outputs, as a seeded Mersenne
/// Twister's are. Thread-safe (RAND_bytes is).
class SystemRandom final : public Random {
 public:
  uint64_t next_u64() override {
    uint64_t value = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&value), sizeof value) != 1) {
      // Not expected on Linux; std::random_device reads the kernel's CSPRNG as well.
      std::random_device device;
      value = (static_cast<uint64_t>(device()) << 32) ^ device();
    }
    return value;
  }
};
}  // namespace

Clock& system_clock() {
  static SystemClock clock;
  return clock;
}

FakeClock::FakeClock(int64_t unix_millis_start) : millis_(unix_millis_start) {}

std::chrono::system_clock::time_point FakeClock::now() const {
  std::lock_guard lock(mutex_);
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(millis_));
}

std::chrono::steady_clock::time_point FakeClock::steady_now() const {
  std::lock_guard lock(mutex_);
  return std::chrono::steady_clock::time_point(std::chrono::milliseconds(steady_millis_));
}

void FakeClock::advance(std::chrono::milliseconds delta) {
  std::lock_guard lock(mutex_);
  millis_ += delta.count();
  steady_millis_ += delta.count();
}

double Random::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

std::string Random::hex(size_t bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes * 2);
  uint64_t word = 0;
  for (size_t i = 0; i < bytes; ++i) {
    if (i % 8 == 0) word = next_u64();
    const auto byte = static_cast<unsigned>(word & 0xff);
    word >>= 8;
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xf]);
  }
  return out;
}

Random& system_random() {
  static SystemRandom random;
  return random;
}

uint64_t SeededRandom::next_u64() {
  std::lock_guard lock(mutex_);
  return engine_();
}

std::string new_id(Random& random, std::string_view prefix) {
  std::string id(prefix);
  id += '_';
  id += random.hex(8);
  return id;
}

std::string format_iso8601(std::chrono::system_clock::time_point time) {
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
  std::time_t seconds = static_cast<std::time_t>(millis / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(millis % 1000));
  return buffer;
}

}  // namespace atiende
