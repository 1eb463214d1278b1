// Thread names and per-thread priority on real threads.

#include "common/threads.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <thread>

namespace atiende {
namespace {

/// Runs `body` on a fresh thread (so the test's own thread keeps its name and priority).
template <typename Body>
void on_new_thread(Body body) {
  std::thread thread(body);
  thread.join();
}

TEST(Threads, NamesKeepTheIndexWithinLinuxsFifteenBytes) {
  on_new_thread([] {
    name_this_thread("worker", 3);
    EXPECT_EQ(this_thread_name(), "worker-3");
    name_this_thread("a-very-long-pool-name", 12);
    EXPECT_EQ(this_thread_name(), "a-very-long--12");  // the prefix is cut, not the index
    EXPECT_EQ(this_thread_name().size(), 15u);
  });
}

TEST(Threads, LoweringPriorityAddsToTheThreadsNiceAndStopsAt19) {
  const int process_nice = getpriority(PRIO_PROCESS, 0);
  on_new_thread([&] {
    const int start = this_thread_nice();
    EXPECT_EQ(start, process_nice);  // a new thread inherits its creator's nice value
    ASSERT_TRUE(lower_this_thread_priority(0));
    EXPECT_EQ(this_thread_nice(), start);
    ASSERT_TRUE(lower_this_thread_priority(3));
    EXPECT_EQ(this_thread_nice(), std::min(start + 3, 19));
    ASSERT_TRUE(lower_this_thread_priority(40));
    EXPECT_EQ(this_thread_nice(), 19);
  });
  // Per thread: the calling thread is untouched.
  EXPECT_EQ(this_thread_nice(), process_nice);
}

}  // namespace
}  // namespace atiende
