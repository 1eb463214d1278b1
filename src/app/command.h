#pragma once
/// The CLI's command registry. Each subcommand lives in its own cmd_<name>.cc and registers itself
/// with ATIENDE_REGISTER_COMMAND; main.cc knows none of them by name.

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/config.h"

namespace atiende::app {

/// Options shared by every command (accepted before or after the subcommand).
struct GlobalOptions {
  std::string data_dir;     ///< --data, ATIENDE_DATA; default ./atiende-data
  std::string config_file;  ///< --config, ATIENDE_CONFIG
  bool json = false;        ///< --json: machine-readable output on stdout
  std::string log_level;    ///< --log-level
  std::string log_format;   ///< --log-format: "text" or "json" ("" = env or text)
};

/// Exit codes of the CLI contract.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

/// Loads the config file named by the globals (if any) and applies --data.
/// Errors name the file and key. The data dir ends up under config key "data.dir"; when
/// agent.demo_dir is unset it is set to the shipped data/demo (cwd first, else beside the binary).
Result<Config> load_config(const GlobalOptions& globals);

/// Adds a subcommand to `app`. The returned function runs it after parsing and gives the exit code.
using CommandSetup = std::function<std::function<int()>(CLI::App& app, GlobalOptions& globals)>;

struct CommandRegistration {
  std::string name;
  CommandSetup setup;
};

/// Every registered command, in registration order.
std::vector<CommandRegistration>& command_registry();

struct CommandRegistrar {
  CommandRegistrar(std::string name, CommandSetup setup);
};

/// Prints `status` as "error: ..." to stderr (or as JSON on stdout with --json); returns kExitFailure,
/// or kExitUsage for invalid_argument.
int report_error(const Status& status, const GlobalOptions& globals);

}  // namespace atiende::app

#define ATIENDE_REGISTER_COMMAND(name, setup) \
  static ::atiende::app::CommandRegistrar ATIENDE_CONCAT(atiende_command_, __LINE__)(name, setup)
