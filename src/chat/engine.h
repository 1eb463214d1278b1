#pragma once
/// ChatEngine: one customer turn end to end. It anonymizes the message at the edge, lets the
/// agent handle account tasks (confirmations, forms, tool calls), otherwise retrieves passages,
/// generates an answer (built-in extractive responder or an LLM provider), enforces grounding
/// (an answer citing nothing, or citing passages that were not given, becomes the abstain
/// message), falls back to the built-in responder when the provider fails, and stores
/// everything (anonymized) in the conversation store.
///
/// Thread-safe: one engine serves every session; turns of the same session run one at a time, in
/// arrival order (blocking and async turns share that queue).

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chat/citations.h"
#include "chat/extractive.h"
#include "chat/prompt.h"
#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"
#include "retrieve/types.h"
#include "store/conversations.h"

namespace atiende::agent {
class Agent;
struct Outcome;
}  // namespace atiende::agent
namespace atiende::llm {
class LlmClient;
}  // namespace atiende::llm
namespace atiende::net {
class IoRunner;
}  // namespace atiende::net
namespace atiende::retrieve {
class KnowledgeBase;
}  // namespace atiende::retrieve

namespace atiende::chat {

class GroundedRelay;

/// Everything a turn emits, in order. Implemented by the SSE route, the JSON route, the CLI REPL
/// and tests. Callbacks of turn() run on the calling thread; those of turn_async() on the calling
/// thread or an engine I/O thread, never two at once.
class TurnSink {
 public:
  virtual ~TurnSink() = default;
  /// A piece of answer text. With an LLM provider, pieces are released as soon as they are
  /// grounded (see chat/grounded_stream.h), so they may be several upstream tokens long.
  virtual void on_token(std::string_view text) = 0;
  /// The sources of the answer (sent before on_done, possibly empty).
  virtual void on_citations(const std::vector<Citation>& citations) = 0;
  /// An account-task event: `event` is "action_preview", "action_result", "action_refused" or
  /// "handoff"; `json` is its JSON object.
  virtual void on_action(std::string_view event, const std::string& json) = 0;
  /// True when the customer went away: stop working.
  virtual bool cancelled() const { return false; }
  /// Registers `callback` to run once when the customer goes away (at once if already gone), on
  /// any thread; it must be quick. The engine uses it to close the upstream LLM connection
  /// immediately instead of noticing at the next upstream event. Default: never called.
  virtual void on_cancel(std::function<void()> callback) { (void)callback; }
};

/// The summary of a finished turn (the SSE `done` event).
struct TurnResult {
  std::string message_id;      ///< the assistant message
  std::string text;            ///< the full answer as shown
  std::vector<Citation> citations;
  std::string provider;        ///< "builtin", "openai", "bedrock", "agent"
  bool abstained = false;
  bool fallback = false;       ///< the configured provider failed and builtin answered
  int64_t latency_ms = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  std::string language;
  std::string query;           ///< the standalone query used for retrieval ("" for agent turns)
};

struct ChatOptions {
  size_t top_k = 5;                       ///< chat.top_k: passages retrieved per turn
  std::string search_mode = "hybrid";     ///< chat.search_mode
  size_t max_message_chars = 2000;        ///< chat.max_message_chars
  PromptBudget budget;                    ///< chat.budget_*
  ExtractiveOptions extractive;           ///< chat.min_confidence, chat.faq_match...
  std::string template_dir;               ///< chat.prompt_dir
  /// chat.variant: a label for this deployment's config (e.g. "b" in an online A/B test), stored
  /// on every new session so KPIs and exports can be split by it; "" = none.
  std::string variant;
  /// chat.session_idle_minutes: in-memory per-session state (the customer's token, retrieval
  /// gaps) is dropped after this long without a turn; the session's history stays in the store.
  int session_idle_minutes = 120;
  /// chat.max_waiting_turns: turns of one session that may wait behind its running turn; one
  /// more is refused (resource_exhausted, HTTP 429) instead of holding memory or a thread.
  size_t max_waiting_turns = 4;
  double temperature = 0.2;               ///< llm.temperature
  int max_tokens = 400;                   ///< llm.max_tokens
  /// llm.io_threads: threads that drive provider streams for turn_async() (all turns share them;
  /// a thread holds thousands of streams since it only waits on sockets).
  int llm_io_threads = 2;
  /// http.worker_nice, shared with the HTTP worker pool: how much lower the priority of the
  /// end-of-turn thread (the answer's write to the store) is than the stream threads'.
  int turn_end_nice = 10;
};

/// Reads chat.* and llm.temperature/max_tokens; errors name the key.
Result<ChatOptions> chat_options_from_config(const Config& config);

/// Collaborators. `provider` null means built-in only. `agent` null disables account tasks.
/// `anonymize` turns customer text into text safe to store and log (required).
struct ChatEngineDeps {
  std::shared_ptr<retrieve::KnowledgeBase> knowledge_base;
  std::shared_ptr<store::ConversationStore> conversations;
  std::shared_ptr<agent::Agent> agent;
  std::shared_ptr<llm::LlmClient> provider;
  std::function<std::string(std::string_view text, std::string_view language)> anonymize;
  /// Keyed hash of a customer id, for Session::customer_ref.
  std::function<std::string(const std::string& customer_id)> customer_ref;
  const Clock* clock = nullptr;
  Random* random = nullptr;
};

/// What a new session carries.
struct NewSession {
  std::string customer_token;  ///< JWT from the website; "" = anonymous
  std::string language;        ///< "es" | "en" | "" (detected per message)
  bool consent = false;
  std::string channel = "web";
};

class ChatEngine {
 public:
  static Result<std::unique_ptr<ChatEngine>> create(ChatEngineDeps deps, ChatOptions options);
  ~ChatEngine();

  /// Creates a session. An invalid customer token leaves it anonymous (audited by the agent).
  Result<store::Session> create_session(const NewSession& request);

  /// Sessions with in-memory state (bounded by chat.session_idle_minutes); for tests and metrics.
  size_t session_states() const;
  /// The checks turn() applies to a message, for callers that must reject bad input before they
  /// answer (e.g. before an SSE stream starts): invalid_argument for invalid UTF-8, a blank
  /// message or one over chat.max_message_chars code points.
  Status check_message(std::string_view text) const;
  /// Runs one turn, holding the calling thread until it ends (also while a provider streams).
  /// invalid_argument for an empty/oversized/invalid-UTF-8 message, not_found for an unknown
  /// session; the session stays usable after any error.
  Result<TurnResult> turn(const std::string& session_id, std::string_view text, TurnSink& sink);

  /// Called once when an async turn ends, with the same result turn() would return.
  using TurnDone = std::function<void(Result<TurnResult> result)>;
  /// Runs one turn without holding the calling thread while an LLM provider streams: validation,
  /// the agent, retrieval and prompt assembly run on the calling thread (about a millisecond);
  /// the provider's stream, the grounding check and storing the answer run on the engine's I/O
  /// threads (llm.io_threads). Without a provider, or for an agent turn, everything runs on the
  /// calling thread before this returns. A turn queued behind another turn of the same session
  /// starts when that one ends, on the thread that ended it. `done` runs exactly once, after the
  /// last sink callback (unless the engine is destroyed first).
  void turn_async(std::string session_id, std::string text, std::shared_ptr<TurnSink> sink,
                  TurnDone done);
  /// turn_async() for a caller that has just read the session (the HTTP route reads it to answer
  /// 404 before an event stream starts): the same turn, without reading the session again.
  void turn_async(store::Session session, std::string text, std::shared_ptr<TurnSink> sink,
                  TurnDone done);
  /// Confirms or cancels an action preview (the UI's buttons). Returns the agent's outcome as JSON
  /// {"status": "executed"|"cancelled"|"refused"|..., "message", "reason_code", "result"}.
  Result<std::string> confirm(const std::string& session_id, std::string_view token,
                              std::string_view decision);
  Status feedback(const std::string& session_id, const std::string& message_id,
                  std::string_view rating, std::string_view comment);
  Status survey(const std::string& session_id, int64_t csat, std::string_view comment,
                bool resolved);
  /// {"session": {...}, "messages": [...]} as JSON text.
  Result<std::string> transcript_json(const std::string& session_id);

  store::ConversationStore& conversations() { return *deps_.conversations; }

 private:
  ChatEngine(ChatEngineDeps deps, ChatOptions options);
  struct SessionState;
  struct TurnContext;
    std::shared_ptr<SessionState> state_of(const std::string& session_id);
  /// Per-session turn order: runs `start` now when no turn of the session is running, else when
  /// the turns before it called leave(). Refuses (resource_exhausted, `start` dropped unrun) when
  /// chat.max_waiting_turns turns already wait.
  Status enter(SessionState& state, std::function<void()> start);
  /// Blocks until the session is free (enter() for blocking callers); the same refusal.
  Status wait_for_turn(SessionState& state);
  /// Ends the running turn of the session and starts the next queued one, if any.
  void leave(SessionState& state);

  // The turn pipeline (engine_turn.cc).
  Result<std::shared_ptr<TurnContext>> begin_turn(const std::string& session_id, std::string_view text);
  Result<std::shared_ptr<TurnContext>> begin_turn(store::Session session, std::string_view text);
  /// Queues a begun turn behind the session's running turn (turn_async()); `done` gets the error
  /// of a turn that could not begin.
  void queue_turn(Result<std::shared_ptr<TurnContext>> turn, std::shared_ptr<TurnSink> sink,
                  TurnDone done);
  Status prepare(TurnContext& turn, TurnSink& sink);
  /// The session's latest messages, oldest first: as many as the history budget can use.
  std::vector<store::Message> recent_context(const std::string& session_id);
  void prepare_provider_request(TurnContext& turn, const std::vector<store::Message>& history);
  /// True when the built-in responder answers `text` from the KB with a FAQ match or at least
  /// kOverrideConfidence (used to overrule the classifier's out-of-scope guess).
  bool knowledge_base_answers(const std::string& text, const std::string& language);
  static constexpr double kOverrideConfidence = 0.75;
  Result<TurnResult> answer_without_provider(TurnContext& turn, TurnSink& sink);
  Result<TurnResult> answer_builtin(TurnContext& turn, TurnSink& sink);
  Result<TurnResult> answer_from_provider(TurnContext& turn, GroundedRelay& relay,
                                          const Status& streamed, TurnSink& sink);
  Result<TurnResult> end_turn(TurnContext& turn, Result<TurnResult> result);
  void start_async(std::shared_ptr<TurnContext> turn, std::shared_ptr<TurnSink> sink, TurnDone done);

  ChatEngineDeps deps_;
  ChatOptions options_;
  mutable std::mutex sessions_mutex_;
  std::map<std::string, std::shared_ptr<SessionState>> sessions_;
  size_t lookups_since_sweep_ = 0;
  static constexpr size_t kSweepEvery = 256;  ///< state_of() calls between sweeps of idle states
  /// Ends turn_async() turns whose provider stream finished (grounding check, storing the answer,
  /// the `done` event): off runner_, so a stream's tokens never wait behind a database write of
  /// another turn. Declared before runner_, which may post here until it stops. Null without a
  /// provider.
  std::unique_ptr<net::IoRunner> finisher_;
  /// Drives provider streams of turn_async(); declared last so it stops (and drops suspended
  /// calls) before anything they use is destroyed. Null without a provider.
  std::unique_ptr<net::IoRunner> runner_;
};

/// Writes `text` to `sink` in word-sized pieces (how built-in answers stream).
void stream_words(std::string_view text, TurnSink& sink);

}  // namespace atiende::chat
