#pragma once
// Starts the real `atiende serve --port 0` (working directory: the repo root) on a fresh data dir and reads the bound port from its
// first stdout line. Stops it with SIGTERM. For end-to-end tests.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace atiende::testing {

class ServedBinary {
 public:
  /// Starts `<ATIENDE_BINARY_DIR>/atiende serve --port 0 --data <fresh temp dir>` plus `extra`
  /// arguments. Throws when it does not print its "listening on" line within `timeout`.
  explicit ServedBinary(std::vector<std::string> extra = {},
                        std::chrono::seconds timeout = std::chrono::seconds(120)) {
    char pattern[] = "/tmp/atiende-e2e-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    data_dir_ = pattern;
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    // Run from the repo root, as the README commands do (config defaults such as
    // agent.catalog_dir are relative to it).
    posix_spawn_file_actions_addchdir_np(&actions, ATIENDE_SOURCE_DIR);
    std::vector<std::string> args = {std::string(ATIENDE_BINARY_DIR) + "/atiende", "serve",
                                     "--port", "0", "--data", data_dir_.string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    stdout_fd_ = fds[0];
    if (rc != 0) throw std::runtime_error("posix_spawn " + args[0] + " failed: " + std::to_string(rc));
    first_line_ = read_line(timeout);
    // "listening on http://HOST:PORT" (HOST 127.0.0.1 unless --host says otherwise).
    const std::string prefix = "listening on http://";
    const size_t colon = first_line_.rfind(':');
    if (first_line_.rfind(prefix, 0) != 0 || colon == std::string::npos || colon < prefix.size()) {
      throw std::runtime_error("unexpected first line from atiende serve: '" + first_line_ + "'");
    }
    port_ = static_cast<uint16_t>(std::stoi(first_line_.substr(colon + 1)));
  }

  ~ServedBinary() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (stdout_fd_ >= 0) close(stdout_fd_);
    std::error_code ec;
    std::filesystem::remove_all(data_dir_, ec);
  }

  ServedBinary(const ServedBinary&) = delete;
  ServedBinary& operator=(const ServedBinary&) = delete;

  uint16_t port() const { return port_; }
  const std::string& first_line() const { return first_line_; }
  const std::filesystem::path& data_dir() const { return data_dir_; }

  /// Sends SIGTERM and waits for the exit; returns the exit code (or -signal), std::nullopt on
  /// timeout.
  std::optional<int> terminate(std::chrono::seconds timeout = std::chrono::seconds(30)) {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        pid_ = -1;
        if (WIFEXITED(status)) return WEXITSTATUS(status);
        if (WIFSIGNALED(status)) return -WTERMSIG(status);
        return std::nullopt;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));  // polling a child's exit
    }
    return std::nullopt;
  }

 private:
  std::string read_line(std::chrono::seconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) throw std::runtime_error("timed out waiting for 'listening on'");
      pollfd p{stdout_fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char c = 0;
      const ssize_t n = read(stdout_fd_, &c, 1);
      if (n <= 0) throw std::runtime_error("atiende serve exited before printing its port: '" + line + "'");
      if (c == '\n') return line;
      line += c;
    }
  }

  std::filesystem::path data_dir_;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  uint16_t port_ = 0;
  std::string first_line_;
};

}  // namespace atiende::testing
