#include "common/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>

namespace atiende {

bool stderr_is_tty() { return isatty(STDERR_FILENO) == 1; }

ProgressBar::ProgressBar(uint64_t total, std::string label)
    : ProgressBar(total, std::move(label), stderr_is_tty()) {}

ProgressBar::ProgressBar(uint64_t total, std::string label, bool enabled)
    : total_(total), label_(std::move(label)), enabled_(enabled) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::advance(uint64_t units, const std::string& detail) {
  done_ += units;
  detail_ = detail;
  draw(false);
}

void ProgressBar::finish() {
  if (finished_) return;
  finished_ = true;
  if (!enabled_) return;
  draw(true);
  std::fputc('\n', stderr);
}

void ProgressBar::draw(bool force) {
  if (!enabled_) return;
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now().time_since_epoch())
                          .count();
  if (!force && now - last_draw_ms_ < 100) return;
  last_draw_ms_ = now;
  constexpr int kWidth = 30;
  if (total_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * kWidth);
    std::fprintf(stderr, "\r%s [%.*s%*s] %llu/%llu %3d%% %.40s\033[K", label_.c_str(), filled,
                 "##############################", kWidth - filled, "",
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_),
                 static_cast<int>(fraction * 100), detail_.c_str());
  } else {
    std::fprintf(stderr, "\r%s %llu %.40s\033[K", label_.c_str(),
                 static_cast<unsigned long long>(done_), detail_.c_str());
  }
  std::fflush(stderr);
}

}  // namespace atiende
