#pragma once
/// Pieces of ChatEngine shared by engine.cc (sessions, confirmations, feedback) and
/// engine_turn.cc (the turn pipeline). Not part of the module's public API.

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent.h"
#include "chat/engine.h"
#include "common/json.h"
#include "llm/types.h"

namespace atiende::chat {

/// In-memory per-session state: the customer's JWT (a credential, never persisted), the queries
/// the knowledge base could not answer, and the turn queue. `mutex` guards only the queue
/// (`turn_running`, `waiting`); the other fields belong to the running turn (one at a time).
struct ChatEngine::SessionState {
  std::mutex mutex;
  bool turn_running = false;
  std::deque<std::function<void()>> waiting;
  std::string customer_token;
  std::vector<std::string> retrieval_gaps;
  /// Last state_of() for the session (guarded by ChatEngine::sessions_mutex_): idle states are
  /// dropped after chat.session_idle_minutes, so the map does not grow with every session ever
  /// opened. A dropped session keeps working from the store but is anonymous again.
  std::chrono::steady_clock::time_point last_used;
};

/// One turn on its way through the pipeline.
struct ChatEngine::TurnContext {
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<SessionState> state;
  store::Session session;
  store::Session session_at_start;  ///< as read when the turn began (to skip a no-op update)
  std::string text;       ///< trimmed customer text (raw: never stored or logged)
  std::string language;
  std::string safe_text;  ///< anonymized
  std::string intent;
  std::optional<agent::Outcome> outcome;  ///< set when the agent answers this turn
  std::string query;                      ///< standalone retrieval query
  std::vector<Passage> retrieved;         ///< for the built-in responder
  std::vector<Passage> prompted;          ///< the passages the model was given (grounding)
  bool use_provider = false;
  llm::ChatRequest request;
};

namespace internal {

Json citations_json(const std::vector<Citation>& citations);
Json outcome_json(const agent::Outcome& outcome, std::string_view language);
/// The SSE event an agent outcome maps to.
std::string_view action_event(const agent::Outcome& outcome);

}  // namespace internal
}  // namespace atiende::chat
