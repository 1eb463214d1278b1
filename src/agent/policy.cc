#include "agent/policy.h"

#include "common/json.h"

namespace atiende::agent {

std::string_view policy_effect_name(PolicyEffect effect) {
  switch (effect) {
    case PolicyEffect::kAllow: return "allow";
    case PolicyEffect::kDeny: return "deny";
    case PolicyEffect::kNeedsLogin: return "needs_login";
  }
  return "deny";
}

Result<PolicyConfig> policy_from_config(const Config& config, const ToolRegistry& registry) {
  PolicyConfig out;
  ATIENDE_ASSIGN_OR_RETURN(out.price_ceiling_cop,
                           config.get_int("agent.policy.price_ceiling_cop", out.price_ceiling_cop));
  ATIENDE_ASSIGN_OR_RETURN(out.phone_orders_per_24h,
                           config.get_int("agent.policy.phone_orders_per_24h",
                                          out.phone_orders_per_24h));
  ATIENDE_ASSIGN_OR_RETURN(out.catalog_plans_only,
                           config.get_bool("agent.policy.catalog_plans_only", true));
  if (out.price_ceiling_cop <= 0) {
    return Status::invalid_argument("agent.policy.price_ceiling_cop must be positive");
  }
  if (out.phone_orders_per_24h < 0) {
    return Status::invalid_argument("agent.policy.phone_orders_per_24h must be >= 0");
  }
  for (const auto& spec : registry.all()) {
    ToolPolicy p;
    switch (spec.kind) {
      case ToolKind::kStateChanging:
        p = {true, true, 5};
        break;
      case ToolKind::kHandoff:
        p = {false, false, 3};
        break;
      case ToolKind::kRead:
        p = {spec.name != "consultar_falla", false, 30};
        break;
    }
    const std::string prefix = "agent.policy.tools." + spec.name + ".";
    ATIENDE_ASSIGN_OR_RETURN(p.requires_auth, config.get_bool(prefix + "requires_auth", p.requires_auth));
    ATIENDE_ASSIGN_OR_RETURN(p.requires_confirmation,
                             config.get_bool(prefix + "requires_confirmation", p.requires_confirmation));
    ATIENDE_ASSIGN_OR_RETURN(p.max_per_session,
                             config.get_int(prefix + "max_per_session", p.max_per_session));
    if (spec.kind == ToolKind::kStateChanging && (!p.requires_confirmation || !p.requires_auth)) {
      return Status::invalid_argument(prefix +
                                      "requires_confirmation/requires_auth cannot be false for a "
                                      "state-changing tool");
    }
    if (p.max_per_session < 0) return Status::invalid_argument(prefix + "max_per_session must be >= 0");
    out.tools[spec.name] = p;
  }
  // Reject policy entries for tools that do not exist (a typo would otherwise be silent).
  auto declared = config.get_json("agent.policy.tools");
  if (declared.ok()) {
    auto parsed = parse_json(*declared);
    if (parsed.ok() && parsed->is_object()) {
      for (const auto& [name, value] : parsed->items()) {
        if (!registry.find(name)) {
          return Status::invalid_argument("agent.policy.tools." + name + ": unknown tool");
        }
      }
    }
  }
  return out;
}

PolicyDecision decide(const PolicyConfig& config, const ToolSpec& tool, const PolicyFacts& facts) {
  PolicyDecision d;
  auto it = config.tools.find(tool.name);
  if (it == config.tools.end()) {
    d.reason_code = "unknown_tool";
    return d;
  }
  const ToolPolicy& p = it->second;
  d.requires_confirmation = p.requires_confirmation || tool.kind == ToolKind::kStateChanging;
  if (p.requires_auth && !facts.authenticated) {
    d.effect = PolicyEffect::kNeedsLogin;
    d.reason_code = "login_required";
    return d;
  }
  if (p.max_per_session > 0 && facts.session_proposals >= p.max_per_session) {
    d.reason_code = "session_rate_limit";
    return d;
  }
  if (tool.name == "cambiar_plan" && config.catalog_plans_only && !facts.plan_in_catalog) {
    d.reason_code = "plan_not_in_catalog";
    return d;
  }
  if (facts.price_cop > config.price_ceiling_cop) {
    d.reason_code = "price_ceiling";
    return d;
  }
  if (tool.name == "pedir_telefono" && facts.phone_orders_last_24h >= config.phone_orders_per_24h) {
    d.reason_code = "phone_order_limit";
    return d;
  }
  d.effect = PolicyEffect::kAllow;
  d.reason_code = "ok";
  return d;
}

}  // namespace atiende::agent
