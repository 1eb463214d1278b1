// IoRunner's threads: named lanes, an optional lower priority, work spread round-robin.

#include "net/io_runner.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <future>
#include <set>
#include <string>

#include "common/threads.h"

namespace atiende::net {
namespace {

struct Seen {
  std::string name;
  int nice = 0;
};

/// What thread `runner` runs its next posted task on.
Seen next_task_thread(IoRunner& runner) {
  std::promise<Seen> seen;
  runner.post([&seen] { seen.set_value({this_thread_name(), this_thread_nice()}); });
  return seen.get_future().get();
}

TEST(IoRunner, LanesAreNamedAndTakeWorkRoundRobin) {
  IoRunner runner(2, "llm-io");
  std::set<std::string> names;
  for (int i = 0; i < 4; ++i) names.insert(next_task_thread(runner).name);
  EXPECT_EQ(names, (std::set<std::string>{"llm-io-0", "llm-io-1"}));
  EXPECT_EQ(runner.threads(), 2);
}

TEST(IoRunner, NiceLowersTheLanesPriorityOnly) {
  const int process_nice = getpriority(PRIO_PROCESS, 0);
  IoRunner background(1, "turn-end", 5);
  IoRunner foreground(1, "llm-io");
  EXPECT_EQ(next_task_thread(background).nice, std::min(process_nice + 5, 19));
  EXPECT_EQ(next_task_thread(foreground).nice, process_nice);
  EXPECT_EQ(this_thread_nice(), process_nice);
}

}  // namespace
}  // namespace atiende::net
