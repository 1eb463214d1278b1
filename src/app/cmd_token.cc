// `atiende token --customer ID [--ttl SECONDS]`: prints a signed HS256 customer token for testing
// and demos. The secret is auth.jwt_secret (env ATIENDE_AUTH_JWT_SECRET) or, when none is set,
// <data>/keys/jwt.secret, created on first use; `atiende serve` reads the same one.

#include <filesystem>
#include <iostream>

#include "agent/identity.h"
#include "app/command.h"
#include "common/files.h"
#include "common/json.h"

namespace atiende::app {
namespace {

/// Checks the id against the demo customers when the demo backend is in use.
Status check_demo_customer(const Config& config, const std::string& customer) {
  const std::string backend = config.get_string("agent.backend", "demo").value_or("demo");
  if (backend != "demo") return Status::ok_status();
  const std::string demo_dir = config.get_string("agent.demo_dir", "data/demo").value_or("data/demo");
  const auto path = std::filesystem::path(demo_dir) / "customers.json";
  auto text = read_file(path);
  if (!text.ok()) return Status::ok_status();  // no demo data here: nothing to check against
  auto parsed = parse_json(*text);
  if (!parsed.ok() || !parsed->contains("customers")) return Status::ok_status();
  std::string known;
  for (const auto& c : (*parsed)["customers"]) {
    const std::string id = c.value("id", "");
    if (id == customer) return Status::ok_status();
    known += (known.empty() ? "" : ", ") + id;
  }
  return Status::invalid_argument("--customer '" + customer + "' is not a demo customer (" + known + ")");
}

std::function<int()> setup_token(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Print a signed HS256 customer token (JWT) for a demo customer.\n"
      "Use it as the chat session's customer_token to act as that customer, e.g.\n"
      "  atiende token --customer CUST-1001\n"
      "Secret: auth.jwt_secret / ATIENDE_AUTH_JWT_SECRET, else <data>/keys/jwt.secret (created once,\n"
      "shared with `atiende serve`). Claims: sub, iat, exp, aud (auth.audience), iss (auth.issuer).");
  auto customer = std::make_shared<std::string>();
  auto ttl = std::make_shared<int64_t>(3600);
  app.add_option("--customer", *customer, "Customer id, e.g. CUST-1001 (see data/demo/README.md)")
      ->required();
  app.add_option("--ttl", *ttl, "Lifetime in seconds (default 3600)")->check(CLI::Range(1, 31'536'000));
  return [&globals, customer, ttl]() {
    auto config = load_config(globals);
    if (!config.ok()) return report_error(config.status(), globals);
    if (Status s = check_demo_customer(*config, *customer); !s.ok()) return report_error(s, globals);
    const std::string data_dir = config->get_string("data.dir", "./atiende-data").value_or("");
    auto options = agent::jwt_options_from_config(*config, data_dir, /*create_secret_if_missing=*/true);
    if (!options.ok()) return report_error(options.status(), globals);
    auto token = agent::issue_hs256_token(*customer, *ttl, *options, system_clock());
    if (!token.ok()) return report_error(token.status(), globals);
    if (globals.json) {
      std::cout << dump_json({{"token", *token},
                              {"customer_id", *customer},
                              {"expires_at", system_clock().unix_seconds() + *ttl}})
                << "\n";
    } else {
      std::cout << *token << "\n";
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("token", setup_token);
}  // namespace atiende::app
