#include "common/threads.h"

#include <pthread.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace atiende {

namespace {
constexpr size_t kMaxNameBytes = 15;  ///< Linux's limit, without the terminating NUL

/// The calling thread's kernel id: setpriority(PRIO_PROCESS, tid) acts on that thread alone.
id_t this_thread_id() { return static_cast<id_t>(syscall(SYS_gettid)); }
}  // namespace

void name_this_thread(std::string_view prefix, int index) {
  const std::string suffix = "-" + std::to_string(index);
  const size_t room = kMaxNameBytes > suffix.size() ? kMaxNameBytes - suffix.size() : 0;
  std::string name(prefix.substr(0, room));
  name += suffix;
  if (name.size() > kMaxNameBytes) name.resize(kMaxNameBytes);
  pthread_setname_np(pthread_self(), name.c_str());
}

std::string this_thread_name() {
  char name[kMaxNameBytes + 1] = {};
  if (pthread_getname_np(pthread_self(), name, sizeof name) != 0) return {};
  return name;
}

bool lower_this_thread_priority(int by) {
  if (by <= 0) return true;
  return setpriority(PRIO_PROCESS, this_thread_id(), std::min(this_thread_nice() + by, 19)) == 0;
}

int this_thread_nice() {
  errno = 0;
  return getpriority(PRIO_PROCESS, this_thread_id());
}

}  // namespace atiende
