#include "app/command.h"

#include <cstdio>
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
