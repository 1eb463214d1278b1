#include "common/clock.h"

#include <gtest/gtest.h>

namespace atiende {
namespace {

TEST(FakeClock, AdvancesOnlyWhenTold) {
  FakeClock clock(1000);
  EXPECT_EQ(clock.unix_millis(), 1000);
  clock.advance(std::chrono::milliseconds(2500));
  EXPECT_EQ(clock.unix_millis(), 3500);
  EXPECT_EQ(clock.unix_seconds(), 3);
}

TEST(SeededRandom, IsDeterministicAndIdsHaveShape) {
  SeededRandom a(7), b(7);
  EXPECT_EQ(a.next_u64(), b.next_u64());
  const std::string id = new_id(a, "ses");
  EXPECT_EQ(id.rfind("ses_", 0), 0u);
  EXPECT_EQ(id.size(), 4u + 16u);
  const double u = a.uniform();
  EXPECT_GE(u, 0.0);
  EXPECT_LT(u, 1.0);
}

TEST(Clock, Iso8601) {
  EXPECT_EQ(format_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(
                1767225600123))),
            "2026-01-01T00:00:00.123Z");
}

}  // namespace
}  // namespace atiende
