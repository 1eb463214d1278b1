// Conversation routes of `atiende serve` (issues 4 and 5), plus the embedded web UI.
//   POST /v1/chat/sessions                  {"customer_token"?, "language"?, "consent"?} -> {"session_id"}
//   POST /v1/chat/sessions/{id}/messages    {"text"}; SSE with Accept: text/event-stream
//   GET  /v1/chat/sessions/{id}             transcript
//   POST /v1/chat/sessions/{id}/feedback    {"message_id","rating":"up|down","comment"}
//   POST /v1/chat/sessions/{id}/survey      {"csat":1..5,"comment","resolved"}
//   POST /v1/chat/sessions/{id}/confirm     {"token","decision":"confirm|cancel"}
//   POST /v1/chat/completions               OpenAI-compatible facade (RAG + citations)

#include <atomic>
#include <mutex>

#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/json.h"
#include "http/json.h"
#include "http/sse.h"
#include "net/io_runner.h"
#include "retrieve/knowledge_base.h"
#include "store/conversations.h"
#include "text/json_string.h"

namespace atiende::app {
namespace {

Json citations_to_json(const std::vector<chat::Citation>& citations) {
  Json out = Json::array();
  for (const auto& c : citations) {
    out.push_back({{"n", c.number},       {"doc_id", c.doc_id}, {"chunk_id", c.chunk_id},
                   {"title", c.title},    {"snippet", c.snippet}, {"source", c.source},
                   {"start", c.start},    {"end", c.end},       {"page", c.page}});
  }
  return out;
}

Json done_json(const chat::TurnResult& r) {
  return {{"message_id", r.message_id},
          {"usage", {{"prompt_tokens", r.prompt_tokens}, {"completion_tokens", r.completion_tokens}}},
          {"latency_ms", r.latency_ms},
          {"provider", r.provider},
          {"language", r.language},
          {"abstained", r.abstained},
          {"fallback", r.fallback}};
}

/// Appends the SSE frame of a `token` event (`event: token` / `data: {"text": ...}`) to `out`.
void append_token_frame(std::string& out, std::string_view text) {
  out += "event: token\ndata: {\"text\":";
  text::append_json_string(out, text);
  out += "}\n\n";
}

/// Streams a turn as SSE frames. On the engine's LLM I/O thread, frames are gathered and written
/// once the burst of upstream events that produced them has been handled
/// (net::IoRunner::after_ready_handlers): one hand-off to the connection's I/O thread per burst
/// instead of one per token. Elsewhere (built-in and agent turns on a worker) they are written at
/// once. A turn's callbacks never run concurrently with each other, but with llm.io_threads > 1
/// the deferred flush runs on whichever runner thread handled the burst, outside the turn's
/// strand, so `pending_` is guarded, and held through the write to keep frames in order.
class SseTurnSink final : public chat::TurnSink,
                          public net::IoRunner::BurstHook,
                          public std::enable_shared_from_this<SseTurnSink> {
 public:
  explicit SseTurnSink(std::shared_ptr<http::StreamSink> sink) : sink_(std::move(sink)) {}
  void on_token(std::string_view text) override {
    bool first = false;
    {
      std::lock_guard lock(mutex_);
      first = pending_.empty();
      append_token_frame(pending_, text);  // straight into the pending frames: no temporary
    }
    if (first) schedule_flush();
  }
  void on_citations(const std::vector<chat::Citation>& citations) override {
    emit(http::sse_event("citations", dump_json({{"citations", citations_to_json(citations)}})));
  }
  void on_action(std::string_view event, const std::string& json) override {
    emit(http::sse_event(event, json));
  }
  bool cancelled() const override { return sink_->cancelled(); }
  void on_cancel(std::function<void()> callback) override { sink_->on_cancel(std::move(callback)); }

  /// Writes the turn's last event after everything gathered, and ends the response.
  void finish(std::string_view event, const std::string& data) {
    emit(http::sse_event(event, data));
    flush();
    sink_->close();
  }

 private:
  void emit(std::string_view frame) {
    {
      std::lock_guard lock(mutex_);
      const bool first = pending_.empty();
      pending_ += frame;
      if (!first) return;  // a flush is already queued
    }
    schedule_flush();
  }
  /// After the first frame of a burst: flush once the burst is handled (or now, off the runner).
  void schedule_flush() {
    if (!net::IoRunner::after_ready_handlers(weak_from_this())) flush();
  }
  void after_burst() override { flush(); }
  void flush() {
    std::lock_guard lock(mutex_);
    if (pending_.empty()) return;
    sink_->write(pending_);
    pending_.clear();  // keeps its capacity for the next burst
  }

  std::shared_ptr<http::StreamSink> sink_;
  std::mutex mutex_;
  std::string pending_;
};

/// Collects a turn for a plain JSON response.
class JsonTurnSink final : public chat::TurnSink {
 public:
  void on_token(std::string_view) override {}
  void on_citations(const std::vector<chat::Citation>&) override {}
  void on_action(std::string_view event, const std::string& json) override {
    Json action = parse_json(json).value_or(Json::object());
    action["event"] = std::string(event);
    actions.push_back(std::move(action));
  }
  Json actions = Json::array();
};

/// The session named by the route's {id}; not_found when there is none.
Result<store::Session> session_of(const http::Request& request,
                                  store::ConversationStore& conversations) {
  std::string id = request.param("id");
  ATIENDE_ASSIGN_OR_RETURN(auto session, conversations.get_session(id));
  if (!session) return Status::not_found("chat session '" + id + "' does not exist");
  return std::move(*session);
}

Result<std::string> session_id_of(const http::Request& request,
                                  store::ConversationStore& conversations) {
  ATIENDE_ASSIGN_OR_RETURN(store::Session session, session_of(request, conversations));
  return std::move(session.id);
}

bool wants_sse(const http::Request& request) {
  auto accept = request.headers.get("Accept");
  return accept && accept->find("text/event-stream") != std::string_view::npos;
}

Status install_chat_routes(http::Router& router, ServeContext& context) {
  // The web UI's files are registered by `atiende serve` itself (cmd_serve.cc).
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> rt, shared_chat_runtime(context));
  Status status;
  auto add = [&](std::string_view method, std::string_view pattern, http::Handler handler) {
    if (status.ok()) status = router.add(method, pattern, std::move(handler));
  };

  add("POST", "/v1/chat/sessions", [rt](http::Request& request)
                                         -> Result<http::Response> {
    Json body = Json::object();
    if (!request.body.empty()) {
      ATIENDE_ASSIGN_OR_RETURN(body, http::parse_json_body(request));
      if (!body.is_object()) return Status::invalid_argument("body must be a JSON object");
    }
    chat::NewSession session;
    ATIENDE_ASSIGN_OR_RETURN(session.customer_token, json_optional_string(body, "customer_token", ""));
    ATIENDE_ASSIGN_OR_RETURN(session.language, json_optional_string(body, "language", ""));
    if (body.contains("consent") && !body["consent"].is_boolean()) {
      return Status::invalid_argument("field 'consent' must be true or false");
    }
    session.consent = body.value("consent", false);
    ATIENDE_ASSIGN_OR_RETURN(session.channel, json_optional_string(body, "channel", "web"));
    ATIENDE_ASSIGN_OR_RETURN(store::Session created, rt->engine->create_session(session));
    return http::json_response({{"session_id", created.id},
                                {"authenticated", !created.customer_ref.empty()},
                                {"language", created.language}},
                               201);
  });

  add("POST", "/v1/chat/sessions/{id}/messages",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(store::Session session, session_of(request, *rt->conversations));
    ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
    ATIENDE_ASSIGN_OR_RETURN(std::string text, json_string_field(body, "text"));
    // Bad input is a 4xx in both modes: checked before an event stream starts.
    ATIENDE_RETURN_IF_ERROR(rt->engine->check_message(text));
    if (!wants_sse(request)) {
      JsonTurnSink sink;
      ATIENDE_ASSIGN_OR_RETURN(chat::TurnResult result, rt->engine->turn(session.id, text, sink));
      Json out = done_json(result);
      out["text"] = result.text;
      out["citations"] = citations_to_json(result.citations);
      out["actions"] = sink.actions;
      return http::json_response(out);
    }
    // The turn does not hold this worker thread while an LLM provider streams (turn_async).
    return http::Response::sse([rt, session = std::move(session), text](std::shared_ptr<http::StreamSink> stream) {
      auto sink = std::make_shared<SseTurnSink>(stream);
      rt->engine->turn_async(session, text, sink, [sink](Result<chat::TurnResult> result) {
        if (result.ok()) {
          sink->finish("done", dump_json(done_json(*result)));
        } else {
          sink->finish("error",
                       dump_json({{"code", std::string(status_code_name(result.status().code()))},
                                  {"message", result.status().message()}}));
        }
      });
    });
  });

  add("GET", "/v1/chat/sessions/{id}",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(std::string transcript, rt->engine->transcript_json(request.param("id")));
    return http::Response::text(200, std::move(transcript), "application/json");
  });

  add("POST", "/v1/chat/sessions/{id}/feedback",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(std::string session_id, session_id_of(request, *rt->conversations));
    ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
    ATIENDE_ASSIGN_OR_RETURN(std::string message_id, json_string_field(body, "message_id"));
    ATIENDE_ASSIGN_OR_RETURN(std::string rating, json_string_field(body, "rating"));
    ATIENDE_ASSIGN_OR_RETURN(std::string comment, json_optional_string(body, "comment", ""));
    ATIENDE_RETURN_IF_ERROR(rt->engine->feedback(session_id, message_id, rating, comment));
    return http::json_response({{"ok", true}});
  });

  add("POST", "/v1/chat/sessions/{id}/survey",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(std::string session_id, session_id_of(request, *rt->conversations));
    ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
    if (!body.is_object() || !body.contains("csat") || !body["csat"].is_number_integer()) {
      return Status::invalid_argument("field 'csat' must be an integer from 1 to 5");
    }
    ATIENDE_ASSIGN_OR_RETURN(std::string comment, json_optional_string(body, "comment", ""));
    if (body.contains("resolved") && !body["resolved"].is_boolean()) {
      return Status::invalid_argument("field 'resolved' must be true or false");
    }
    ATIENDE_RETURN_IF_ERROR(rt->engine->survey(session_id, body["csat"].get<int64_t>(), comment,
                                               body.value("resolved", false)));
    return http::json_response({{"ok", true}});
  });

  add("POST", "/v1/chat/sessions/{id}/confirm",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(std::string session_id, session_id_of(request, *rt->conversations));
    ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
    ATIENDE_ASSIGN_OR_RETURN(std::string token, json_string_field(body, "token"));
    ATIENDE_ASSIGN_OR_RETURN(std::string decision, json_string_field(body, "decision"));
    ATIENDE_ASSIGN_OR_RETURN(std::string outcome, rt->engine->confirm(session_id, token, decision));
    return http::Response::text(200, std::move(outcome), "application/json");
  });

  // OpenAI-compatible facade: the last user message is the question; earlier messages are not
  // replayed (each call is a fresh session). Citations travel in an extra "citations" field.
  static std::atomic<uint64_t> completion_counter{0};
  add("POST", "/v1/chat/completions",
                                     [rt](http::Request& request) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
    if (!body.is_object() || !body.contains("messages") || !body["messages"].is_array() ||
        body["messages"].empty()) {
      return Status::invalid_argument("field 'messages' must be a non-empty array");
    }
    std::string question;
    for (const auto& m : body["messages"]) {
      if (m.is_object() && m.value("role", "") == "user" && m.contains("content") &&
          m["content"].is_string()) {
        question = m["content"].get<std::string>();
      }
    }
    if (question.empty()) return Status::invalid_argument("no user message with string content");
    ATIENDE_RETURN_IF_ERROR(rt->engine->check_message(question));
    const bool stream = body.value("stream", false);
    chat::NewSession new_session;
    new_session.channel = "openai";
    ATIENDE_ASSIGN_OR_RETURN(store::Session session, rt->engine->create_session(new_session));
    const std::string id = "chatcmpl-" + std::to_string(++completion_counter);
    const std::string model = body.value("model", std::string("atiende"));
    if (!stream) {
      JsonTurnSink sink;
      ATIENDE_ASSIGN_OR_RETURN(chat::TurnResult r, rt->engine->turn(session.id, question, sink));
      return http::json_response(
          {{"id", id},
           {"object", "chat.completion"},
           {"model", model},
           {"choices", Json::array({{{"index", 0},
                                     {"message", {{"role", "assistant"}, {"content", r.text}}},
                                     {"finish_reason", "stop"}}})},
           {"usage", {{"prompt_tokens", r.prompt_tokens},
                      {"completion_tokens", r.completion_tokens},
                      {"total_tokens", r.prompt_tokens + r.completion_tokens}}},
           {"citations", citations_to_json(r.citations)}});
    }
    return http::Response::sse([rt, session_id = session.id, question, id,
                                model](std::shared_ptr<http::StreamSink> out) {
      class OpenAiSink final : public chat::TurnSink {
       public:
        OpenAiSink(std::shared_ptr<http::StreamSink> s, std::string id, std::string model)
            : sink_(std::move(s)), sse_(sink_), id_(std::move(id)), model_(std::move(model)) {}
        void on_token(std::string_view text) override {
          sse_.send("", dump_json(chunk({{"content", std::string(text)}}, nullptr)));
        }
        void on_citations(const std::vector<chat::Citation>& c) override { citations_ = c; }
        void on_action(std::string_view, const std::string&) override {}
        bool cancelled() const override { return sink_->cancelled(); }
        void on_cancel(std::function<void()> callback) override {
          sink_->on_cancel(std::move(callback));
        }
        Json chunk(Json delta, Json finish) const {
          return {{"id", id_}, {"object", "chat.completion.chunk"}, {"model", model_},
                  {"choices", Json::array({{{"index", 0}, {"delta", std::move(delta)},
                                            {"finish_reason", std::move(finish)}}})}};
        }
        void finish() {
          Json last = chunk(Json::object(), "stop");
          last["citations"] = citations_to_json(citations_);
          sse_.send("", dump_json(last));
          sse_.send("", "[DONE]");
        }

       private:
        std::shared_ptr<http::StreamSink> sink_;
        http::SseWriter sse_;
        std::string id_, model_;
        std::vector<chat::Citation> citations_;
      };
      auto sink = std::make_shared<OpenAiSink>(out, id, model);
      rt->engine->turn_async(session_id, question, sink,
                             [sink, out](Result<chat::TurnResult> result) {
                               if (result.ok()) sink->finish();
                               out->close();
                             });
    });
  });
  return status;
}

}  // namespace
ATIENDE_REGISTER_ROUTES("chat", install_chat_routes);
}  // namespace atiende::app
