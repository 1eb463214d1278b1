#pragma once
// Runs a shell command line (the real `atiende` binary with its arguments) and captures what it
// prints. For end-to-end tests of CLI commands.

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace atiende::testing {

struct CommandRun {
  int exit_code = -1;  ///< -1 when the command did not exit normally
  std::string out;     ///< stdout (and whatever the command line redirects into it)
};

/// Runs `command` through /bin/sh and captures its stdout.
inline CommandRun run_command(const std::string& command) {
  CommandRun result;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return result;
  char buffer[4096];
  size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) result.out.append(buffer, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace atiende::testing
