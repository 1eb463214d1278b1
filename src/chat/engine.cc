#include "chat/engine.h"

#include <chrono>

#include "agent/agent.h"
#include "agent/confirm_text.h"
#include "common/json.h"
#include "common/log.h"
#include "common/strings.h"
#include "llm/llm_client.h"
#include "retrieve/knowledge_base.h"
#include "chat/query_rewrite.h"
#include "text/language.h"
#include "text/utf8.h"

namespace atiende::chat {

/// In-memory per-session state: the customer's JWT (a credential, never persisted) and a mutex
/// that serializes turns of one session.
struct ChatEngine::SessionState {
  std::mutex mutex;
  std::string customer_token;
  std::vector<std::string> retrieval_gaps;
};

namespace {

int64_t elapsed_ms(const Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - start).count();
}

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

}  // namespace

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
  ATIENDE_ASSIGN_OR_RETURN(o.temperature, config.get_double("llm.temperature", 0.2));
  ATIENDE_ASSIGN_OR_RETURN(int64_t max_tokens, config.get_int("llm.max_tokens", 400));
  o.max_tokens = static_cast<int>(max_tokens);
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
  return std::unique_ptr<ChatEngine>(new ChatEngine(std::move(deps), std::move(options)));
}

std::shared_ptr<ChatEngine::SessionState> ChatEngine::state_of(const std::string& session_id) {
  std::lock_guard lock(sessions_mutex_);
  auto& state = sessions_[session_id];
  if (!state) state = std::make_shared<SessionState>();
  return state;
}

Result<store::Session> ChatEngine::create_session(const NewSession& request) {
  store::Session session;
  session.id = new_id(*deps_.random, "ses");
  session.created_ms = session.updated_ms = deps_.clock->unix_millis();
  session.language = request.language == "en" ? "en" : "es";
  session.channel = request.channel;
  session.consent = request.consent;
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

Result<TurnResult> ChatEngine::turn(const std::string& session_id, std::string_view text,
                                    TurnSink& sink) {
  const auto started = deps_.clock->steady_now();
  // 1. Validate at the edge.
  ATIENDE_RETURN_IF_ERROR(text::validate_utf8(text).with_context("message text"));
  const std::string trimmed(trim(text));
  if (trimmed.empty()) return Status::invalid_argument("message text is empty");
  if (text::count_code_points(trimmed) > options_.max_message_chars) {
    return Status::invalid_argument("message text is longer than " +
                                    std::to_string(options_.max_message_chars) + " characters");
  }
  ATIENDE_ASSIGN_OR_RETURN(auto found, deps_.conversations->get_session(session_id));
  if (!found) return Status::not_found("chat session '" + session_id + "' does not exist");
  store::Session session = *found;
  auto state = state_of(session_id);
  std::lock_guard turn_lock(state->mutex);

  // 2. Language per message, then anonymize before anything is stored or logged.
  const std::string language =
      text::detect_language_short(trimmed, session.language).language;
  const std::string safe_text = deps_.anonymize(trimmed, language);
  store::Message user;
  user.id = new_id(*deps_.random, "msg");
  user.session_id = session_id;
  user.role = "user";
  user.text = safe_text;
  user.created_ms = deps_.clock->unix_millis();

  // 3. Account tasks first: confirmations, forms and small talk are decided in code.
  std::optional<agent::Outcome> outcome;
  if (deps_.agent) {
    agent::SessionContext ctx;
    ctx.session_id = session_id;
    ctx.customer_token = state->customer_token;
    ctx.language = language;
    ctx.retrieval_gaps = state->retrieval_gaps;
    const bool builtin = !deps_.provider;
    if (builtin || agent::parse_confirmation(trimmed) != agent::ConfirmDecision::kUnclear) {
      outcome = deps_.agent->handle_builtin_turn(ctx, safe_text);
    }
    if (outcome) user.intent = outcome->intent;
  }
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->append_message(user).status());
  if (!user.intent.empty()) session.last_intent = user.intent;

  Result<TurnResult> result =
      outcome ? answer_with_agent(session, *state, *outcome, language, sink)
              : answer_with_knowledge(session, *state, safe_text, language, sink);
  if (!result.ok()) return result;
  result->language = language;
  result->latency_ms = elapsed_ms(*deps_.clock, started);

  // 4. Store the answer (its text is ours or copied from the KB; it holds no customer PII).
  store::Message answer;
  answer.id = new_id(*deps_.random, "msg");
  answer.session_id = session_id;
  answer.role = "assistant";
  answer.text = result->text;
  answer.created_ms = deps_.clock->unix_millis();
  answer.citations_json = dump_json(citations_json(result->citations));
  answer.provider = result->provider;
  answer.latency_ms = result->latency_ms;
  answer.prompt_tokens = result->prompt_tokens;
  answer.completion_tokens = result->completion_tokens;
  answer.abstained = result->abstained;
  answer.fallback = result->fallback;
  answer.intent = user.intent;
  answer.meta_json = dump_json({{"query", result->query}});
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->append_message(answer).status());
  result->message_id = answer.id;
  session.updated_ms = answer.created_ms;
  if (outcome && !outcome->ticket_id.empty()) session.status = "escalated";
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->update_session(session));
  return result;
}

Result<TurnResult> ChatEngine::answer_with_agent(const store::Session&, SessionState&,
                                                 const agent::Outcome& outcome,
                                                 std::string_view language, TurnSink& sink) {
  TurnResult result;
  result.provider = "agent";
  result.text = outcome.message(language);
  if (!outcome.tool.empty() || !outcome.ticket_id.empty()) {
    sink.on_action(action_event(outcome), dump_json(outcome_json(outcome, language)));
  }
  stream_words(result.text, sink);
  sink.on_citations({});
  return result;
}

Result<TurnResult> ChatEngine::answer_with_knowledge(const store::Session& session,
                                                     SessionState& state, std::string_view text,
                                                     std::string_view language, TurnSink& sink) {
  TurnResult result;
  // Follow-ups carry the previous question's topic into the retrieval query.
  std::vector<std::string> previous;
  if (auto messages = deps_.conversations->messages(session.id); messages.ok()) {
    for (const auto& m : *messages) {
      if (m.role == "user") previous.push_back(m.text);
    }
    if (!previous.empty()) previous.pop_back();  // the current message was just stored
  }
  result.query = carry_over_context(text, previous, language);
  const auto mode = retrieve::parse_search_mode(options_.search_mode).value_or(
      retrieve::SearchMode::kHybrid);
  ATIENDE_ASSIGN_OR_RETURN(auto hits,
                           deps_.knowledge_base->search(result.query, options_.top_k, mode));
  std::vector<Passage> passages;
  for (auto& hit : hits) passages.push_back({static_cast<int>(passages.size()) + 1, std::move(hit)});

  if (deps_.provider && !sink.cancelled()) {
    auto generated = generate_with_provider(session, state, text, language, passages, sink);
    if (generated.ok()) return generated;
    spdlog::warn("chat: provider {} failed ({}); falling back to builtin", deps_.provider->name(),
                 generated.status().to_string());
    result.fallback = true;
  }
  ExtractiveAnswer extractive =
      answer_extractively(result.query, language, passages, options_.extractive);
  result.provider = "builtin";
  if (extractive.abstained) {
    result.abstained = true;
    result.text = abstain_message(language);
    state.retrieval_gaps.push_back(result.query);
  } else {
    Grounding grounding = check_grounding(extractive.text, passages);
    result.text = extractive.text;
    result.citations = grounding.citations;
  }
  stream_words(result.text, sink);
  sink.on_citations(result.citations);
  return result;
}

namespace {

/// Collects a streamed provider answer (and any tool calls) without showing it yet: an answer is
/// shown only after the grounding check.
class CollectingSink final : public llm::StreamSink {
 public:
  explicit CollectingSink(const TurnSink& customer) : customer_(customer) {}
  void on_text(std::string_view delta) override { text += delta; }
  void on_tool_call(const llm::ToolCall& call) override { tool_calls.push_back(call); }
  void on_usage(const llm::Usage& u) override { usage = u; }
  bool cancel_requested() const override {
    return llm::StreamSink::cancel_requested() || customer_.cancelled();
  }
  std::string text;
  std::vector<llm::ToolCall> tool_calls;
  llm::Usage usage;

 private:
  const TurnSink& customer_;
};

}  // namespace

Result<TurnResult> ChatEngine::generate_with_provider(const store::Session& session,
                                                      SessionState& state,
                                                      std::string_view question,
                                                      std::string_view language,
                                                      const std::vector<Passage>& passages,
                                                      TurnSink& sink) {
  std::vector<HistoryTurn> history;
  if (auto messages = deps_.conversations->messages(session.id); messages.ok()) {
    for (const auto& m : *messages) {
      if (m.role == "user" || m.role == "assistant") history.push_back({m.role, m.text});
    }
    if (!history.empty()) history.pop_back();  // the current question goes in the last message
  }
  ATIENDE_ASSIGN_OR_RETURN(AssembledPrompt prompt,
                           assemble_prompt(question, language, passages, history,
                                           options_.budget, options_.template_dir));
  llm::ChatRequest request;
  for (const auto& m : prompt.messages) {
    llm::Message message;
    message.role = m.role == "system" ? llm::Role::kSystem
                   : m.role == "assistant" ? llm::Role::kAssistant : llm::Role::kUser;
    message.content = m.content;
    request.messages.push_back(std::move(message));
  }
  if (deps_.agent) {
    for (const auto& tool : deps_.agent->tools_for_llm(language)) {
      request.tools.push_back({tool.name, tool.description, tool.parameters_json});
    }
  }
  request.temperature = options_.temperature;
  request.max_tokens = options_.max_tokens;

  CollectingSink collected(sink);
  // A customer who leaves closes the upstream call at once (copies of the token share its state,
  // so a late callback after this turn is harmless).
  sink.on_cancel([token = collected.cancellation()] { token.cancel(); });
  ATIENDE_RETURN_IF_ERROR(deps_.provider->stream(request, collected));
  TurnResult result;
  result.provider = std::string(deps_.provider->name());
  result.prompt_tokens = collected.usage.prompt_tokens;
  result.completion_tokens = collected.usage.completion_tokens;
  result.query = std::string(question);

  // The model proposes tool calls; the agent decides.
  if (!collected.tool_calls.empty() && deps_.agent) {
    agent::SessionContext ctx;
    ctx.session_id = session.id;
    ctx.customer_token = state.customer_token;
    ctx.language = std::string(language);
    std::string messages;
    for (const auto& call : collected.tool_calls) {
      agent::Outcome outcome = deps_.agent->propose(ctx, call.name, call.arguments_json);
      sink.on_action(action_event(outcome), dump_json(outcome_json(outcome, language)));
      if (!messages.empty()) messages += "\n";
      messages += outcome.message(language);
    }
    result.text = messages;
    stream_words(result.text, sink);
    sink.on_citations({});
    return result;
  }

  // Ungrounded answers never reach the customer.
  Grounding grounding = check_grounding(collected.text, prompt.passages);
  if (!grounding.grounded) {
    spdlog::info("chat: ungrounded answer from {} ({}); abstaining", result.provider,
                 grounding.reason);
    result.abstained = true;
    result.text = abstain_message(language);
    state.retrieval_gaps.push_back(std::string(question));
  } else {
    result.text = collected.text;
    result.citations = grounding.citations;
  }
  stream_words(result.text, sink);
  sink.on_citations(result.citations);
  return result;
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
  std::lock_guard turn_lock(state->mutex);
  agent::SessionContext ctx;
  ctx.session_id = session_id;
  ctx.customer_token = state->customer_token;
  ctx.language = found->language;
  agent::Outcome outcome = deps_.agent->confirm(ctx, token, decision);
  Json out = outcome_json(outcome, found->language);
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
