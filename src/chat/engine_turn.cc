// The turn pipeline of ChatEngine: begin (validate), prepare (language, anonymize, agent, store
// the question, retrieve, build the provider request), answer (agent, built-in, or a provider
// stream relayed through GroundedRelay), end (store the answer). turn() runs it on the calling
// thread; turn_async() runs the provider stream and what follows on the engine's IoRunner.

#include <utility>  // before Asio (Boost 1.74)

#include <algorithm>

#include "agent/confirm_text.h"
#include "chat/engine_internal.h"
#include "chat/grounded_stream.h"
#include "chat/query_rewrite.h"
#include "common/log.h"
#include "common/strings.h"
#include "llm/llm_client.h"
#include "net/io_runner.h"
#include "retrieve/knowledge_base.h"
#include "text/language.h"
#include "text/token_count.h"
#include "text/utf8.h"

namespace atiende::chat {
namespace {

int64_t elapsed_ms(const Clock& clock, std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock.steady_now() - start).count();
}

llm::Role role_of(const std::string& role) {
  if (role == "system") return llm::Role::kSystem;
  if (role == "assistant") return llm::Role::kAssistant;
  return llm::Role::kUser;
}

/// Streams the provider's answer into `relay` on the runner, then hands the outcome to `then`
/// (on the same runner thread). Takes everything by value: it outlives its caller.
net::Awaitable<void> stream_then(std::shared_ptr<llm::LlmClient> provider, llm::ChatRequest request,
                                 std::shared_ptr<GroundedRelay> relay,
                                 std::function<void(Status)> then) {
  Status streamed = co_await provider->stream_async(std::move(request), *relay);
  then(std::move(streamed));
}

}  // namespace

Status ChatEngine::check_message(std::string_view text) const {
  ATIENDE_RETURN_IF_ERROR(text::validate_utf8(text).with_context("message text"));
  const std::string_view trimmed = trim(text);
  if (trimmed.empty()) return Status::invalid_argument("message text is empty");
  if (text::count_code_points(trimmed) > options_.max_message_chars) {
    return Status::invalid_argument("message text is longer than " +
                                    std::to_string(options_.max_message_chars) + " characters");
  }
  return Status();
}

Result<std::shared_ptr<ChatEngine::TurnContext>> ChatEngine::begin_turn(
    const std::string& session_id, std::string_view text) {
  ATIENDE_RETURN_IF_ERROR(check_message(text));
  ATIENDE_ASSIGN_OR_RETURN(auto found, deps_.conversations->get_session(session_id));
  if (!found) return Status::not_found("chat session '" + session_id + "' does not exist");
  return begin_turn(std::move(*found), text);
}

Result<std::shared_ptr<ChatEngine::TurnContext>> ChatEngine::begin_turn(store::Session session,
                                                                        std::string_view text) {
  ATIENDE_RETURN_IF_ERROR(check_message(text));
  auto turn = std::make_shared<TurnContext>();
  turn->started = deps_.clock->steady_now();
  turn->state = state_of(session.id);
  turn->session = std::move(session);
  turn->session_at_start = turn->session;
  turn->text = std::string(trim(text));
  return turn;
}

Result<TurnResult> ChatEngine::turn(const std::string& session_id, std::string_view text,
                                    TurnSink& sink) {
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<TurnContext> turn, begin_turn(session_id, text));
  ATIENDE_RETURN_IF_ERROR(wait_for_turn(*turn->state));
  Result<TurnResult> result = [&]() -> Result<TurnResult> {
    ATIENDE_RETURN_IF_ERROR(prepare(*turn, sink));
    if (!turn->use_provider) return end_turn(*turn, answer_without_provider(*turn, sink));
    GroundedRelay relay(sink, turn->prompted);
    // A customer who leaves closes the upstream call at once (copies of the token share its
    // state, so a late callback after this turn is harmless).
    sink.on_cancel([token = relay.cancellation()] { token.cancel(); });
    const Status streamed = deps_.provider->stream(turn->request, relay);
    return end_turn(*turn, answer_from_provider(*turn, relay, streamed, sink));
  }();
  leave(*turn->state);
  return result;
}

void ChatEngine::turn_async(std::string session_id, std::string text,
                            std::shared_ptr<TurnSink> sink, TurnDone done) {
  queue_turn(begin_turn(session_id, text), std::move(sink), std::move(done));
}

void ChatEngine::turn_async(store::Session session, std::string text,
                            std::shared_ptr<TurnSink> sink, TurnDone done) {
  queue_turn(begin_turn(std::move(session), text), std::move(sink), std::move(done));
}

void ChatEngine::queue_turn(Result<std::shared_ptr<TurnContext>> turn,
                            std::shared_ptr<TurnSink> sink, TurnDone done) {
  if (!turn.ok()) {
    done(turn.status());
    return;
  }
  std::shared_ptr<TurnContext> context = std::move(*turn);
  SessionState& state = *context->state;
  // `done` is shared: enter() either runs or queues the start (which then owns the call) or
  // refuses it, and then this function calls it.
  auto shared_done = std::make_shared<TurnDone>(std::move(done));
  Status entered = enter(state, [this, context, sink = std::move(sink), shared_done]() mutable {
    start_async(std::move(context), std::move(sink), std::move(*shared_done));
  });
  if (!entered.ok()) (*shared_done)(std::move(entered));
}

void ChatEngine::start_async(std::shared_ptr<TurnContext> turn, std::shared_ptr<TurnSink> sink,
                             TurnDone done) {
  // `done` first, then the next queued turn of the session (which may start on this thread).
  auto finish = [this, turn, done = std::move(done)](Result<TurnResult> result) {
    done(std::move(result));
    leave(*turn->state);
  };
  const Status prepared = prepare(*turn, *sink);
  if (!prepared.ok()) return finish(prepared);
  if (!turn->use_provider || !runner_) {
    return finish(end_turn(*turn, answer_without_provider(*turn, *sink)));
  }
  auto relay = std::make_shared<GroundedRelay>(*sink, turn->prompted);
  sink->on_cancel([token = relay->cancellation()] { token.cancel(); });
  // A named std::function (not a lambda converted at the call): GCC 12 mishandles temporaries
  // made for coroutine parameters (net/README.md).
  // The end of the turn runs on finisher_, not on the stream's runner thread (see engine.h).
  std::function<void(Status)> then = [this, turn, sink, relay,
                                      finish = std::move(finish)](Status streamed) mutable {
    finisher_->post([this, turn, sink, relay, finish = std::move(finish), streamed = std::move(streamed)] {
      finish(end_turn(*turn, answer_from_provider(*turn, *relay, streamed, *sink)));
    });
  };
  runner_->spawn([provider = deps_.provider, request = std::move(turn->request), relay,
                  then = std::move(then)]() mutable {
    return stream_then(provider, std::move(request), relay, std::move(then));
  });
}

std::vector<store::Message> ChatEngine::recent_context(const std::string& session_id) {
  // Pages of the newest messages, going further back only while they do not fill the history
  // budget (a message costs its tokens + 4 in assemble_prompt) and the session has more. A read
  // error keeps what was read rather than failing the turn.
  constexpr size_t kPage = 16;
  std::vector<std::vector<store::Message>> pages;  // newest page first
  size_t tokens = 0;
  int64_t before_seq = INT64_MAX;
  for (size_t page_size = kPage; tokens < options_.budget.history_tokens; page_size *= 2) {
    auto page = deps_.conversations->recent_messages(session_id, page_size, before_seq);
    if (!page.ok() || page->empty()) break;
    for (const auto& m : *page) tokens += text::approx_token_count(m.text) + 4;
    before_seq = page->front().seq;
    const bool last = page->size() < page_size;
    pages.push_back(std::move(*page));
    if (last) break;
  }
  std::vector<store::Message> context;
  for (auto it = pages.rbegin(); it != pages.rend(); ++it) {
    context.insert(context.end(), std::make_move_iterator(it->begin()), std::make_move_iterator(it->end()));
  }
  return context;
}

Status ChatEngine::prepare(TurnContext& turn, TurnSink& sink) {
  SessionState& state = *turn.state;
  // Language per message, then anonymize before anything is stored or logged.
  turn.language = text::detect_language_short(turn.text, turn.session.language).language;
  turn.safe_text = deps_.anonymize(turn.text, turn.language);
  store::Message user;
  user.id = new_id(*deps_.random, "msg");
  user.session_id = turn.session.id;
  user.role = "user";
  user.text = turn.safe_text;
  user.created_ms = deps_.clock->unix_millis();

  // Account tasks first: confirmations, forms and small talk are decided in code.
  if (deps_.agent) {
    agent::SessionContext ctx;
    ctx.session_id = turn.session.id;
    ctx.customer_token = state.customer_token;
    ctx.language = turn.language;
    ctx.retrieval_gaps = state.retrieval_gaps;
    const bool builtin = !deps_.provider;
    if (builtin || agent::parse_confirmation(turn.text) != agent::ConfirmDecision::kUnclear) {
      turn.outcome = deps_.agent->handle_builtin_turn(ctx, turn.safe_text);
    }
    // The classifier's "out of scope" is only a guess: a question the knowledge base answers
    // confidently ("¿a qué hora atienden los asesores?") gets that answer instead of a refusal.
    if (turn.outcome && turn.outcome->reason_code == "out_of_scope" &&
        knowledge_base_answers(turn.safe_text, turn.language)) {
      turn.outcome.reset();
    }
    if (turn.outcome) user.intent = turn.outcome->intent;
  }
  // Earlier messages (before this one is stored): follow-up context and the model's history.
  std::vector<store::Message> earlier;
  if (!turn.outcome) earlier = recent_context(turn.session.id);
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->append_message(user).status());
  turn.intent = user.intent;
  if (!user.intent.empty()) turn.session.last_intent = user.intent;
  if (turn.outcome) return Status();

  // Follow-ups carry the previous question's topic into the retrieval query.
  std::vector<std::string> previous;
  for (const auto& m : earlier) {
    if (m.role == "user") previous.push_back(m.text);
  }
  turn.query = carry_over_context(turn.safe_text, previous, turn.language);
  const auto mode = retrieve::parse_search_mode(options_.search_mode).value_or(
      retrieve::SearchMode::kHybrid);
  ATIENDE_ASSIGN_OR_RETURN(auto hits, deps_.knowledge_base->search(turn.query, options_.top_k, mode));
  for (auto& hit : hits) {
    turn.retrieved.push_back({static_cast<int>(turn.retrieved.size()) + 1, std::move(hit)});
  }
  if (deps_.provider && !sink.cancelled()) prepare_provider_request(turn, earlier);
  return Status();
}

bool ChatEngine::knowledge_base_answers(const std::string& text, const std::string& language) {
  const auto mode = retrieve::parse_search_mode(options_.search_mode).value_or(
      retrieve::SearchMode::kHybrid);
  auto hits = deps_.knowledge_base->search(text, options_.top_k, mode);
  if (!hits.ok() || hits->empty()) return false;
  std::vector<Passage> passages;
  for (auto& hit : *hits) passages.push_back({static_cast<int>(passages.size()) + 1, std::move(hit)});
  const ExtractiveAnswer answer = answer_extractively(text, language, passages, options_.extractive);
  spdlog::debug("chat: out-of-scope guess checked against the KB: {} ({:.2f})", answer.strategy,
                answer.confidence);
  return !answer.abstained && (answer.strategy == "faq" || answer.confidence >= kOverrideConfidence);
}

void ChatEngine::prepare_provider_request(TurnContext& turn,
                                          const std::vector<store::Message>& earlier) {
  std::vector<HistoryTurn> history;
  for (const auto& m : earlier) {
    if (m.role == "user" || m.role == "assistant") history.push_back({m.role, m.text});
  }
  auto prompt = assemble_prompt(turn.safe_text, turn.language, turn.retrieved, history,
                                options_.budget, options_.template_dir);
  if (!prompt.ok()) {
    spdlog::warn("chat: prompt assembly failed ({}); answering with builtin",
                 prompt.status().to_string());
    return;
  }
  llm::ChatRequest& request = turn.request;
  for (const auto& m : prompt->messages) {
    llm::Message message;
    message.role = role_of(m.role);
    message.content = m.content;
    request.messages.push_back(std::move(message));
  }
  if (deps_.agent) {
    for (const auto& tool : deps_.agent->tools_for_llm(turn.language)) {
      request.tools.push_back({tool.name, tool.description, tool.parameters_json});
    }
  }
  request.temperature = options_.temperature;
  request.max_tokens = options_.max_tokens;
  turn.prompted = std::move(prompt->passages);
  turn.use_provider = true;
}

Result<TurnResult> ChatEngine::answer_without_provider(TurnContext& turn, TurnSink& sink) {
  if (!turn.outcome) {
    auto result = answer_builtin(turn, sink);
    // Configured provider but no request (prompt assembly failed): that is a fallback too.
    if (result.ok() && deps_.provider && !sink.cancelled()) result->fallback = true;
    return result;
  }
  const agent::Outcome& outcome = *turn.outcome;
  TurnResult result;
  result.provider = "agent";
  result.text = outcome.message(turn.language);
  if (!outcome.tool.empty() || !outcome.ticket_id.empty()) {
    sink.on_action(internal::action_event(outcome),
                   dump_json(internal::outcome_json(outcome, turn.language)));
  }
  stream_words(result.text, sink);
  sink.on_citations({});
  return result;
}

Result<TurnResult> ChatEngine::answer_builtin(TurnContext& turn, TurnSink& sink) {
  TurnResult result;
  result.query = turn.query;
  result.provider = "builtin";
  ExtractiveAnswer extractive =
      answer_extractively(turn.query, turn.language, turn.retrieved, options_.extractive);
  if (extractive.abstained) {
    result.abstained = true;
    result.text = abstain_message(turn.language);
    turn.state->retrieval_gaps.push_back(turn.query);
  } else {
    result.text = extractive.text;
    result.citations = check_grounding(extractive.text, turn.retrieved).citations;
  }
  stream_words(result.text, sink);
  sink.on_citations(result.citations);
  return result;
}

Result<TurnResult> ChatEngine::answer_from_provider(TurnContext& turn, GroundedRelay& relay,
                                                    const Status& streamed, TurnSink& sink) {
  const std::string provider(deps_.provider->name());
  if (!streamed.ok() && relay.shown().empty()) {
    // Nothing reached the customer yet: the built-in responder answers instead.
    spdlog::warn("chat: provider {} failed ({}); falling back to builtin", provider,
                 streamed.to_string());
    auto result = answer_builtin(turn, sink);
    if (result.ok()) result->fallback = true;
    return result;
  }
  TurnResult result;
  result.provider = provider;
  result.query = turn.query;
  result.prompt_tokens = relay.usage().prompt_tokens;
  result.completion_tokens = relay.usage().completion_tokens;
  if (!streamed.ok()) {
    // A grounded part was already shown: it stays the answer (a fallback answer after it would
    // read as a second, unrelated answer).
    spdlog::warn("chat: provider {} failed after a grounded part was shown ({})", provider,
                 streamed.to_string());
    result.text = std::string(relay.shown());
    result.citations = check_grounding(result.text, turn.prompted).citations;
    sink.on_citations(result.citations);
    return result;
  }

  // The model proposes tool calls; the agent decides.
  if (!relay.tool_calls().empty() && deps_.agent) {
    agent::SessionContext ctx;
    ctx.session_id = turn.session.id;
    ctx.customer_token = turn.state->customer_token;
    ctx.language = turn.language;
    std::string messages;
    for (const auto& call : relay.tool_calls()) {
      agent::Outcome outcome = deps_.agent->propose(ctx, call.name, call.arguments_json);
      sink.on_action(internal::action_event(outcome),
                     dump_json(internal::outcome_json(outcome, turn.language)));
      if (!messages.empty()) messages += "\n";
      messages += outcome.message(turn.language);
    }
    if (!relay.shown().empty()) messages.insert(0, "\n");
    result.text = std::string(relay.shown()) + messages;
    stream_words(messages, sink);
    sink.on_citations({});
    return result;
  }

  // Ungrounded text never reaches the customer (the relay held it back).
  Grounding grounding = relay.finish();
  if (relay.shown().empty()) {
    spdlog::info("chat: ungrounded answer from {} ({}); abstaining", provider, grounding.reason);
    result.abstained = true;
    result.text = abstain_message(turn.language);
    turn.state->retrieval_gaps.push_back(turn.query);
    stream_words(result.text, sink);
  } else {
    if (relay.cited_unknown()) {
      spdlog::info("chat: answer from {} cut at an unknown citation", provider);
    }
    result.text = std::string(relay.shown());
    result.citations = grounding.citations;
  }
  sink.on_citations(result.citations);
  return result;
}

Result<TurnResult> ChatEngine::end_turn(TurnContext& turn, Result<TurnResult> result) {
  if (!result.ok()) return result;
  result->language = turn.language;
  result->latency_ms = elapsed_ms(*deps_.clock, turn.started);
  // Store the answer (its text is ours or copied from the KB; it holds no customer PII).
  store::Message answer;
  answer.id = new_id(*deps_.random, "msg");
  answer.session_id = turn.session.id;
  answer.role = "assistant";
  answer.text = result->text;
  answer.created_ms = deps_.clock->unix_millis();
  answer.citations_json = dump_json(internal::citations_json(result->citations));
  answer.provider = result->provider;
  answer.latency_ms = result->latency_ms;
  answer.prompt_tokens = result->prompt_tokens;
  answer.completion_tokens = result->completion_tokens;
  answer.abstained = result->abstained;
  answer.fallback = result->fallback;
  answer.intent = turn.intent;
  answer.meta_json = dump_json({{"query", result->query}});
  ATIENDE_RETURN_IF_ERROR(deps_.conversations->append_message(answer).status());
  result->message_id = answer.id;
  store::Session& session = turn.session;
  session.updated_ms = answer.created_ms;
  if (turn.outcome && !turn.outcome->ticket_id.empty()) session.status = "escalated";
  // append_message() already moved the session's updated_ms; write the rest only if the turn
  // changed it (one write transaction less on most turns, and no overwrite of a concurrent
  // change with the copy read at the start).
  const store::Session& before = turn.session_at_start;
  const bool changed = session.status != before.status || session.last_intent != before.last_intent ||
                       session.resolved != before.resolved || session.language != before.language ||
                       session.consent != before.consent ||
                       session.customer_ref != before.customer_ref;
  if (changed) ATIENDE_RETURN_IF_ERROR(deps_.conversations->update_session(session));
  return result;
}

}  // namespace atiende::chat
