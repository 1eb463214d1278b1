#include "llm/bedrock_client.h"

#include <map>
#include <set>

#include "common/json.h"
#include "common/strings.h"
#include "llm/internal.h"
#include "net/event_stream.h"
#include "net/http_stream.h"
#include "net/url.h"

namespace atiende::llm {

namespace {

constexpr std::string_view kProvider = "bedrock";

std::string string_or_empty(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

Result<Json> parse_arguments(const ToolCall& call) {
  if (call.arguments_json.empty()) return Json::object();
  auto args = parse_json(call.arguments_json);
  if (!args.ok() || !args->is_object()) {
    return Status::invalid_argument("tool call '" + call.name + "' has arguments that are not a JSON object");
  }
  return std::move(args).value();
}

Result<Json> build_body(const ChatRequest& request) {
  Json body = Json::object();
  Json system = Json::array();
  Json messages = Json::array();
  // Bedrock wants alternating user/assistant turns: tool results go into user turns and
  // consecutive turns of the same role merge.
  auto append = [&](const std::string& role, Json block) {
    if (!messages.empty() && messages.back()["role"] == role) {
      messages.back()["content"].push_back(std::move(block));
    } else {
      messages.push_back({{"role", role}, {"content", Json::array({std::move(block)})}});
    }
  };
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::kSystem:
        system.push_back({{"text", m.content}});
        break;
      case Role::kUser:
        append("user", {{"text", m.content}});
        break;
      case Role::kAssistant:
        if (!m.content.empty()) append("assistant", {{"text", m.content}});
        for (const auto& call : m.tool_calls) {
          ATIENDE_ASSIGN_OR_RETURN(Json input, parse_arguments(call));
          append("assistant", {{"toolUse", {{"toolUseId", call.id}, {"name", call.name}, {"input", input}}}});
        }
        break;
      case Role::kTool:
        append("user", {{"toolResult",
                         {{"toolUseId", m.tool_call_id}, {"content", Json::array({{{"text", m.content}}})}}}});
        break;
    }
  }
  body["messages"] = std::move(messages);
  if (!system.empty()) body["system"] = std::move(system);
  Json inference = Json::object();
  if (request.max_tokens) inference["maxTokens"] = *request.max_tokens;
  if (request.temperature) inference["temperature"] = *request.temperature;
  if (!request.stop.empty()) inference["stopSequences"] = request.stop;
  if (!inference.empty()) body["inferenceConfig"] = std::move(inference);
  if (!request.tools.empty() && request.tool_choice != "none") {
    Json tools = Json::array();
    for (const auto& t : request.tools) {
      ATIENDE_ASSIGN_OR_RETURN(auto schema, internal::checked_tool_schema(t));
      tools.push_back({{"toolSpec", {{"name", t.name}, {"description", t.description},
                                     {"inputSchema", {{"json", schema->parsed}}}}}});
    }
    Json config = {{"tools", std::move(tools)}};
    if (request.tool_choice == "required") {
      config["toolChoice"] = {{"any", Json::object()}};
    } else if (!request.tool_choice.empty() && request.tool_choice != "auto") {
      config["toolChoice"] = {{"tool", {{"name", request.tool_choice}}}};
    }
    body["toolConfig"] = std::move(config);
  }
  return body;
}

FinishReason parse_stop(std::string_view s) {
  if (s == "end_turn" || s == "stop_sequence") return FinishReason::kStop;
  if (s == "max_tokens") return FinishReason::kLength;
  if (s == "tool_use") return FinishReason::kToolCalls;
  if (s == "content_filtered" || s == "guardrail_intervened") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

Usage parse_usage(const Json& u) {
  Usage usage;
  if (!u.is_object()) return usage;
  auto num = [&](const char* k) { return u.contains(k) && u[k].is_number_integer() ? u[k].get<int64_t>() : 0; };
  usage.prompt_tokens = num("inputTokens");
  usage.completion_tokens = num("outputTokens");
  usage.total_tokens = num("totalTokens");
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

std::string error_message(std::string_view body) {
  auto json = parse_json(body);
  if (json.ok() && json->is_object()) {
    if (std::string m = string_or_empty(*json, "message"); !m.empty()) return m;
    if (std::string m = string_or_empty(*json, "Message"); !m.empty()) return m;
  }
  return std::string(body.substr(0, 200));
}

// Assembles a ConverseStream answer from decoded event-stream messages.
class StreamState {
 public:
  StreamState(StreamSink& sink, std::string model) : sink_(sink), model_(std::move(model)) {}

  Status on_message(const net::EventStreamMessage& msg) {
    const std::string_view type = msg.header(":message-type");
    if (type == "exception") {
      return Status::unavailable("bedrock: upstream exception " + std::string(msg.header(":exception-type")) + ": " +
                                 error_message(msg.payload));
    }
    if (type == "error") {
      return Status::unavailable("bedrock: upstream error " + std::string(msg.header(":error-code")) + ": " +
                                 std::string(msg.header(":error-message")));
    }
    if (type != "event") return Status::unavailable("bedrock: unknown event-stream message type");
    const std::string_view event = msg.header(":event-type");
    auto parsed = parse_json(msg.payload);
    if (!parsed.ok() || !parsed->is_object()) {
      return Status::unavailable("bedrock: malformed " + std::string(event) + " event payload");
    }
    const Json& p = *parsed;
    const int block = p.contains("contentBlockIndex") && p["contentBlockIndex"].is_number_integer()
                          ? p["contentBlockIndex"].get<int>()
                          : -1;
    if (event == "contentBlockStart") {
      if (p.contains("start") && p["start"].is_object() && p["start"].contains("toolUse")) {
        const Json& tu = p["start"]["toolUse"];
        ToolCall call;
        call.id = string_or_empty(tu, "toolUseId");
        call.name = string_or_empty(tu, "name");
        const int index = static_cast<int>(tool_index_.size());
        tool_index_[block] = index;
        calls_[index] = call;
        sink_.on_tool_call_delta(index, call.id, call.name, "");
      }
    } else if (event == "contentBlockDelta") {
      if (!p.contains("delta") || !p["delta"].is_object()) return Status::unavailable("bedrock: malformed delta");
      const Json& d = p["delta"];
      if (d.contains("text") && d["text"].is_string()) {
        const std::string& text = d["text"].get_ref<const std::string&>();
        if (!text.empty()) sink_.on_text(text);
      } else if (d.contains("toolUse") && d["toolUse"].is_object()) {
        auto it = tool_index_.find(block);
        if (it == tool_index_.end()) return Status::unavailable("bedrock: tool input for an unknown content block");
        const std::string piece = string_or_empty(d["toolUse"], "input");
        calls_[it->second].arguments_json += piece;
        sink_.on_tool_call_delta(it->second, "", "", piece);
      }
    } else if (event == "contentBlockStop") {
      if (auto it = tool_index_.find(block); it != tool_index_.end()) {
        ToolCall& call = calls_[it->second];
        if (call.arguments_json.empty()) call.arguments_json = "{}";
        sink_.on_tool_call(call);
        completed_.insert(it->second);
      }
    } else if (event == "messageStop") {
      finish_ = parse_stop(string_or_empty(p, "stopReason"));
      stopped_ = true;
    } else if (event == "metadata") {
      if (p.contains("usage")) {
        usage_ = parse_usage(p["usage"]);
        have_usage_ = true;
      }
      metadata_ = true;
    }
    return Status{};
  }

  Status finish() {
    if (!stopped_) return Status::unavailable("bedrock: upstream stream ended before messageStop");
    for (auto& [index, call] : calls_) {
      if (!completed_.count(index)) sink_.on_tool_call(call);
    }
    if (have_usage_) sink_.on_usage(usage_);
    sink_.on_finish(finish_, model_);
    return Status{};
  }

 private:
  StreamSink& sink_;
  std::string model_;
  std::map<int, int> tool_index_;  // content block index -> tool call index
  std::map<int, ToolCall> calls_;
  std::set<int> completed_;
  Usage usage_;
  bool have_usage_ = false;
  bool metadata_ = false;
  bool stopped_ = false;
  FinishReason finish_ = FinishReason::kUnknown;
};

}  // namespace

Result<BedrockOptions> bedrock_options_from_config(const Config& config) {
  BedrockOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.model_id, config.get_string("llm.model", ""));
  if (o.model_id.empty()) {
    return Status::invalid_argument("llm.model must name the Bedrock model id (e.g. anthropic.claude-3-haiku-20240307-v1:0)");
  }
  ATIENDE_ASSIGN_OR_RETURN(o.endpoint, config.get_string("llm.bedrock_endpoint", ""));
  std::string region_default = "us-east-1";
  if (auto r = config.env()("AWS_REGION"); r && !r->empty()) {
    region_default = *r;
  } else if (auto d = config.env()("AWS_DEFAULT_REGION"); d && !d->empty()) {
    region_default = *d;
  }
  ATIENDE_ASSIGN_OR_RETURN(o.region, config.get_string("llm.region", region_default));
  ATIENDE_ASSIGN_OR_RETURN(o.credentials, net::aws_credentials_from_env(config.env()));
  ATIENDE_ASSIGN_OR_RETURN(o.request, internal::request_options_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(o.breaker, internal::breaker_options_from_config(config));
  return o;
}

BedrockClient::BedrockClient(BedrockOptions options, std::shared_ptr<net::HttpClient> http, const Clock& clock)
    : options_(std::move(options)), http_(std::move(http)), clock_(clock), breaker_(options_.breaker, clock) {
  if (!http_) http_ = std::make_shared<net::HttpClient>();
}

Result<std::string> BedrockClient::request_body_for_test(const ChatRequest& request) const {
  ATIENDE_ASSIGN_OR_RETURN(Json body, build_body(request));
  return dump_json(body);
}

Result<net::HttpRequest> BedrockClient::signed_request(const ChatRequest& request, bool stream) const {
  ATIENDE_ASSIGN_OR_RETURN(Json body, build_body(request));
  std::string base = options_.endpoint.empty() ? "https://bedrock-runtime." + options_.region + ".amazonaws.com"
                                               : options_.endpoint;
  while (!base.empty() && base.back() == '/') base.pop_back();
  ATIENDE_ASSIGN_OR_RETURN(net::Url url, net::parse_url(base));
  const std::string model = request.model.empty() ? options_.model_id : request.model;
  std::string base_path = url.path == "/" ? "" : url.path;
  const std::string path = base_path + "/model/" + net::uri_encode(model) + (stream ? "/converse-stream" : "/converse");

  net::SigV4Request to_sign;
  to_sign.method = "POST";
  to_sign.path = path;
  to_sign.headers = {{"Host", url.host_header()},
                     {"Content-Type", "application/json"},
                     {"Accept", stream ? "application/vnd.amazon.eventstream" : "application/json"}};
  to_sign.body = dump_json(body);
  net::SigV4Params params;
  params.region = options_.region;
  params.service = "bedrock";
  params.time = clock_.now();
  ATIENDE_ASSIGN_OR_RETURN(net::SigV4Result sig, net::sigv4_sign_headers(to_sign, options_.credentials, params));

  net::HttpRequest out;
  out.method = "POST";
  out.url = url.origin() + path;
  out.headers = to_sign.headers;
  for (auto& h : sig.added_headers) out.headers.push_back(std::move(h));
  out.body = std::move(to_sign.body);
  return out;
}

Status BedrockClient::stream(const ChatRequest& request, StreamSink& sink) {
  return internal::run_blocking([&]() { return stream_impl(request, sink); });
}

net::Awaitable<Status> BedrockClient::stream_async(ChatRequest request, StreamSink& sink) {
  co_return co_await stream_impl(request, sink);
}

Result<ChatResponse> BedrockClient::complete(const ChatRequest& request) {
  Result<ChatResponse> out = Status::internal("not run");
  Status s = internal::run_blocking([&]() -> net::Awaitable<Status> {
    out = co_await complete_impl(request);
    co_return Status{};
  });
  if (!s.ok()) return s;
  return out;
}

net::Awaitable<Result<ChatResponse>> BedrockClient::complete_async(ChatRequest request) {
  co_return co_await complete_impl(request);
}

net::Awaitable<Status> BedrockClient::stream_impl(const ChatRequest& request, StreamSink& sink) {
  auto http_request = signed_request(request, /*stream=*/true);
  if (!http_request.ok()) co_return http_request.status();
  if (!breaker_.allow()) {
    co_return Status::unavailable("bedrock: circuit breaker open after repeated upstream failures; retry in " +
                                  std::to_string(breaker_.retry_after_ms()) + " ms");
  }
  Status result = co_await stream_once(std::move(http_request).value(), sink);
  if (result.ok()) {
    breaker_.record_success();
  } else if (internal::counts_as_upstream_failure(result)) {
    breaker_.record_failure();
  }
  co_return result;
}

net::Awaitable<Status> BedrockClient::stream_once(net::HttpRequest http_request, StreamSink& sink) {
  auto opened = co_await net::HttpStream::open(*http_, std::move(http_request), options_.request, sink.cancellation());
  if (!opened.ok()) co_return opened.status().with_context("bedrock");
  std::unique_ptr<net::HttpStream> stream = std::move(opened).value();
  const net::HttpResponse& head = stream->head();
  if (head.status >= 400) co_return internal::http_error_status(kProvider, head.status, error_message(head.body));
  net::EventStreamDecoder decoder;
  StreamState state(sink, options_.model_id);
  std::vector<net::EventStreamMessage> messages;
  while (true) {
    auto piece = co_await stream->next();
    if (!piece.ok()) co_return piece.status().with_context("bedrock");
    if (!*piece) break;
    messages.clear();
    // The messages before a bad one in the same piece are good: they count (TCP may deliver a
    // good frame and a damaged one in one read).
    Status fed = decoder.feed(**piece, messages);
    for (const auto& msg : messages) {
      LLM_CO_RETURN_IF_ERROR(state.on_message(msg));
      if (sink.cancel_requested()) {
        stream->close();
        co_return Status::cancelled("bedrock: stream cancelled by the receiver");
      }
    }
    if (!fed.ok()) co_return Status::unavailable("bedrock: malformed event stream: " + fed.message());
  }
  if (!decoder.idle()) co_return Status::unavailable("bedrock: event stream ended inside a message");
  co_return state.finish();
}

net::Awaitable<Result<ChatResponse>> BedrockClient::complete_impl(const ChatRequest& request) {
  auto http_request = signed_request(request, /*stream=*/false);
  if (!http_request.ok()) co_return http_request.status();
  if (!breaker_.allow()) {
    co_return Status::unavailable("bedrock: circuit breaker open after repeated upstream failures; retry in " +
                                  std::to_string(breaker_.retry_after_ms()) + " ms");
  }
  Result<ChatResponse> result = co_await complete_once(std::move(http_request).value());
  if (result.ok()) {
    breaker_.record_success();
  } else if (internal::counts_as_upstream_failure(result.status())) {
    breaker_.record_failure();
  }
  co_return result;
}

net::Awaitable<Result<ChatResponse>> BedrockClient::complete_once(net::HttpRequest http_request) {
  auto fetched = co_await net::async_fetch(*http_, std::move(http_request), options_.request);
  if (!fetched.ok()) co_return fetched.status().with_context("bedrock");
  if (fetched->status >= 400) {
    co_return internal::http_error_status(kProvider, fetched->status, error_message(fetched->body));
  }
  auto json = parse_json(fetched->body);
  if (!json.ok() || !json->is_object()) co_return Status::unavailable("bedrock: malformed upstream reply (not JSON)");
  const Json& j = *json;
  if (!j.contains("output") || !j["output"].is_object() || !j["output"].contains("message") ||
      !j["output"]["message"].is_object()) {
    co_return Status::unavailable("bedrock: malformed upstream reply (no output.message)");
  }
  ChatResponse out;
  out.provider = "bedrock";
  out.model = options_.model_id;
  const Json& message = j["output"]["message"];
  if (message.contains("content") && message["content"].is_array()) {
    for (const Json& block : message["content"]) {
      if (!block.is_object()) continue;
      if (block.contains("text") && block["text"].is_string()) out.content += block["text"].get<std::string>();
      if (block.contains("toolUse") && block["toolUse"].is_object()) {
        const Json& tu = block["toolUse"];
        ToolCall call;
        call.id = string_or_empty(tu, "toolUseId");
        call.name = string_or_empty(tu, "name");
        call.arguments_json = tu.contains("input") ? dump_json(tu["input"]) : "{}";
        out.tool_calls.push_back(std::move(call));
      }
    }
  }
  out.finish_reason = parse_stop(string_or_empty(j, "stopReason"));
  if (j.contains("usage")) out.usage = parse_usage(j["usage"]);
  co_return out;
}

}  // namespace atiende::llm
