#include "agent/factory.h"

#include "agent/demo_backend.h"
#include "agent/http_backend.h"

namespace atiende::agent {

std::vector<std::filesystem::path> default_agent_path_bases(const std::filesystem::path& data_dir) {
  std::vector<std::filesystem::path> bases;
  std::error_code ec;
  bases.push_back(std::filesystem::current_path(ec));
  if (ec) bases.back() = ".";
  if (!data_dir.empty()) bases.push_back(data_dir);
  const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec && exe.has_parent_path()) bases.push_back(exe.parent_path().parent_path());
  return bases;
}

std::filesystem::path resolve_agent_path(std::string_view configured,
                                         const std::vector<std::filesystem::path>& bases) {
  const std::filesystem::path path(configured);
  if (path.empty() || path.is_absolute() || bases.empty()) return path;
  std::error_code ec;
  for (const auto& base : bases) {
    if (std::filesystem::exists(base / path, ec)) return (base / path).lexically_normal();
  }
  return (bases.front() / path).lexically_normal();
}

namespace {

/// Reads a path-valued config key and resolves it against `bases` (see resolve_agent_path).
class AgentPaths {
 public:
  AgentPaths(const Config& config, std::vector<std::filesystem::path> bases)
      : config_(config), bases_(std::move(bases)) {}
  /// The key's value, or `fallback` when unset, resolved ("" stays "").
  Result<std::string> get(std::string_view key, std::string_view fallback) const {
    ATIENDE_ASSIGN_OR_RETURN(std::string value, config_.get_string(key, fallback));
    return resolve_agent_path(value, bases_).string();
  }

 private:
  const Config& config_;
  std::vector<std::filesystem::path> bases_;
};

Result<std::shared_ptr<Backend>> open_backend(const AgentEnvironment& env, const AgentPaths& paths,
                                              const std::string& demo_dir,
                                              std::shared_ptr<const Catalog> catalog) {
  const Config& config = *env.config;
  auto backend_name = config.get_string("agent.backend", "demo");
  if (!backend_name.ok()) return backend_name.status();
  if (*backend_name == "demo") {
    auto demo = open_demo_backend(env.db, demo_dir, *catalog, *env.clock);
    if (!demo.ok()) return demo.status().with_context("agent.demo_dir");
    // The backend keeps a reference to the catalog: tie their lifetimes.
    return std::shared_ptr<Backend>(demo->release(), [catalog](Backend* b) { delete b; });
  }
  if (*backend_name == "http") {
    ATIENDE_ASSIGN_OR_RETURN(std::string file, paths.get("agent.backend_config", ""));
    if (file.empty()) return Status::invalid_argument("agent.backend_config: required when agent.backend = \"http\"");
    auto http = open_http_backend_file(file, *env.clock, config.env());
    if (!http.ok()) return http.status().with_context("agent.backend_config");
    return std::shared_ptr<Backend>(std::move(*http));
  }
  return Status::invalid_argument("agent.backend: must be \"demo\" or \"http\" (got \"" + *backend_name + "\")");
}

/// A saved model (agent.intent_model) when it exists, else one trained from the examples; null
/// when there are neither (the built-in path then only handles confirmations).
Result<std::shared_ptr<const IntentClassifier>> open_classifier(const AgentPaths& paths,
                                                                const std::string& demo_dir) {
  ATIENDE_ASSIGN_OR_RETURN(std::string model_path, paths.get("agent.intent_model", ""));
  std::error_code ec;
  if (!model_path.empty() && std::filesystem::exists(model_path, ec)) {
    auto model = IntentClassifier::load(model_path);
    if (!model.ok()) return model.status().with_context("agent.intent_model");
    return std::make_shared<const IntentClassifier>(std::move(*model));
  }
  ATIENDE_ASSIGN_OR_RETURN(
      std::string examples_path,
      paths.get("agent.intent_examples",
                (std::filesystem::path(demo_dir) / "intents" / "train.jsonl").string()));
  if (!std::filesystem::exists(examples_path, ec)) return std::shared_ptr<const IntentClassifier>();
  auto examples = load_intent_examples(examples_path);
  if (!examples.ok()) return examples.status().with_context("agent.intent_examples");
  auto model = IntentClassifier::train(*examples);
  if (!model.ok()) return model.status().with_context("agent.intent_examples");
  return std::make_shared<const IntentClassifier>(std::move(*model));
}

}  // namespace

Result<std::unique_ptr<Agent>> open_agent_from_config(const AgentEnvironment& env) {
  if (!env.config || !env.db || !env.audit || !env.anonymizer || !env.clock || !env.random) {
    return Status::invalid_argument("agent: config, db, audit, anonymizer, clock and random are required");
  }
  const Config& config = *env.config;
  const AgentPaths paths(config, env.path_bases.empty() ? default_agent_path_bases(env.data_dir)
                                                        : env.path_bases);
  ATIENDE_ASSIGN_OR_RETURN(std::string demo_dir, paths.get("agent.demo_dir", "data/demo"));
  // An explicit catalog_dir is resolved on its own; the default follows the resolved demo_dir.
  ATIENDE_ASSIGN_OR_RETURN(std::string catalog_dir,
                           paths.get("agent.catalog_dir", (std::filesystem::path(demo_dir) / "catalog").string()));
  auto catalog_loaded = Catalog::load(catalog_dir);
  if (!catalog_loaded.ok()) return catalog_loaded.status().with_context("agent.catalog_dir");
  auto catalog = std::make_shared<const Catalog>(std::move(*catalog_loaded));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<Backend> backend, open_backend(env, paths, demo_dir, catalog));

  ATIENDE_ASSIGN_OR_RETURN(JwtOptions jwt, jwt_options_from_config(config, env.data_dir, true));
  ATIENDE_ASSIGN_OR_RETURN(auto verifier, TokenVerifier::create(jwt));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<const IntentClassifier> classifier,
                           open_classifier(paths, demo_dir));

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
  ATIENDE_ASSIGN_OR_RETURN(options.tool_intent_threshold,
                           config.get_double("agent.tool_intent_threshold", 0.35));
  if (!(options.tool_intent_threshold >= 0 && options.tool_intent_threshold <= 1)) {
    return Status::invalid_argument("agent.tool_intent_threshold must be within 0..1");
  }
  AgentDeps deps{env.db, backend, catalog, env.audit,
                 std::shared_ptr<TicketStore>(std::move(*tickets)), verifier, classifier,
                 env.clock, env.random};
  return Agent::create(std::move(deps), std::move(registry), std::move(options));
}

}  // namespace atiende::agent
