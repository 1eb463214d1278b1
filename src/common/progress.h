#pragma once
/// A progress bar on stderr, drawn only when stderr is a TTY (and not in --json mode).

#include <cstdint>
#include <string>

namespace atiende {

class ProgressBar {
 public:
  /// `total` units of work (0 = unknown). `enabled` defaults to isatty(stderr).
  ProgressBar(uint64_t total, std::string label);
  ProgressBar(uint64_t total, std::string label, bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  /// Adds `units` done and redraws (at most ~10 times a second).
  void advance(uint64_t units = 1, const std::string& detail = {});
  /// Draws the final state and a newline. Called by the destructor if needed.
  void finish();

 private:
  void draw(bool force);
  uint64_t total_;
  uint64_t done_ = 0;
  std::string label_;
  std::string detail_;
  bool enabled_;
  bool finished_ = false;
  int64_t last_draw_ms_ = 0;
};

/// True when stderr is a terminal.
bool stderr_is_tty();

}  // namespace atiende
