#pragma once
// Helpers shared by the SSE benchmarks (http_sse.cc, chat_sse.cc).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <vector>

namespace atiende::bench {

/// Steady-clock microseconds: the same clock in every process of the machine, so a token stamped
/// in one process can be timed in another.
inline int64_t now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

/// The p-th percentile (0..100, nearest rank) of `values`; 0 when empty.
inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  return values[static_cast<size_t>(std::llround(rank))];
}

}  // namespace atiende::bench
