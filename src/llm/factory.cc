#include "llm/factory.h"

#include <map>
#include <mutex>

#include "common/strings.h"
#include "llm/bedrock_client.h"
#include "llm/openai_client.h"

namespace atiende::llm {

namespace {

struct Registry {
  std::mutex mutex;
  std::map<std::string, ProviderFactory> factories;
};

Result<ProviderDeps> with_defaults(const Config& config, const ProviderDeps& deps) {
  ProviderDeps d = deps;
  if (!d.http) {
    net::ClientOptions options;
    options.random = d.random;
    ATIENDE_ASSIGN_OR_RETURN(int64_t keep_alive_ms, config.get_int("llm.keep_alive_ms", 4000));
    if (keep_alive_ms < 0 || keep_alive_ms > 600'000) {
      return Status::invalid_argument("config key 'llm.keep_alive_ms' must be 0..600000 (0: a new connection per call)");
    }
    options.keep_alive_idle = std::chrono::milliseconds(keep_alive_ms);
    d.http = std::make_shared<net::HttpClient>(options);
  }
  if (!d.clock) d.clock = &system_clock();
  if (!d.random) d.random = &system_random();
  return d;
}

Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry();
    reg->factories["openai"] = [](const Config& config, const ProviderDeps& deps)
        -> Result<std::unique_ptr<LlmClient>> {
      ATIENDE_ASSIGN_OR_RETURN(OpenAiOptions options, openai_options_from_config(config));
      return std::unique_ptr<LlmClient>(std::make_unique<OpenAiClient>(std::move(options), deps.http, *deps.clock));
    };
    reg->factories["bedrock"] = [](const Config& config, const ProviderDeps& deps)
        -> Result<std::unique_ptr<LlmClient>> {
      ATIENDE_ASSIGN_OR_RETURN(BedrockOptions options, bedrock_options_from_config(config));
      return std::unique_ptr<LlmClient>(std::make_unique<BedrockClient>(std::move(options), deps.http, *deps.clock));
    };
    return reg;
  }();
  return *r;
}

}  // namespace

Status register_llm_provider(std::string name, ProviderFactory factory) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  if (r.factories.count(name)) return Status::already_exists("LLM provider '" + name + "' is already registered");
  r.factories.emplace(std::move(name), std::move(factory));
  return Status{};
}

void replace_llm_provider(std::string name, ProviderFactory factory) {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  r.factories[std::move(name)] = std::move(factory);
}

std::vector<std::string> llm_provider_names() {
  Registry& r = registry();
  std::lock_guard lock(r.mutex);
  std::vector<std::string> names;
  for (const auto& [name, f] : r.factories) names.push_back(name);
  return names;
}

Result<std::unique_ptr<LlmClient>> make_llm_client(const Config& config, const ProviderDeps& deps) {
  ATIENDE_ASSIGN_OR_RETURN(std::string name, config.get_string("llm.provider", "builtin"));
  return make_llm_client_named(ascii_lower(trim(name)), config, deps);
}

Result<std::unique_ptr<LlmClient>> make_llm_client_named(std::string_view name, const Config& config,
                                                         const ProviderDeps& deps) {
  ProviderFactory factory;
  {
    Registry& r = registry();
    std::lock_guard lock(r.mutex);
    if (auto it = r.factories.find(std::string(name)); it != r.factories.end()) factory = it->second;
  }
  if (!factory) {
    if (name == "builtin") {
      return Status::failed_precondition(
          "llm.provider 'builtin' is not registered yet (chat/ registers it with llm::register_llm_provider)");
    }
    std::vector<std::string> known = llm_provider_names();
    known.push_back("builtin");
    return Status::invalid_argument("llm.provider '" + std::string(name) + "' is unknown (known: " +
                                    join(known, ", ") + ")");
  }
  ATIENDE_ASSIGN_OR_RETURN(ProviderDeps complete_deps, with_defaults(config, deps));
  auto client = factory(config, complete_deps);
  if (!client.ok()) return client.status().with_context("llm.provider '" + std::string(name) + "'");
  return client;
}

}  // namespace atiende::llm
