#pragma once
/// Registry of `atiende eval <subcommand>`: each subcommand (metrics, retrieval, run, ...) lives in
/// its own cmd_eval_<name>.cc and registers itself with ATIENDE_REGISTER_EVAL_SUBCOMMAND; the
/// `eval` parent (cmd_eval.cc) knows none of them by name.

#include <string>
#include <vector>

#include "app/command.h"

namespace atiende::app {

/// Every registered eval subcommand, in registration order.
std::vector<CommandRegistration>& eval_subcommand_registry();

struct EvalSubcommandRegistrar {
  EvalSubcommandRegistrar(std::string name, CommandSetup setup);
};

}  // namespace atiende::app

#define ATIENDE_REGISTER_EVAL_SUBCOMMAND(name, setup) \
  static ::atiende::app::EvalSubcommandRegistrar ATIENDE_CONCAT(atiende_eval_sub_, __LINE__)(name, setup)
