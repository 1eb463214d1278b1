#pragma once
/// Agent: the one facade the chat engine calls. The model (function calling) or the built-in
/// intent classifier + forms only PROPOSE; this code decides: identity from the session's JWT,
/// schema validation, customer binding, policy, preview + one-time confirmation token,
/// idempotent execution, audit of every step, handoff tickets.
///
/// Per turn the chat engine calls one of:
///  - `propose(ctx, tool, args_json)`: a tool call proposed by an LLM (or any caller).
///  - `confirm(ctx, token, decision)`: the "Confirmar"/"Cancelar" buttons or
///    POST /v1/chat/sessions/{id}/confirm {"token","decision"}.
///  - `handle_builtin_turn(ctx, text)`: the built-in provider (no model): yes/no replies to a
///    pending preview, slot-filling forms, small talk; nullopt means "a knowledge question: answer
///    it with retrieval".
///  - `escalate(ctx, reason_code, summary)`: e.g. an abstain the customer did not accept.
/// and `tools_for_llm(language)` to offer the tools to a model.
///
/// Invariants (tested in tests/agent/agent_safety_test.cc):
///  - No state-changing backend call happens without a valid confirmation: the token must exist,
///    be pending, unexpired, and bound to this session, this customer, this tool and these exact
///    (canonical) arguments; it is consumed atomically (single use).
///  - A tool always acts on the token's customer; any customer id in the arguments that differs
///    is refused ("customer_mismatch") and audited.
///  - Invalid, expired or forged customer tokens make the session anonymous (audited), never crash.
/// Thread-safe: one Agent serves every session concurrently.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agent/agent_store.h"
#include "agent/backend.h"
#include "agent/catalog.h"
#include "agent/identity.h"
#include "agent/intent_classifier.h"
#include "agent/policy.h"
#include "agent/tickets.h"
#include "agent/tool.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/status.h"

namespace atiende::agent {

/// What the chat engine knows about the session at this turn.
struct SessionContext {
  std::string session_id;      ///< required
  std::string customer_token;  ///< raw JWT from the website, "" when anonymous
  std::string language = "es";  ///< "es" | "en": which message the engine will show
  /// Recent turns (raw; anonymized by the ticket store) and KB questions without an answer, used
  /// only when a handoff ticket is created.
  std::vector<TranscriptTurn> transcript;
  std::vector<std::string> retrieval_gaps;
};

enum class OutcomeKind {
  kPreview,     ///< a state-changing action awaits confirmation (SSE `action_preview`)
  kResult,      ///< something was done or read (SSE `action_result`); also small talk replies
  kRefused,     ///< not done, with a reason code (SSE `action_refused`); also a cancellation
                ///< by the customer (reason "cancelled")
  kNeedsLogin,  ///< the tool needs a logged-in customer
  kClarify,     ///< a form needs a slot or the reply was unclear: show the message, wait
};

/// "preview" | "result" | "refused" | "needs_login" | "clarify".
std::string_view outcome_kind_name(OutcomeKind kind);

struct ActionPreview {
  std::string token;           ///< one-time confirmation token (opaque, 64 hex chars)
  std::string tool;
  std::string summary_es;      ///< what will change
  std::string summary_en;
  int64_t price_cop = 0;       ///< price of the action (plan: new monthly price; phone: price)
  int64_t price_delta_cop = 0;  ///< plan change: new minus old monthly price; 0 otherwise
  std::string effective_date;  ///< ISO date (plan change) or delivery estimate date (order)
  int64_t expires_at_ms = 0;   ///< the token's expiry (unix millis)
  std::string changes_json = "{}";  ///< machine-readable details
};

struct Outcome {
  OutcomeKind kind = OutcomeKind::kRefused;
  std::string tool;             ///< tool involved ("" for small talk / out of scope)
  std::string intent;           ///< classified intent (built-in path), else ""
  std::string message_es;       ///< what to tell the customer
  std::string message_en;
  std::optional<ActionPreview> preview;
  std::string result_json = "{}";  ///< tool result for the model (function result) and the UI
  std::string reason_code;      ///< "ok", "login_required", "customer_mismatch", ...
  bool offer_ticket = false;    ///< backend down: offer a handoff ticket
  std::string ticket_id;        ///< set when a ticket was created
  std::string slots_json = "{}";  ///< filled slots of the form (built-in path)

  const std::string& message(std::string_view language) const {
    return language == "en" ? message_en : message_es;
  }
};

/// A tool as offered to a model (OpenAI-style function).
struct LlmTool {
  std::string name;
  std::string description;
  std::string parameters_json;  ///< JSON Schema of the arguments
  ToolKind kind = ToolKind::kRead;
};

struct AgentOptions {
  PolicyConfig policy;                       ///< from policy_from_config()
  int64_t confirmation_ttl_ms = 5 * 60 * 1000;
  double intent_threshold = -1;              ///< < 0: the classifier model's threshold
  /// A tool intent (plan change, order, outage lookup, handoff...) predicted with less confidence
  /// than this is treated as a knowledge question: acting on a weak guess (a login prompt or an
  /// outage list for "¿cuándo se aplica si bajo de plan?") costs more than answering from the KB.
  double tool_intent_threshold = 0.35;
};

/// Everything the agent uses. Shared pointers keep the collaborators alive; the clock and random
/// must outlive the agent. `verifier` null = every session anonymous. `classifier` null = the
/// built-in path only handles confirmations.
struct AgentDeps {
  std::shared_ptr<store::SqliteDatabase> db;
  std::shared_ptr<Backend> backend;
  std::shared_ptr<const Catalog> catalog;
  std::shared_ptr<audit::AuditLog> audit;
  std::shared_ptr<TicketStore> tickets;
  std::shared_ptr<const TokenVerifier> verifier;
  std::shared_ptr<const IntentClassifier> classifier;
  const Clock* clock = nullptr;
  Random* random = nullptr;
};

class Agent {
 public:
  /// invalid_argument when a required dependency is missing.
  static Result<std::unique_ptr<Agent>> create(AgentDeps deps, ToolRegistry registry,
                                               AgentOptions options);
  ~Agent();

  /// The session's identity; an invalid (not empty) token is audited as "token_invalid".
  Identity identify(const SessionContext& ctx);

  /// Tools with schemas and descriptions in `language` ("es" | "en") for function calling.
  std::vector<LlmTool> tools_for_llm(std::string_view language) const;

  /// A proposed tool call. Reads and handoffs run at once (kResult); state-changing tools return
  /// a kPreview with a confirmation token; everything else is kRefused / kNeedsLogin with a
  /// reason code. `args_json` is untrusted.
  Outcome propose(const SessionContext& ctx, std::string_view tool_name, std::string_view args_json);

  /// Confirms or cancels a preview. `decision`: "confirm" | "yes" | "cancel" | "no".
  Outcome confirm(const SessionContext& ctx, std::string_view token, std::string_view decision);

  /// Built-in provider turn (with a model, the engine calls it for yes/no replies only): a yes/no
  /// to a pending preview, or to the offer of a human that ends an abstain (yes creates a ticket,
  /// reason "abstain_rejected"; needs the ticket store's ConversationStore), slot-filling forms,
  /// small talk. nullopt when `text` is a knowledge question for retrieval.
  std::optional<Outcome> handle_builtin_turn(const SessionContext& ctx, std::string_view text);

  /// Creates (or returns the open) handoff ticket for the session.
  Outcome escalate(const SessionContext& ctx, std::string_view reason_code, std::string_view summary,
                   std::string_view intent = "", std::string_view slots_json = "{}");

  const ToolRegistry& registry() const { return registry_; }
  const Catalog& catalog() const { return *deps_.catalog; }
  TicketStore& tickets() { return *deps_.tickets; }
  /// Forgets these sessions: their tickets, confirmations, counters and form state (customer
  /// erasure and retention; the audit log keeps its hashed references). Returns tickets removed.
  Result<int64_t> erase_sessions(const std::vector<std::string>& session_ids);

  struct Impl;

 private:
  Agent() = default;
  AgentDeps deps_;
  ToolRegistry registry_;
  AgentOptions options_;
  std::unique_ptr<AgentStore> store_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atiende::agent
