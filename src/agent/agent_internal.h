#pragma once
// Internal to agent/*.cc: the Agent's implementation state and helpers shared by agent.cc
// (propose/confirm/escalate), agent_tools.cc (per-tool previews, execution, messages) and
// agent_forms.cc (built-in path). Not a public header.

#include <optional>
#include <string>

#include "agent/agent.h"
#include "common/json.h"

namespace atiende::agent {

/// A state-changing action ready to be previewed or executed.
struct PreparedAction {
  ActionPreview preview;      ///< token empty until issued
  int64_t price_cop = 0;      ///< for the price ceiling
  bool plan_in_catalog = true;
  int64_t phone_orders_last_24h = 0;
};

/// Result of preparing an action: either the action or a ready-made refusal.
struct PrepareResult {
  std::optional<PreparedAction> action;
  std::optional<Outcome> refusal;
};

struct Agent::Impl {
  Agent& self;

  // --- agent.cc
  /// Appends an audit record; false (and an error log) when it could not be written, which a
  /// state-changing action must treat as a reason not to act.
  bool audit(const SessionContext& ctx, const Identity& id, std::string action, std::string tool,
             std::string decision, std::string reason, const Json& details);
  Outcome refused(const SessionContext& ctx, const Identity& id, const std::string& tool,
                  const std::string& reason, std::string es, std::string en,
                  const Json& details = Json::object());
  Outcome backend_failure(const SessionContext& ctx, const Identity& id, const std::string& tool,
                          const Status& status);

  // --- agent_tools.cc
  /// Builds the preview of a state-changing tool for `customer_id` (backend reads only).
  Result<PrepareResult> prepare(const SessionContext& ctx, const Identity& id,
                                const std::string& tool, const Json& args);
  /// Runs a read tool.
  Result<Outcome> run_read(const SessionContext& ctx, const Identity& id, const std::string& tool,
                           const Json& args);
  /// Executes a confirmed state-changing tool with `idempotency_key`.
  Result<Outcome> execute(const SessionContext& ctx, const Identity& id, const std::string& tool,
                          const Json& args, const std::string& idempotency_key);
};

/// "59.900 COP".
std::string format_cop(int64_t amount);
/// Only catalog ids and codes from arguments go into the audit log (never free text).
Json audit_safe_args(const Json& args);

}  // namespace atiende::agent
