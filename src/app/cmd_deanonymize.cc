// `atiende deanonymize`: reverses the `encrypt` operator's <ENC:TYPE:...> tokens with the key.

#include <fstream>
#include <iostream>
#include <sstream>

#include "app/command.h"
#include "common/files.h"
#include "common/json.h"
#include "privacy/operators.h"

namespace atiende::app {
namespace {

struct DeanonymizeArgs {
  std::string in;
  std::string out;
};

int run_deanonymize(const DeanonymizeArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  auto keys = privacy::load_operator_keys(config->env(), false, true);
  if (!keys.ok()) return report_error(keys.status(), globals);
  std::string text;
  if (args.in.empty() || args.in == "-") {
    std::ostringstream buffer;
    buffer << std::cin.rdbuf();
    text = buffer.str();
  } else {
    auto content = read_file(args.in);
    if (!content.ok()) return report_error(content.status(), globals);
    text = std::move(*content);
  }
  size_t restored = 0;
  auto plain = privacy::deanonymize_text(text, keys->encryption_key, &restored);
  if (!plain.ok()) return report_error(plain.status().with_context(args.in.empty() ? "stdin" : args.in), globals);
  if (args.out.empty() || args.out == "-") {
    std::cout << *plain;
  } else {
    Status written = write_file_atomic(args.out, *plain);
    if (!written.ok()) return report_error(written, globals);
    if (globals.json) std::cout << dump_json({{"restored", restored}}) << "\n";
    else std::cerr << "deanonymize: " << restored << " values restored\n";
  }
  return kExitOk;
}

std::function<int()> setup_deanonymize(CLI::App& app, GlobalOptions& globals) {
  app.description("Restore values anonymized with the encrypt operator (needs the key)");
  app.footer(
      "Reads ATIENDE_PRIVACY_ENCRYPTION_KEY (64 hex chars). Every <ENC:TYPE:...> token is\n"
      "decrypted (AES-256-GCM); a wrong key or an altered token is an error, never garbage.\n"
      "Example: atiende deanonymize --in tickets.anon.jsonl --out tickets.jsonl");
  auto args = std::make_shared<DeanonymizeArgs>();
  app.add_option("--in", args->in, "Anonymized file (default/-: stdin)");
  app.add_option("--out", args->out, "Restored file (default/-: stdout)");
  return [args, &globals]() { return run_deanonymize(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("deanonymize", setup_deanonymize);
}  // namespace atiende::app
