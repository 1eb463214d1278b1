// `atiende eval <subcommand>`: the evaluation workbench. Subcommands register themselves in
// eval_subcommands.h; this file only dispatches.

#include <map>
#include <memory>

#include "app/eval_subcommands.h"

namespace atiende::app {

std::vector<CommandRegistration>& eval_subcommand_registry() {
  static std::vector<CommandRegistration> registry;
  return registry;
}

EvalSubcommandRegistrar::EvalSubcommandRegistrar(std::string name, CommandSetup setup) {
  eval_subcommand_registry().push_back({std::move(name), std::move(setup)});
}

namespace {

std::function<int()> setup_eval(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Evaluate quality: text metrics (BLEU, chrF, TER, ROUGE, semantic) and more.\n"
      "Run `atiende eval <subcommand> --help` for the options of a subcommand.");
  app.require_subcommand(1);
  auto runners = std::make_shared<std::map<CLI::App*, std::function<int()>>>();
  for (auto& command : eval_subcommand_registry()) {
    auto* sub = app.add_subcommand(command.name);
    sub->fallthrough();  // global options (--json, --config) after the subcommand
    (*runners)[sub] = command.setup(*sub, globals);
  }
  return [&app, runners]() {
    for (auto* sub : app.get_subcommands()) {
      auto it = runners->find(sub);
      if (it != runners->end()) return it->second();
    }
    return kExitUsage;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("eval", setup_eval);
}  // namespace atiende::app
