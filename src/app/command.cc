#include "app/command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>

#include "common/json.h"

namespace atiende::app {

std::vector<CommandRegistration>& command_registry() {
  static std::vector<CommandRegistration> registry;
  return registry;
}

CommandRegistrar::CommandRegistrar(std::string name, CommandSetup setup) {
  command_registry().push_back({std::move(name), std::move(setup)});
}

namespace {

/// The demo data shipped with atiende: "data/demo" in the working directory when it is there,
/// else beside the binary (<repo>/build/atiende -> <repo>/data/demo). Empty when neither exists.
std::filesystem::path find_demo_dir() {
  std::error_code ec;
  if (std::filesystem::is_directory("data/demo", ec)) return "data/demo";
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  const auto beside = exe.parent_path().parent_path() / "data" / "demo";
  if (std::filesystem::is_directory(beside, ec)) return beside;
  return {};
}

}  // namespace

Result<Config> load_config(const GlobalOptions& globals) {
  EnvLookup env = process_env();
  std::string file = globals.config_file;
  if (file.empty()) {
    if (auto from_env = env("ATIENDE_CONFIG")) file = *from_env;
  }
  Config config(env);
  if (!file.empty()) {
    auto loaded = Config::load_file(file, env);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  }
  // --data wins over ATIENDE_DATA, which wins over data.dir in the file.
  std::string data_dir = globals.data_dir;
  if (data_dir.empty()) {
    if (auto from_env = env("ATIENDE_DATA")) data_dir = *from_env;
  }
  if (data_dir.empty()) {
    auto from_file = config.get_string("data.dir", "./atiende-data");
    if (!from_file.ok()) return from_file.status();
    data_dir = *from_file;
  }
  config.set("data.dir", data_dir);
  // The agent's demo data (catalog, customers, intents) defaults to the repository's data/demo,
  // found from any working directory.
  if (!config.has("agent.demo_dir")) {
    if (auto demo = find_demo_dir(); !demo.empty()) config.set("agent.demo_dir", demo.string());
  }
  return config;
}

int report_error(const Status& status, const GlobalOptions& globals) {
  if (globals.json) {
    Json body = {{"error",
                  {{"code", std::string(status_code_name(status.code()))},
                   {"message", status.message()}}}};
    std::cout << dump_json(body) << std::endl;
  } else {
    std::fprintf(stderr, "error: %s\n", status.message().c_str());
  }
  return status.code() == StatusCode::kInvalidArgument ? kExitUsage : kExitFailure;
}

}  // namespace atiende::app
