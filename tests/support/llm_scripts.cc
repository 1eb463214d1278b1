#include "support/llm_scripts.h"

#include <ctime>

#include "common/json.h"
#include "common/strings.h"
#include "net/event_stream.h"

namespace atiende::testing {

std::string sse_data(const std::string& json) { return "data: " + json + "\n\n"; }

std::string openai_text_chunk(const std::string& text, const std::string& model) {
  Json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"model", model},
            {"choices", Json::array({{{"index", 0}, {"delta", {{"content", text}}}, {"finish_reason", nullptr}}})}};
  return dump_json(j);
}

std::string openai_tool_chunk(int index, const std::string& id, const std::string& name,
                              const std::string& arguments_piece) {
  Json call = {{"index", index}, {"function", {{"arguments", arguments_piece}}}};
  if (!id.empty()) {
    call["id"] = id;
    call["type"] = "function";
  }
  if (!name.empty()) call["function"]["name"] = name;
  Json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"model", "scripted-model"},
            {"choices", Json::array({{{"index", 0}, {"delta", {{"tool_calls", Json::array({call})}}},
                                      {"finish_reason", nullptr}}})}};
  return dump_json(j);
}

std::string openai_finish_chunk(const std::string& finish_reason) {
  Json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"model", "scripted-model"},
            {"choices", Json::array({{{"index", 0}, {"delta", Json::object()}, {"finish_reason", finish_reason}}})}};
  return dump_json(j);
}

std::string openai_usage_chunk(int prompt_tokens, int completion_tokens) {
  Json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion.chunk"}, {"model", "scripted-model"},
            {"choices", Json::array()},
            {"usage", {{"prompt_tokens", prompt_tokens}, {"completion_tokens", completion_tokens},
                       {"total_tokens", prompt_tokens + completion_tokens}}}};
  return dump_json(j);
}

ScriptedResponse openai_stream(const std::vector<std::string>& tokens, int prompt_tokens) {
  ScriptedResponse r;
  r.header("Content-Type", "text/event-stream");
  for (const auto& t : tokens) r.chunk(sse_data(openai_text_chunk(t)));
  r.chunk(sse_data(openai_finish_chunk("stop")));
  r.chunk(sse_data(openai_usage_chunk(prompt_tokens, static_cast<int>(tokens.size()))));
  r.chunk("data: [DONE]\n\n");
  return r;
}

ScriptedResponse openai_tool_call_stream(const std::string& id, const std::string& name,
                                         const std::vector<std::string>& pieces) {
  ScriptedResponse r;
  r.header("Content-Type", "text/event-stream");
  for (size_t i = 0; i < pieces.size(); ++i) {
    r.chunk(sse_data(openai_tool_chunk(0, i == 0 ? id : "", i == 0 ? name : "", pieces[i])));
  }
  r.chunk(sse_data(openai_finish_chunk("tool_calls")));
  r.chunk("data: [DONE]\n\n");
  return r;
}

ScriptedResponse openai_completion(const std::string& content) {
  Json j = {{"id", "chatcmpl-1"}, {"object", "chat.completion"}, {"model", "scripted-model"},
            {"choices", Json::array({{{"index", 0}, {"message", {{"role", "assistant"}, {"content", content}}},
                                      {"finish_reason", "stop"}}})},
            {"usage", {{"prompt_tokens", 7}, {"completion_tokens", 3}, {"total_tokens", 10}}}};
  return ScriptedResponse::full(200, dump_json(j));
}

ScriptedResponse openai_error(int status, const std::string& message) {
  Json j = {{"error", {{"message", message}, {"type", "scripted_error"}}}};
  return ScriptedResponse::full(status, dump_json(j));
}

std::string bedrock_event(const std::string& event_type, const std::string& payload_json) {
  net::EventStreamMessage m;
  m.headers.push_back(net::string_header(":event-type", event_type));
  m.headers.push_back(net::string_header(":content-type", "application/json"));
  m.headers.push_back(net::string_header(":message-type", "event"));
  m.payload = payload_json;
  return net::encode_event_stream_message(m);
}

std::string with_bad_crc(std::string frame) {
  frame[frame.size() - 1] = static_cast<char>(frame[frame.size() - 1] ^ 0x5A);
  return frame;
}

std::string bedrock_exception(const std::string& exception_type, const std::string& message) {
  net::EventStreamMessage m;
  m.headers.push_back(net::string_header(":exception-type", exception_type));
  m.headers.push_back(net::string_header(":content-type", "application/json"));
  m.headers.push_back(net::string_header(":message-type", "exception"));
  m.payload = dump_json(Json{{"message", message}});
  return net::encode_event_stream_message(m);
}

ScriptedResponse bedrock_text_stream(const std::vector<std::string>& tokens) {
  ScriptedResponse r;
  r.header("Content-Type", "application/vnd.amazon.eventstream");
  r.chunk(bedrock_event("messageStart", "{\"role\":\"assistant\"}"));
  for (const auto& t : tokens) {
    r.chunk(bedrock_event("contentBlockDelta", dump_json(Json{{"contentBlockIndex", 0}, {"delta", {{"text", t}}}})));
  }
  r.chunk(bedrock_event("contentBlockStop", "{\"contentBlockIndex\":0}"));
  r.chunk(bedrock_event("messageStop", "{\"stopReason\":\"end_turn\"}"));
  r.chunk(bedrock_event("metadata", "{\"usage\":{\"inputTokens\":12,\"outputTokens\":" +
                                        std::to_string(tokens.size()) + ",\"totalTokens\":" +
                                        std::to_string(12 + tokens.size()) + "},\"metrics\":{\"latencyMs\":5}}"));
  return r;
}

ScriptedResponse bedrock_converse_reply(const std::string& text) {
  Json j = {{"output", {{"message", {{"role", "assistant"}, {"content", Json::array({{{"text", text}}})}}}}},
            {"stopReason", "end_turn"},
            {"usage", {{"inputTokens", 9}, {"outputTokens", 4}, {"totalTokens", 13}}}};
  return ScriptedResponse::full(200, dump_json(j));
}

namespace {

std::chrono::system_clock::time_point parse_amz_date(std::string_view s) {
  std::tm tm{};
  strptime(std::string(s).c_str(), "%Y%m%dT%H%M%SZ", &tm);
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

// Recomputes the Authorization header from what the server received.
bool signature_matches(const RecordedRequest& req, const net::AwsCredentials& creds, const std::string& region) {
  auto auth = net::find_header(req.headers, "authorization");
  auto date = net::find_header(req.headers, "x-amz-date");
  if (!auth || !date) return false;
  const size_t sh = auth->find("SignedHeaders=");
  if (sh == std::string_view::npos) return false;
  std::string_view signed_list = auth->substr(sh + 14);
  signed_list = signed_list.substr(0, signed_list.find(','));
  net::SigV4Request r;
  r.method = req.method;
  const size_t q = req.target.find('?');
  r.path = req.target.substr(0, q);
  if (q != std::string::npos) r.query = req.target.substr(q + 1);
  r.body = req.body;
  for (std::string_view name : split(signed_list, ';')) {
    if (name == "x-amz-date" || name == "x-amz-security-token") continue;  // the signer adds them
    auto v = net::find_header(req.headers, name);
    if (!v) return false;
    r.headers.push_back({std::string(name), std::string(*v)});
  }
  net::SigV4Params p;
  p.region = region;
  p.service = "bedrock";
  p.time = parse_amz_date(*date);
  auto expected = net::sigv4_sign_headers(r, creds, p);
  if (!expected.ok()) return false;
  return std::string(*auth) == expected->added_headers.back().value;
}

}  // namespace

BedrockTestServer::BedrockTestServer(net::AwsCredentials credentials, std::string region)
    : credentials_(std::move(credentials)), region_(std::move(region)) {
  server_.set_handler([this](const RecordedRequest& req) -> std::optional<ScriptedResponse> {
    if (signature_matches(req, credentials_, region_)) {
      std::lock_guard lock(mutex_);
      ++ok_;
      return std::nullopt;
    }
    std::lock_guard lock(mutex_);
    ++failures_;
    return ScriptedResponse::full(
        403, "{\"message\":\"The request signature we calculated does not match the signature you provided.\"}");
  });
}

size_t BedrockTestServer::signature_failures() const {
  std::lock_guard lock(mutex_);
  return failures_;
}

size_t BedrockTestServer::signatures_ok() const {
  std::lock_guard lock(mutex_);
  return ok_;
}

}  // namespace atiende::testing
