#pragma once
/// Helpers shared by the network providers of llm/. Not part of the module's public API.

#include <functional>
#include <memory>
#include <string_view>

#include "common/config.h"
#include "common/json.h"
#include "common/status.h"
#include "net/async.h"
#include "net/http_client.h"
#include "net/retry.h"
#include "llm/types.h"

/// ATIENDE_RETURN_IF_ERROR for coroutines.
#define LLM_CO_RETURN_IF_ERROR(expr)       \
  do {                                     \
    ::atiende::Status llm_status_ = (expr); \
    if (!llm_status_.ok()) co_return llm_status_; \
  } while (false)

namespace atiende::llm::internal {

/// Runs a coroutine to completion on a private io_context (the blocking forms).
Status run_blocking(std::function<net::Awaitable<Status>()> body);

/// llm.connect_timeout_ms (5000), llm.idle_timeout_ms (30000, between tokens), llm.timeout_ms
/// (120000, whole call), llm.max_retries (2), llm.retry_initial_ms (250), llm.retry_max_ms (4000).
Result<net::RequestOptions> request_options_from_config(const Config& config);

/// llm.breaker_failures (5 consecutive), llm.breaker_open_ms (30000).
Result<net::CircuitBreaker::Options> breaker_options_from_config(const Config& config);

/// Maps an upstream HTTP error status to a Status whose message names the provider.
Status http_error_status(std::string_view provider, int status, std::string_view message);

/// True for outcomes that should trip the circuit breaker (not caller errors or cancels).
bool counts_as_upstream_failure(const Status& status);

/// A tool's parameter schema, checked to be a JSON object.
struct CheckedSchema {
  Json parsed;
  std::string compact;  ///< `parsed` as compact JSON text
};

/// `tool.parameters_schema_json` checked and parsed, or invalid_argument naming the tool. Every
/// agent turn offers the same tools, so results are kept by schema text (up to 256 texts,
/// thread-safe) instead of parsing each schema every turn.
Result<std::shared_ptr<const CheckedSchema>> checked_tool_schema(const ToolSpec& tool);

}  // namespace atiende::llm::internal
