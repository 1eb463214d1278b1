// atiende: the server and CLI. Commands register themselves (see command.h).

#include <cstdio>
#include <iostream>
#include <map>

#include "app/command.h"
#include "common/log.h"

int main(int argc, char** argv) {
  using namespace atiende::app;
  CLI::App app{
      "atiende: a self-hosted customer-support assistant (RAG with citations, account tasks,\n"
      "handoff, evaluation). Run `atiende <command> --help` for the options of a command."};
  app.require_subcommand(1);
  app.fallthrough();  // global options are accepted after the subcommand too
  GlobalOptions globals;
  app.add_option("--data", globals.data_dir,
                 "Data directory (default ./atiende-data; env ATIENDE_DATA)");
  app.add_option("--config", globals.config_file, "TOML config file (env ATIENDE_CONFIG)");
  app.add_flag("--json", globals.json, "Machine-readable JSON output on stdout");
  app.add_option("--log-level", globals.log_level,
                 "trace|debug|info|warn|error|off (default warn; env ATIENDE_LOG_LEVEL)");
  app.add_option("--log-format", globals.log_format,
                 "text|json: log lines on stderr as text, or one JSON object per line\n"
                 "{\"ts\",\"level\",\"msg\"} for a log collector (default text; env ATIENDE_LOG_FORMAT)")
      ->check(CLI::IsMember({"text", "json"}));

  std::map<CLI::App*, std::function<int()>> runners;
  for (auto& command : command_registry()) {
    auto* sub = app.add_subcommand(command.name);
    sub->fallthrough();
    runners[sub] = command.setup(*sub, globals);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  }
  std::string level = globals.log_level;
  if (level.empty()) {
    const char* env_level = std::getenv("ATIENDE_LOG_LEVEL");
    level = env_level ? env_level : "warn";
  }
  std::string format = globals.log_format;
  if (format.empty()) {
    const char* env_format = std::getenv("ATIENDE_LOG_FORMAT");
    format = env_format ? env_format : "text";
  }
  if (format != "text" && format != "json") {
    std::cerr << "error: ATIENDE_LOG_FORMAT must be text or json, not '" << format << "'\n";
    return kExitUsage;
  }
  atiende::init_logging(level, format == "json");
  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub);
    if (it != runners.end()) return it->second();
  }
  return kExitUsage;
}
