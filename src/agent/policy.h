#pragma once
/// Policy: who may run which tool, and within which limits. Declarative per tool in config,
/// with defaults; decisions are pure, deterministic functions of (config, tool, facts) and carry a
/// reason code. The model never decides any of this.
///
/// Config (all optional):
///   [agent.policy]
///   price_ceiling_cop = 7000000      # no single action above this price
///   phone_orders_per_24h = 1         # per customer
///   catalog_plans_only = true
///   [agent.policy.tools.pedir_telefono]
///   requires_auth = true
///   requires_confirmation = true
///   max_per_session = 3              # proposals per session (0 = unlimited)
/// Defaults: state-changing tools require auth + confirmation, max 5 proposals per session;
/// consultar_cuenta and estado_pedido require auth (max 30); consultar_falla and escalar_a_agente
/// do not (max 30 and 3). requires_confirmation cannot be turned off for state-changing tools
/// (a config that tries is rejected), so a config mistake never removes the confirmation step.

#include <cstdint>
#include <map>
#include <string>

#include "agent/tool.h"
#include "common/config.h"
#include "common/status.h"

namespace atiende::agent {

struct ToolPolicy {
  bool requires_auth = true;
  bool requires_confirmation = false;
  int64_t max_per_session = 30;  ///< 0 = unlimited
};

struct PolicyConfig {
  std::map<std::string, ToolPolicy> tools;  ///< by tool name; every registered tool has one
  int64_t price_ceiling_cop = 7'000'000;
  int64_t phone_orders_per_24h = 1;
  bool catalog_plans_only = true;
};

/// Defaults for every tool of `registry`, overridden by `agent.policy.*` in `config`.
/// invalid_argument naming the key for bad values or unknown tool names.
Result<PolicyConfig> policy_from_config(const Config& config, const ToolRegistry& registry);

/// Everything the decision looks at, gathered by the caller.
struct PolicyFacts {
  bool authenticated = false;
  int64_t session_proposals = 0;       ///< earlier proposals of this tool in this session
  int64_t price_cop = 0;               ///< price of the action (0 for reads)
  bool plan_in_catalog = true;         ///< cambiar_plan: target plan exists in the catalog
  int64_t phone_orders_last_24h = 0;   ///< pedir_telefono: the customer's orders in the last 24 h
};

enum class PolicyEffect { kAllow, kDeny, kNeedsLogin };

struct PolicyDecision {
  PolicyEffect effect = PolicyEffect::kDeny;
  bool requires_confirmation = false;
  /// "ok" | "login_required" | "unknown_tool" | "session_rate_limit" | "price_ceiling"
  /// | "plan_not_in_catalog" | "phone_order_limit"
  std::string reason_code;
};

/// The decision for `tool` given `facts`. Pure and deterministic.
PolicyDecision decide(const PolicyConfig& config, const ToolSpec& tool, const PolicyFacts& facts);

/// "allow" | "deny" | "needs_login".
std::string_view policy_effect_name(PolicyEffect effect);

}  // namespace atiende::agent
