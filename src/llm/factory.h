#pragma once
/// Providers by name (config `llm.provider` = builtin | openai | bedrock), DuckDB-style: a
/// registry keyed by name with a duplicate check. `openai` and `bedrock` are built in; `builtin`
/// (the extractive, no-model responder) needs retrieval, so chat/ registers it at start-up:
///
///   llm::register_llm_provider("builtin", [retriever](const Config& c, const llm::ProviderDeps& d)
///       -> Result<std::unique_ptr<llm::LlmClient>> { return std::make_unique<BuiltinLlm>(...); });

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "llm/llm_client.h"
#include "net/http_client.h"

namespace atiende::llm {

/// Shared services handed to every provider factory. Null members get defaults (a new
/// HttpClient, system_clock(), system_random()).
struct ProviderDeps {
  std::shared_ptr<net::HttpClient> http;
  const Clock* clock = nullptr;
  Random* random = nullptr;
};

using ProviderFactory =
    std::function<Result<std::unique_ptr<LlmClient>>(const Config& config, const ProviderDeps& deps)>;

/// Registers a provider. already_exists when the name is taken (use replace_llm_provider in
/// tests). Thread-safe.
Status register_llm_provider(std::string name, ProviderFactory factory);
/// Registers or replaces.
void replace_llm_provider(std::string name, ProviderFactory factory);
/// Sorted registered names.
std::vector<std::string> llm_provider_names();

/// Builds the provider named by `llm.provider` (default "builtin").
Result<std::unique_ptr<LlmClient>> make_llm_client(const Config& config, const ProviderDeps& deps = {});
/// Builds a provider by name. invalid_argument for an unknown name (the message lists the known
/// ones); failed_precondition for "builtin" before chat/ registered it.
Result<std::unique_ptr<LlmClient>> make_llm_client_named(std::string_view name, const Config& config,
                                                         const ProviderDeps& deps = {});

}  // namespace atiende::llm
