// `atiende version`: prints the version (and the data dir in use).

#include <iostream>

#include "app/command.h"
#include "common/json.h"

namespace atiende::app {
namespace {

std::function<int()> setup_version(CLI::App& app, GlobalOptions& globals) {
  app.description("Print the version and the resolved data directory");
  return [&globals]() {
    auto config = load_config(globals);
    if (!config.ok()) return report_error(config.status(), globals);
    const std::string data_dir = config->get_string("data.dir", "").value_or("");
    if (globals.json) {
      std::cout << dump_json({{"version", ATIENDE_VERSION}, {"data_dir", data_dir}}) << "\n";
    } else {
      std::cout << "atiende " << ATIENDE_VERSION << " (data: " << data_dir << ")\n";
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("version", setup_version);
}  // namespace atiende::app
