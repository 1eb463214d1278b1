#include "llm/openai_client.h"

#include <map>

#include "common/json.h"
#include "common/strings.h"
#include "llm/internal.h"
#include "llm/openai_chunk.h"
#include "net/http_stream.h"
#include "net/sse.h"
#include "text/json_string.h"

namespace atiende::llm {

namespace {

constexpr std::string_view kProvider = "openai";

/// Appends `prefix` (e.g. `,"name":`) and `value` as a JSON string.
void append_string_member(std::string& out, std::string_view prefix, std::string_view value) {
  out += prefix;
  text::append_json_string(out, value);
}

/// Appends `"tools"` and `"tool_choice"` of the body (agent turns).
Status append_tools(std::string& out, const ChatRequest& request) {
  out += ",\"tools\":[";
  for (size_t i = 0; i < request.tools.size(); ++i) {
    const ToolSpec& tool = request.tools[i];
    ATIENDE_ASSIGN_OR_RETURN(auto schema, internal::checked_tool_schema(tool));
    if (i > 0) out += ',';
    append_string_member(out, "{\"type\":\"function\",\"function\":{\"name\":", tool.name);
    append_string_member(out, ",\"description\":", tool.description);
    out += ",\"parameters\":";
    out += schema->compact;
    out += "}}";
  }
  const std::string& choice = request.tool_choice;
  if (choice.empty() || choice == "auto" || choice == "none" || choice == "required") {
    append_string_member(out, "],\"tool_choice\":", choice.empty() ? "auto" : choice);
  } else {
    append_string_member(out, "],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":", choice);
    out += "}}";
  }
  return Status{};
}

/// One message of the body's "messages" array.
void append_message(std::string& out, const Message& m) {
  append_string_member(out, "{\"role\":", role_name(m.role));
  if (m.role == Role::kAssistant && !m.tool_calls.empty()) {
    if (m.content.empty()) {
      out += ",\"content\":null";
    } else {
      append_string_member(out, ",\"content\":", m.content);
    }
    out += ",\"tool_calls\":[";
    for (size_t i = 0; i < m.tool_calls.size(); ++i) {
      const ToolCall& call = m.tool_calls[i];
      if (i > 0) out += ',';
      append_string_member(out, "{\"id\":", call.id);
      append_string_member(out, ",\"type\":\"function\",\"function\":{\"name\":", call.name);
      append_string_member(out, ",\"arguments\":", call.arguments_json);
      out += "}}";
    }
    out += ']';
  } else {
    append_string_member(out, ",\"content\":", m.content);
  }
  if (m.role == Role::kTool) {
    append_string_member(out, ",\"tool_call_id\":", m.tool_call_id);
    if (!m.name.empty()) append_string_member(out, ",\"name\":", m.name);
  }
  out += '}';
}

/// The JSON body of POST /chat/completions, written as text: the prompt (system prompt, passages,
/// history) is the largest thing sent each turn, and a JSON tree of it cost more than the rest of
/// the request.
Result<std::string> build_body(const OpenAiOptions& options, const ChatRequest& request, bool stream) {
  std::string out;
  size_t expected = 256;
  for (const auto& m : request.messages) expected += m.content.size() + 64;
  out.reserve(expected + expected / 16);
  append_string_member(out, "{\"model\":", request.model.empty() ? options.model : request.model);
  out += ",\"messages\":[";
  for (size_t i = 0; i < request.messages.size(); ++i) {
    if (i > 0) out += ',';
    append_message(out, request.messages[i]);
  }
  out += ']';
  if (!request.tools.empty()) {
    ATIENDE_RETURN_IF_ERROR(append_tools(out, request));
  }
  if (request.temperature) out += ",\"temperature\":" + dump_json(Json(*request.temperature));
  if (request.max_tokens) out += ",\"max_tokens\":" + std::to_string(*request.max_tokens);
  if (!request.stop.empty()) out += ",\"stop\":" + dump_json(Json(request.stop));
  out += stream ? ",\"stream\":true" : ",\"stream\":false";
  if (stream && options.include_usage) out += ",\"stream_options\":{\"include_usage\":true}";
  out += '}';
  return out;
}

FinishReason parse_finish(std::string_view s) {
  if (s == "stop" || s == "eos") return FinishReason::kStop;
  if (s == "length") return FinishReason::kLength;
  if (s == "tool_calls" || s == "function_call") return FinishReason::kToolCalls;
  if (s == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

Usage parse_usage(const Json& u) {
  Usage usage;
  if (!u.is_object()) return usage;
  auto num = [&](const char* k) { return u.contains(k) && u[k].is_number_integer() ? u[k].get<int64_t>() : 0; };
  usage.prompt_tokens = num("prompt_tokens");
  usage.completion_tokens = num("completion_tokens");
  usage.total_tokens = num("total_tokens");
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

std::string string_or_empty(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return {};
  return j[key].get<std::string>();
}

// The message of an OpenAI-style error body, or a bounded raw excerpt.
std::string error_message(std::string_view body) {
  auto json = parse_json(body);
  if (json.ok() && json->is_object() && json->contains("error")) {
    const Json& e = (*json)["error"];
    if (e.is_string()) return e.get<std::string>();
    if (std::string m = string_or_empty(e, "message"); !m.empty()) return m;
  }
  if (json.ok() && json->is_object()) {
    if (std::string m = string_or_empty(*json, "message"); !m.empty()) return m;
  }
  return std::string(body.substr(0, 200));
}

net::HttpRequest make_http_request(const OpenAiOptions& options, std::string body, bool stream) {
  net::HttpRequest req;
  req.method = "POST";
  std::string base = options.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  req.url = base + "/chat/completions";
  req.headers.push_back({"Content-Type", "application/json"});
  req.headers.push_back({"Accept", stream ? "text/event-stream" : "application/json"});
  if (!options.api_key.empty()) req.headers.push_back({"Authorization", "Bearer " + options.api_key});
  req.body = std::move(body);
  return req;
}

// Assembles a streamed answer from chat.completion.chunk objects.
class StreamState {
 public:
  explicit StreamState(StreamSink& sink) : sink_(sink) {}

  // Handles one SSE data payload. Sets done_ on [DONE].
  Status on_data(std::string_view data) {
    if (trim(data) == "[DONE]") {
      done_ = true;
      return Status{};
    }
    if (internal::read_plain_chunk(data, plain_)) {  // the common case: no JSON tree
      if (plain_.model && !plain_.model->empty()) model_ = *plain_.model;
      for (const std::string& text : plain_.texts) {
        if (!text.empty()) sink_.on_text(text);
      }
      for (const std::string& reason : plain_.finish_reasons) {
        finish_ = parse_finish(reason);
        have_finish_ = true;
      }
      return Status{};
    }
    auto json = parse_json(data);
    if (!json.ok() || !json->is_object()) {
      return Status::unavailable("openai: malformed upstream stream frame (not a JSON object)");
    }
    const Json& chunk = *json;
    if (chunk.contains("error")) {
      return Status::unavailable("openai: upstream error in stream: " + error_message(data));
    }
    if (std::string m = string_or_empty(chunk, "model"); !m.empty()) model_ = m;
    if (chunk.contains("usage") && chunk["usage"].is_object()) {
      usage_ = parse_usage(chunk["usage"]);
      have_usage_ = true;
    }
    if (!chunk.contains("choices")) return Status{};
    if (!chunk["choices"].is_array()) return Status::unavailable("openai: malformed upstream frame (choices)");
    for (const Json& choice : chunk["choices"]) {
      if (!choice.is_object()) return Status::unavailable("openai: malformed upstream frame (choice)");
      if (choice.contains("delta") && choice["delta"].is_object()) {
        const Json& delta = choice["delta"];
        if (delta.contains("content") && delta["content"].is_string()) {
          const std::string& text = delta["content"].get_ref<const std::string&>();
          if (!text.empty()) sink_.on_text(text);
        }
        if (delta.contains("tool_calls")) {
          if (!delta["tool_calls"].is_array()) return Status::unavailable("openai: malformed tool_calls in stream");
          for (const Json& tc : delta["tool_calls"]) {
            ATIENDE_RETURN_IF_ERROR(on_tool_call_piece(tc));
          }
        }
      }
      if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
        finish_ = parse_finish(choice["finish_reason"].get<std::string>());
        have_finish_ = true;
      }
    }
    return Status{};
  }

  Status finish() {
    if (!done_ && !have_finish_) {
      return Status::unavailable("openai: upstream stream ended before the answer was complete");
    }
    for (auto& [index, call] : calls_) sink_.on_tool_call(call);
    if (have_usage_) sink_.on_usage(usage_);
    FinishReason reason = have_finish_ ? finish_ : FinishReason::kStop;
    if (!calls_.empty() && reason == FinishReason::kStop) reason = FinishReason::kToolCalls;
    sink_.on_finish(reason, model_);
    return Status{};
  }

  bool done() const { return done_; }

 private:
  Status on_tool_call_piece(const Json& tc) {
    if (!tc.is_object()) return Status::unavailable("openai: malformed tool call piece in stream");
    int index = static_cast<int>(calls_.size());
    if (tc.contains("index") && tc["index"].is_number_integer()) index = tc["index"].get<int>();
    if (index < 0 || index > 128) return Status::unavailable("openai: tool call index out of range in stream");
    ToolCall& call = calls_[index];
    std::string id = string_or_empty(tc, "id");
    std::string name;
    std::string args;
    if (tc.contains("function") && tc["function"].is_object()) {
      name = string_or_empty(tc["function"], "name");
      args = string_or_empty(tc["function"], "arguments");
    }
    if (!id.empty()) call.id = id;
    if (!name.empty()) call.name += name;
    call.arguments_json += args;
    if (call.arguments_json.size() > (1u << 20)) return Status::unavailable("openai: tool call arguments too large");
    sink_.on_tool_call_delta(index, id, name, args);
    return Status{};
  }

  StreamSink& sink_;
  internal::PlainChunk plain_;  ///< reused by every chunk
  std::map<int, ToolCall> calls_;
  std::string model_;
  Usage usage_;
  bool have_usage_ = false;
  FinishReason finish_ = FinishReason::kUnknown;
  bool have_finish_ = false;
  bool done_ = false;
};

}  // namespace

Result<OpenAiOptions> openai_options_from_config(const Config& config) {
  OpenAiOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.base_url, config.get_string("llm.base_url", o.base_url));
  ATIENDE_ASSIGN_OR_RETURN(o.model, config.get_string("llm.model", o.model));
  ATIENDE_ASSIGN_OR_RETURN(o.api_key, config.get_string("llm.api_key", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.include_usage, config.get_bool("llm.include_usage", true));
  ATIENDE_ASSIGN_OR_RETURN(o.request, internal::request_options_from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(o.breaker, internal::breaker_options_from_config(config));
  if (o.base_url.rfind("http://", 0) != 0 && o.base_url.rfind("https://", 0) != 0) {
    return Status::invalid_argument("llm.base_url must start with http:// or https:// (got '" + o.base_url + "')");
  }
  if (o.model.empty()) return Status::invalid_argument("llm.model is empty");
  return o;
}

OpenAiClient::OpenAiClient(OpenAiOptions options, std::shared_ptr<net::HttpClient> http, const Clock& clock)
    : options_(std::move(options)), http_(std::move(http)), breaker_(options_.breaker, clock) {
  if (!http_) http_ = std::make_shared<net::HttpClient>();
}

Result<std::string> OpenAiClient::request_body_for_test(const ChatRequest& request, bool stream) const {
  return build_body(options_, request, stream);
}

Status OpenAiClient::stream(const ChatRequest& request, StreamSink& sink) {
  return internal::run_blocking([&]() { return stream_impl(request, sink); });
}

net::Awaitable<Status> OpenAiClient::stream_async(ChatRequest request, StreamSink& sink) {
  co_return co_await stream_impl(request, sink);
}

Result<ChatResponse> OpenAiClient::complete(const ChatRequest& request) {
  Result<ChatResponse> out = Status::internal("not run");
  Status s = internal::run_blocking([&]() -> net::Awaitable<Status> {
    out = co_await complete_impl(request);
    co_return Status{};
  });
  if (!s.ok()) return s;
  return out;
}

net::Awaitable<Result<ChatResponse>> OpenAiClient::complete_async(ChatRequest request) {
  co_return co_await complete_impl(request);
}

net::Awaitable<Status> OpenAiClient::stream_impl(const ChatRequest& request, StreamSink& sink) {
  auto body = build_body(options_, request, /*stream=*/true);
  if (!body.ok()) co_return body.status();
  if (!breaker_.allow()) {
    co_return Status::unavailable("openai: circuit breaker open after repeated upstream failures; retry in " +
                                  std::to_string(breaker_.retry_after_ms()) + " ms");
  }
  Status result = co_await stream_once(std::move(body).value(), sink);
  if (result.ok()) {
    breaker_.record_success();
  } else if (internal::counts_as_upstream_failure(result)) {
    breaker_.record_failure();
  }
  co_return result;
}

net::Awaitable<Status> OpenAiClient::stream_once(std::string body, StreamSink& sink) {
  net::HttpRequest http_request = make_http_request(options_, std::move(body), true);
  auto opened = co_await net::HttpStream::open(*http_, std::move(http_request), options_.request, sink.cancellation());
  if (!opened.ok()) co_return opened.status().with_context("openai");
  std::unique_ptr<net::HttpStream> stream = std::move(opened).value();
  const net::HttpResponse& head = stream->head();
  if (head.status >= 400) co_return internal::http_error_status(kProvider, head.status, error_message(head.body));
  if (head.status != 200) co_return internal::http_error_status(kProvider, head.status, "unexpected status");
  net::SseParser parser;
  StreamState state(sink);
  std::vector<net::SseEvent> events;
  bool eof = false;
  Status fed;
  while (!state.done() && !eof) {
    events.clear();
    auto piece = co_await stream->next();
    if (!piece.ok()) co_return piece.status().with_context("openai");
    if (!*piece) {
      eof = true;
      if (auto last = parser.finish()) events.push_back(std::move(*last));
    } else {
      fed = parser.feed(**piece, events);  // events before a malformed part still count
    }
    for (const auto& ev : events) {
      if (ev.event == "error") co_return Status::unavailable("openai: upstream error event: " + error_message(ev.data));
      LLM_CO_RETURN_IF_ERROR(state.on_data(ev.data));
      if (sink.cancel_requested()) {
        stream->close();
        co_return Status::cancelled("openai: stream cancelled by the receiver");
      }
      if (state.done()) break;
    }
    if (!fed.ok() && !state.done()) {
      co_return Status::unavailable("openai: malformed upstream stream: " + fed.message());
    }
  }
  stream->release();  // reads the body's end in the background and keeps the connection
  co_return state.finish();
}

net::Awaitable<Result<ChatResponse>> OpenAiClient::complete_impl(const ChatRequest& request) {
  auto body = build_body(options_, request, /*stream=*/false);
  if (!body.ok()) co_return body.status();
  if (!breaker_.allow()) {
    co_return Status::unavailable("openai: circuit breaker open after repeated upstream failures; retry in " +
                                  std::to_string(breaker_.retry_after_ms()) + " ms");
  }
  Result<ChatResponse> result = co_await complete_once(std::move(body).value());
  if (result.ok()) {
    breaker_.record_success();
  } else if (internal::counts_as_upstream_failure(result.status())) {
    breaker_.record_failure();
  }
  co_return result;
}

net::Awaitable<Result<ChatResponse>> OpenAiClient::complete_once(std::string body) {
  net::HttpRequest http_request = make_http_request(options_, std::move(body), false);
  auto fetched = co_await net::async_fetch(*http_, std::move(http_request), options_.request);
  if (!fetched.ok()) co_return fetched.status().with_context("openai");
  if (fetched->status >= 400) {
    co_return internal::http_error_status(kProvider, fetched->status, error_message(fetched->body));
  }
  auto json = parse_json(fetched->body);
  if (!json.ok() || !json->is_object()) co_return Status::unavailable("openai: malformed upstream reply (not JSON)");
  const Json& j = *json;
  if (j.contains("error")) co_return Status::unavailable("openai: upstream error: " + error_message(fetched->body));
  if (!j.contains("choices") || !j["choices"].is_array() || j["choices"].empty() || !j["choices"][0].is_object()) {
    co_return Status::unavailable("openai: malformed upstream reply (no choices)");
  }
  const Json& choice = j["choices"][0];
  ChatResponse out;
  out.provider = "openai";
  out.model = string_or_empty(j, "model");
  if (out.model.empty()) out.model = options_.model;
  if (choice.contains("message") && choice["message"].is_object()) {
    const Json& msg = choice["message"];
    out.content = string_or_empty(msg, "content");
    if (msg.contains("tool_calls") && msg["tool_calls"].is_array()) {
      for (const Json& tc : msg["tool_calls"]) {
        if (!tc.is_object()) co_return Status::unavailable("openai: malformed tool call in reply");
        ToolCall call;
        call.id = string_or_empty(tc, "id");
        if (tc.contains("function") && tc["function"].is_object()) {
          call.name = string_or_empty(tc["function"], "name");
          const Json& args = tc["function"].value("arguments", Json());
          call.arguments_json = args.is_string() ? args.get<std::string>() : dump_json(args);
        }
        out.tool_calls.push_back(std::move(call));
      }
    }
  }
  out.finish_reason = parse_finish(string_or_empty(choice, "finish_reason"));
  if (j.contains("usage")) out.usage = parse_usage(j["usage"]);
  co_return out;
}

}  // namespace atiende::llm
