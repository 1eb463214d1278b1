#include "chat/engine.h"

#include <future>

#include "agent/agent.h"
#include "chat/engine_internal.h"
#include "common/json.h"
#include "common/strings.h"
#include "net/io_runner.h"
#include "retrieve/knowledge_base.h"
#include "text/utf8.h"

namespace atiende::chat {

namespace internal {

Json citations_json(const std::vector<Citation>& citations) {
  Json out = Json::array();
  for (const auto& c : citations) {
    out.push_back({{"n", c.number}, {"doc_id", c.doc_id}, {"chunk_id", c.chunk_id},
                   {"title", c.title}, {"start", c.start}, {"end", c.end}, {"page", c.page}});
  }
  return out;
}

Json outcome_json(const agent::Outcome& outcome, std::string_view language) {
  Json out = {{"kind", std::string(agent::outcome_kind_name(outcome.kind))},
              {"tool", outcome.tool},
              {"message", outcome.message(language)},
              {"reason_code", outcome.reason_code}};
  if (auto result = parse_json(outcome.result_json); result.ok()) out["result"] = *result;
  if (outcome.preview) {
    const auto& p = *outcome.preview;
    out["token"] = p.token;
    out["summary"] = language == "en" ? p.summary_en : p.summary_es;
    out["price_cop"] = p.price_cop;
    out["price_delta_cop"] = p.price_delta_cop;
    out["effective_date"] = p.effective_date;
    out["expires_at_ms"] = p.expires_at_ms;
  }
  if (!outcome.ticket_id.empty()) out["ticket_id"] = outcome.ticket_id;
  if (outcome.offer_ticket) out["offer_ticket"] = true;
  return out;
}

/// The SSE event an agent outcome maps to.
std::string_view action_event(const agent::Outcome& outcome) {
  if (!outcome.ticket_id.empty()) return "handoff";
  switch (outcome.kind) {
    case agent::OutcomeKind::kPreview: return "action_preview";
    case agent::OutcomeKind::kResult: return "action_result";
    default: return "action_refused";
  }
}

}  // namespace internal

void stream_words(std::string_view text, TurnSink& sink) {
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(' ', start);
    end = end == std::string_view::npos ? text.size() : end + 1;
    sink.on_token(text.substr(start, end - start));
    start = end;
  }
}

Result<ChatOptions> chat_options_from_config(const Config& config) {
  ChatOptions o;
  ATIENDE_ASSIGN_OR_RETURN(int64_t top_k, config.get_int("chat.top_k", 5));
  if (top_k < 1 || top_k > 50) return Status::invalid_argument("config key 'chat.top_k' must be 1..50");
  o.top_k = static_cast<size_t>(top_k);
  ATIENDE_ASSIGN_OR_RETURN(o.search_mode, config.get_string("chat.search_mode", "hybrid"));
  if (!retrieve::parse_search_mode(o.search_mode)) {
    return Status::invalid_argument("config key 'chat.search_mode' must be bm25, vector or hybrid");
  }
  ATIENDE_ASSIGN_OR_RETURN(int64_t max_chars, config.get_int("chat.max_message_chars", 2000));
  o.max_message_chars = static_cast<size_t>(std::max<int64_t>(1, max_chars));
  ATIENDE_ASSIGN_OR_RETURN(int64_t system, config.get_int("chat.budget_system", 400));
  ATIENDE_ASSIGN_OR_RETURN(int64_t context, config.get_int("chat.budget_context", 1500));
  ATIENDE_ASSIGN_OR_RETURN(int64_t history, config.get_int("chat.budget_history", 600));
  o.budget = {static_cast<size_t>(system), static_cast<size_t>(context), static_cast<size_t>(history)};
  ATIENDE_ASSIGN_OR_RETURN(o.extractive.min_confidence, config.get_double("chat.min_confidence", 0.4));
  ATIENDE_ASSIGN_OR_RETURN(o.extractive.faq_match, config.get_double("chat.faq_match", 0.6));
  ATIENDE_ASSIGN_OR_RETURN(int64_t sentences, config.get_int("chat.max_sentences", 3));
  o.extractive.max_sentences = static_cast<size_t>(std::max<int64_t>(1, sentences));
  ATIENDE_ASSIGN_OR_RETURN(o.template_dir, config.get_string("chat.prompt_dir", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.variant, config.get_string("chat.variant", ""));
  ATIENDE_ASSIGN_OR_RETURN(int64_t idle, config.get_int("chat.session_idle_minutes", 120));
  if (idle < 1 || idle > 7 * 24 * 60) {
    return Status::invalid_argument("config key 'chat.session_idle_minutes' must be 1..10080");
  }
  o.session_idle_minutes = static_cast<int>(idle);
  ATIENDE_ASSIGN_OR_RETURN(int64_t waiting, config.get_int("chat.max_waiting_turns", 4));
  if (waiting < 0 || waiting > 64) {
    return Status::invalid_argument("config key 'chat.max_waiting_turns' must be 0..64");
  }
  o.max_waiting_turns = static_cast<size_t>(waiting);
  if (o.variant.size() > 64) {
    return Status::invalid_argument("config key 'chat.variant' must be at most 64 characters");
  }
  ATIENDE_ASSIGN_OR_RETURN(o.temperature, config.get_double("llm.temperature", 0.2));
  ATIENDE_ASSIGN_OR_RETURN(int64_t max_tokens, config.get_int("llm.max_tokens", 400));
  o.max_tokens = static_cast<int>(max_tokens);
  ATIENDE_ASSIGN_OR_RETURN(int64_t io_threads, config.get_int("llm.io_threads", 2));
  if (io_threads < 1 || io_threads > 64) {
    return Status::invalid_argument("config key 'llm.io_threads' must be 1..64");
  }
  o.llm_io_threads = static_cast<int>(io_threads);
  ATIENDE_ASSIGN_OR_RETURN(int64_t turn_end_nice, config.get_int("http.worker_nice", o.turn_end_nice));
  if (turn_end_nice < 0 || turn_end_nice > 19) {
    return Status::invalid_argument("config key 'http.worker_nice' must be 0..19");
  }
  o.turn_end_nice = static_cast<int>(turn_end_nice);
  return o;
}

ChatEngine::ChatEngine(ChatEngineDeps deps, ChatOptions options)
    : deps_(std::move(deps)), options_(std::move(options)) {}
ChatEngine::~ChatEngine() = default;

Result<std::unique_ptr<ChatEngine>> ChatEngine::create(ChatEngineDeps deps, ChatOptions options) {
  if (!deps.knowledge_base || !deps.conversations || !deps.anonymize || !deps.clock ||
      !deps.random) {
    return Status::invalid_argument(
        "chat engine needs a knowledge base, a conversation store, an anonymizer, a clock and "
        "a random source");
  }
  std::unique_ptr<ChatEngine> engine(new ChatEngine(std::move(deps), std::move(options)));
  if (engine->deps_.provider) {
    engine->finisher_ = std::make_unique<net::IoRunner>(1, "turn-end", engine->options_.turn_end_nice);
    engine->runner_ = std::make_unique<net::IoRunner>(engine->options_.llm_io_threads, "llm-io");
  }
  return engine;
}

std::shared_ptr<ChatEngine::SessionState> ChatEngine::state_of(const std::string& session_id) {
  const auto now = deps_.clock->steady_now();
  std::lock_guard lock(sessions_mutex_);
  if (++lookups_since_sweep_ >= kSweepEvery) {
    lookups_since_sweep_ = 0;
    const auto idle = std::chrono::minutes(options_.session_idle_minutes);
    std::erase_if(sessions_, [&](const auto& entry) {
      // Only states nobody holds: no running or queued turn, no caller between lookups.
      return entry.second.use_count() == 1 && now - entry.second->last_used > idle;
    });
  }
  auto& state = sessions_[session_id];
  if (!state) state = std::make_shared<SessionState>();
  state->last_used = now;
  return state;
}

size_t ChatEngine::session_states() const {
  std::lock_guard lock(sessions_mutex_);
  return sessions_.size();
}

Status ChatEngine::enter(SessionState& state, std::function<void()> start) {
  {
    std::lock_guard lock(state.mutex);
    if (state.turn_running) {
      if (state.waiting.size() >= options_.max_waiting_turns) {
        return Status::resource_exhausted(
            "this chat session already has " + std::to_string(state.waiting.size() + 1) +
            " messages being answered; wait for their answers before sending more");
      }
      state.waiting.push_back(std::move(start));
      return Status();
    }
    state.turn_running = true;
  }
  start();
  return Status();
}

Status ChatEngine::wait_for_turn(SessionState& state) {
  std::promise<void> ready;
  ATIENDE_RETURN_IF_ERROR(enter(state, [&ready] { ready.set_value(); }));
  ready.get_future().wait();
  return Status();
}

void ChatEngine::leave(SessionState& state) {
  std::function<void()> next;
  {
    std::lock_guard lock(state.mutex);
    if (state.waiting.empty()) {
      state.turn_running = false;
      return;
    }
    next = std::move(state.waiting.front());
    state.waiting.pop_front();
  }
  next();  // the session stays taken: the queued turn runs now
}

Result<store::Session> ChatEngine::create_session(const NewSession& request) {
  store::Session session;
  session.id = new_id(*deps_.random, "ses");
  session.created_ms = session.updated_ms = deps_.clock->unix_millis();
  session.language = request.language == "en" ? "en" : "es";
  session.channel = request.channel;
  session.consent = request.consent;
  session.variant = options_.variant;
  if (!request.customer_token.empty() && deps_.agent) {
    agent::SessionContext ctx;
    ctx.session_id = session.id;
    ctx.customer_token = request.customer_token;
    agent::Identity identity = deps_.agent->identify(ctx);
    if (identity.authenticated && deps_.customer_ref) {
      session.customer_ref = deps_.customer_ref(identity.customer_id);
    }
  }
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->create_session(session));
  state_of(session.id)->customer_token = request.customer_token;
  return session;
}

Result<std::string> ChatEngine::confirm(const std::string& session_id, std::string_view token,
                                        std::string_view decision) {
  if (!deps_.agent) return Status::failed_precondition("account tasks are not enabled");
  if (decision != "confirm" && decision != "cancel" && decision != "yes" && decision != "no") {
    return Status::invalid_argument("decision must be 'confirm' or 'cancel'");
  }
  ATIENDE_ASSIGN_OR_RETURN(auto found, deps_.conversations->get_session(session_id));
  if (!found) return Status::not_found("chat session '" + session_id + "' does not exist");
  auto state = state_of(session_id);
  ATIENDE_RETURN_IF_ERROR(wait_for_turn(*state));
  struct Leave {
    ChatEngine* engine;
    SessionState* state;
    ~Leave() { engine->leave(*state); }
  } leave_when_done{this, state.get()};
  agent::SessionContext ctx;
  ctx.session_id = session_id;
  ctx.customer_token = state->customer_token;
  ctx.language = found->language;
  agent::Outcome outcome = deps_.agent->confirm(ctx, token, decision);
  Json out = internal::outcome_json(outcome, found->language);
  const bool executed = outcome.kind == agent::OutcomeKind::kResult;
  const bool cancelled = decision == "cancel" || decision == "no";
  out["status"] = executed ? "executed" : (cancelled && outcome.reason_code == "cancelled")
                                              ? "cancelled"
                                              : "refused";
  // The decision and its outcome are part of the transcript.
  store::Message message;
  message.id = new_id(*deps_.random, "msg");
  message.session_id = session_id;
  message.role = "assistant";
  message.text = outcome.message(found->language);
  message.created_ms = deps_.clock->unix_millis();
  message.provider = "agent";
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->append_message(message).status());
  return dump_json(out);
}

Status ChatEngine::feedback(const std::string& session_id, const std::string& message_id,
                            std::string_view rating, std::string_view comment) {
  if (rating != "up" && rating != "down") {
    return Status::invalid_argument("rating must be 'up' or 'down'");
  }
  ATIENDE_ASSIGN_OR_RETURN(auto message, deps_.conversations->get_message(message_id));
  if (!message || message->session_id != session_id) {
    return Status::not_found("message '" + message_id + "' is not in session '" + session_id + "'");
  }
  if (message->role != "assistant") {
    return Status::invalid_argument("only assistant messages can be rated");
  }
  ATIENDE_RETURN_IF_ERROR(text::validate_utf8(comment).with_context("comment"));
  return deps_.conversations->put_feedback(
      {session_id, message_id, std::string(rating),
       deps_.anonymize(comment, "es"), deps_.clock->unix_millis()});
}

Status ChatEngine::survey(const std::string& session_id, int64_t csat, std::string_view comment,
                          bool resolved) {
  if (csat < 1 || csat > 5) return Status::invalid_argument("csat must be an integer from 1 to 5");
  ATIENDE_RETURN_IF_ERROR(text::validate_utf8(comment).with_context("comment"));
  ATIENDE_ASSIGN_OR_RETURN(auto found, deps_.conversations->get_session(session_id));
  if (!found) return Status::not_found("chat session '" + session_id + "' does not exist");
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->put_survey(
      {session_id, csat, deps_.anonymize(comment, found->language), resolved,
       deps_.clock->unix_millis()}));
  store::Session session = *found;
  session.resolved = resolved;
  session.updated_ms = deps_.clock->unix_millis();
  return deps_.conversations->update_session(session);
}

Result<std::string> ChatEngine::transcript_json(const std::string& session_id) {
  ATIENDE_ASSIGN_OR_RETURN(auto found, deps_.conversations->get_session(session_id));
  if (!found) return Status::not_found("chat session '" + session_id + "' does not exist");
  ATIENDE_ASSIGN_OR_RETURN(auto messages, deps_.conversations->messages(session_id));
  Json list = Json::array();
  for (const auto& m : messages) {
    Json item = {{"id", m.id},           {"seq", m.seq},           {"role", m.role},
                 {"text", m.text},       {"created_ms", m.created_ms}, {"provider", m.provider},
                 {"abstained", m.abstained}, {"fallback", m.fallback}};
    if (auto citations = parse_json(m.citations_json); citations.ok()) item["citations"] = *citations;
    list.push_back(std::move(item));
  }
  const auto& s = *found;
  Json session = {{"id", s.id},         {"created_ms", s.created_ms}, {"language", s.language},
                  {"status", s.status}, {"resolved", s.resolved},     {"channel", s.channel},
                  {"authenticated", !s.customer_ref.empty()}};
  if (auto survey = deps_.conversations->survey_of(session_id); survey.ok() && *survey) {
    session["csat"] = (*survey)->csat;
  }
  return dump_json({{"session", session}, {"messages", list}});
}

}  // namespace atiende::chat
