#include "common/clock.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "common/files.h"

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

TEST(SystemRandom, IdsAndKeysDoNotRepeat) {
  // Not a statistical test: only that the production source is wired and varies.
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(seen.insert(system_random().hex(16)).second);
  EXPECT_EQ(system_random().hex(16).size(), 32u);
}

TEST(SecretFile, IsCreatedOwnerOnlyOnceAndThenReadBack) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("atiende-secret-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  const auto path = dir / "keys" / "admin.key";
  auto created = load_or_create_secret_file(path);
  ASSERT_TRUE(created.ok()) << created.status().to_string();
  EXPECT_EQ(created->size(), 64u);
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  auto again = load_or_create_secret_file(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *created);
  std::filesystem::remove_all(dir);
}

TEST(Clock, Iso8601) {
  EXPECT_EQ(format_iso8601(std::chrono::system_clock::time_point(std::chrono::milliseconds(
                1767225600123))),
            "2026-01-01T00:00:00.123Z");
}

}  // namespace
}  // namespace atiende
