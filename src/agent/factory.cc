#include "agent/factory.h"

#include "agent/demo_backend.h"
#include "agent/http_backend.h"

namespace atiende::agent {

Result<std::unique_ptr<Agent>> open_agent_from_config(const AgentEnvironment& env) {
  if (!env.config || !env.db || !env.audit || !env.anonymizer || !env.clock || !env.random) {
    return Status::invalid_argument("agent: config, db, audit, anonymizer, clock and random are required");
  }
  const Config& config = *env.config;
  ATIENDE_ASSIGN_OR_RETURN(std::string demo_dir, config.get_string("agent.demo_dir", "data/demo"));
  ATIENDE_ASSIGN_OR_RETURN(std::string catalog_dir,
                           config.get_string("agent.catalog_dir", demo_dir + "/catalog"));
  auto catalog_loaded = Catalog::load(catalog_dir);
  if (!catalog_loaded.ok()) return catalog_loaded.status().with_context("agent.catalog_dir");
  auto catalog = std::make_shared<const Catalog>(std::move(*catalog_loaded));

  ATIENDE_ASSIGN_OR_RETURN(std::string backend_name, config.get_string("agent.backend", "demo"));
  std::shared_ptr<Backend> backend;
  if (backend_name == "demo") {
    auto demo = open_demo_backend(env.db, demo_dir, *catalog, *env.clock);
    if (!demo.ok()) return demo.status().with_context("agent.demo_dir");
    // The backend keeps a reference to the catalog: tie their lifetimes.
    backend = std::shared_ptr<Backend>(demo->release(), [catalog](Backend* b) { delete b; });
  } else if (backend_name == "http") {
    ATIENDE_ASSIGN_OR_RETURN(std::string file, config.get_string("agent.backend_config", ""));
    if (file.empty()) return Status::invalid_argument("agent.backend_config: required when agent.backend = \"http\"");
    auto http = open_http_backend_file(file, *env.clock, config.env());
    if (!http.ok()) return http.status().with_context("agent.backend_config");
    backend = std::shared_ptr<Backend>(std::move(*http));
  } else {
    return Status::invalid_argument("agent.backend: must be \"demo\" or \"http\" (got \"" + backend_name + "\")");
  }

  ATIENDE_ASSIGN_OR_RETURN(JwtOptions jwt, jwt_options_from_config(config, env.data_dir, true));
  ATIENDE_ASSIGN_OR_RETURN(auto verifier, TokenVerifier::create(jwt));

  std::shared_ptr<const IntentClassifier> classifier;
  ATIENDE_ASSIGN_OR_RETURN(std::string model_path, config.get_string("agent.intent_model", ""));
  std::error_code ec;
  if (!model_path.empty() && std::filesystem::exists(model_path, ec)) {
    auto model = IntentClassifier::load(model_path);
    if (!model.ok()) return model.status().with_context("agent.intent_model");
    classifier = std::make_shared<const IntentClassifier>(std::move(*model));
  } else {
    ATIENDE_ASSIGN_OR_RETURN(std::string examples_path,
                             config.get_string("agent.intent_examples", demo_dir + "/intents/train.jsonl"));
    if (std::filesystem::exists(examples_path, ec)) {
      auto examples = load_intent_examples(examples_path);
      if (!examples.ok()) return examples.status().with_context("agent.intent_examples");
      auto model = IntentClassifier::train(*examples);
      if (!model.ok()) return model.status().with_context("agent.intent_examples");
      classifier = std::make_shared<const IntentClassifier>(std::move(*model));
    }
  }

  auto tickets = TicketStore::open(env.db, env.anonymizer, *env.clock, *env.random, env.conversations);
  if (!tickets.ok()) return tickets.status();

  std::vector<std::string> plan_ids, device_ids;
  for (const auto& p : catalog->plans()) plan_ids.push_back(p.id);
  for (const auto& d : catalog->devices()) device_ids.push_back(d.id);
  ATIENDE_ASSIGN_OR_RETURN(ToolRegistry registry, builtin_tool_registry(plan_ids, device_ids));
  AgentOptions options;
  ATIENDE_ASSIGN_OR_RETURN(options.policy, policy_from_config(config, registry));
  ATIENDE_ASSIGN_OR_RETURN(int64_t ttl, config.get_int("agent.confirmation_ttl_seconds", 300));
  if (ttl < 10 || ttl > 3600) return Status::invalid_argument("agent.confirmation_ttl_seconds must be 10..3600");
  options.confirmation_ttl_ms = ttl * 1000;
  ATIENDE_ASSIGN_OR_RETURN(options.intent_threshold, config.get_double("agent.intent_threshold", -1));
  AgentDeps deps{env.db, backend, catalog, env.audit,
                 std::shared_ptr<TicketStore>(std::move(*tickets)), verifier, classifier,
                 env.clock, env.random};
  return Agent::create(std::move(deps), std::move(registry), std::move(options));
}

}  // namespace atiende::agent
