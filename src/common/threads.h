#pragma once
/// Thread labels and priorities for the server's pools: names show which pool is busy in
/// `top -H`, `ps -L` and perf ("http-io-0", "worker-2", "llm-io-1", ...); a lower priority for
/// per-turn work keeps streamed tokens flowing first when the CPUs are saturated.

#include <string>
#include <string_view>

namespace atiende {

/// Names the calling thread `prefix` + "-" + `index` (the prefix is cut so the whole fits Linux's
/// 15 bytes). Best effort: a failure is ignored, a thread's name is only a label.
void name_this_thread(std::string_view prefix, int index);

/// The calling thread's name ("" if it cannot be read).
std::string this_thread_name();

/// Adds `by` to the calling thread's nice value (capped at 19; Linux applies it per thread), so
/// the thread yields to the process's other threads when they compete for a CPU. Lowering
/// priority needs no privilege; `by` <= 0 leaves the thread as it is. Returns false (errno set)
/// if the kernel refused.
bool lower_this_thread_priority(int by);

/// The calling thread's nice value.
int this_thread_nice();

}  // namespace atiende
