#include "llm/llm_client.h"

#include <mutex>
#include <unordered_map>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include "llm/internal.h"

namespace atiende::llm {

std::string_view role_name(Role role) {
  switch (role) {
    case Role::kSystem: return "system";
    case Role::kUser: return "user";
    case Role::kAssistant: return "assistant";
    case Role::kTool: return "tool";
  }
  return "user";
}

std::string_view finish_reason_name(FinishReason reason) {
  switch (reason) {
    case FinishReason::kStop: return "stop";
    case FinishReason::kLength: return "length";
    case FinishReason::kToolCalls: return "tool_calls";
    case FinishReason::kContentFilter: return "content_filter";
    case FinishReason::kCancelled: return "cancelled";
    case FinishReason::kUnknown: return "unknown";
  }
  return "unknown";
}

net::Awaitable<Result<ChatResponse>> LlmClient::complete_async(ChatRequest request) {
  co_return complete(request);
}

net::Awaitable<Status> LlmClient::stream_async(ChatRequest request, StreamSink& sink) {
  co_return stream(request, sink);
}

namespace internal {

Status run_blocking(std::function<net::Awaitable<Status>()> body) {
  boost::asio::io_context ioc;
  Status result = Status::internal("LLM call did not run");
  boost::asio::co_spawn(
      ioc, [&]() -> net::Awaitable<void> { result = co_await body(); },
      [&](std::exception_ptr e) {
        if (e) result = Status::internal("LLM call failed with an exception");
      });
  ioc.run();
  return result;
}

Result<net::RequestOptions> request_options_from_config(const Config& config) {
  net::RequestOptions o;
  ATIENDE_ASSIGN_OR_RETURN(int64_t connect_ms, config.get_int("llm.connect_timeout_ms", 5000));
  ATIENDE_ASSIGN_OR_RETURN(int64_t idle_ms, config.get_int("llm.idle_timeout_ms", 30000));
  ATIENDE_ASSIGN_OR_RETURN(int64_t total_ms, config.get_int("llm.timeout_ms", 120000));
  ATIENDE_ASSIGN_OR_RETURN(int64_t retries, config.get_int("llm.max_retries", 2));
  ATIENDE_ASSIGN_OR_RETURN(int64_t backoff_ms, config.get_int("llm.retry_initial_ms", 250));
  ATIENDE_ASSIGN_OR_RETURN(int64_t backoff_max_ms, config.get_int("llm.retry_max_ms", 4000));
  if (connect_ms <= 0 || idle_ms <= 0 || total_ms < 0 || retries < 0 || retries > 10 || backoff_ms < 0 ||
      backoff_max_ms < 0) {
    return Status::invalid_argument(
        "llm timeouts must be positive and llm.max_retries in 0..10 (llm.connect_timeout_ms, llm.idle_timeout_ms, "
        "llm.timeout_ms, llm.max_retries, llm.retry_initial_ms, llm.retry_max_ms)");
  }
  o.connect_timeout = std::chrono::milliseconds(connect_ms);
  o.idle_timeout = std::chrono::milliseconds(idle_ms);
  o.total_timeout = std::chrono::milliseconds(total_ms);
  o.retry.max_attempts = static_cast<int>(retries) + 1;
  o.retry.initial_backoff = std::chrono::milliseconds(backoff_ms);
  o.retry.max_backoff = std::chrono::milliseconds(backoff_max_ms);
  // Only ever retried before any response byte reached us, so the upstream has not answered yet.
  o.retry.retry_non_idempotent = true;
  o.retry.retry_on_status = true;
  return o;
}

Result<net::CircuitBreaker::Options> breaker_options_from_config(const Config& config) {
  net::CircuitBreaker::Options o;
  ATIENDE_ASSIGN_OR_RETURN(int64_t failures, config.get_int("llm.breaker_failures", 5));
  ATIENDE_ASSIGN_OR_RETURN(int64_t open_ms, config.get_int("llm.breaker_open_ms", 30000));
  if (failures < 1 || open_ms < 0) {
    return Status::invalid_argument("llm.breaker_failures must be >= 1 and llm.breaker_open_ms >= 0");
  }
  o.failure_threshold = static_cast<int>(failures);
  o.open_duration = std::chrono::milliseconds(open_ms);
  return o;
}

Status http_error_status(std::string_view provider, int status, std::string_view message) {
  std::string m = std::string(provider) + ": upstream HTTP " + std::to_string(status);
  if (!message.empty()) m += ": " + std::string(message.substr(0, 300));
  if (status == 401) return Status::unauthenticated(m);
  if (status == 403) return Status::permission_denied(m);
  if (status == 429) return Status::resource_exhausted(m);
  if (status == 408 || status >= 500) return Status::unavailable(m);
  if (status == 404) return Status::not_found(m);
  return Status::invalid_argument(m);
}

bool counts_as_upstream_failure(const Status& status) {
  switch (status.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kResourceExhausted:
    case StatusCode::kDataLoss:
    case StatusCode::kInternal:
      return true;
    default:
      return false;
  }
}

Result<std::shared_ptr<const CheckedSchema>> checked_tool_schema(const ToolSpec& tool) {
  static constexpr size_t kMaxEntries = 256;
  static std::mutex mutex;
  static std::unordered_map<std::string, std::shared_ptr<const CheckedSchema>> checked;
  {
    std::lock_guard lock(mutex);
    if (auto it = checked.find(tool.parameters_schema_json); it != checked.end()) return it->second;
  }
  auto parsed = parse_json(tool.parameters_schema_json);
  if (!parsed.ok() || !parsed->is_object()) {
    return Status::invalid_argument("tool '" + tool.name + "' has an invalid JSON Schema for its parameters");
  }
  auto schema = std::make_shared<CheckedSchema>();
  schema->compact = dump_json(*parsed);
  schema->parsed = std::move(parsed).value();
  std::lock_guard lock(mutex);
  if (checked.size() >= kMaxEntries) checked.clear();
  checked.emplace(tool.parameters_schema_json, schema);
  return std::shared_ptr<const CheckedSchema>(std::move(schema));
}

}  // namespace internal
}  // namespace atiende::llm
