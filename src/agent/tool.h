#pragma once
/// Tool declarations and the registry. A tool is data here: name, kind, Spanish and English
/// descriptions and a JSON Schema for its arguments. What a tool does (preview, execution) lives in
/// agent/tools.h; who may run it lives in agent/policy.h.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agent/json_schema.h"
#include "common/status.h"

namespace atiende::agent {

enum class ToolKind {
  kRead,           ///< reads account or public data
  kStateChanging,  ///< changes the customer's account: preview + confirmation + idempotency key
  kHandoff,        ///< hands the conversation to a human (creates a ticket in our store)
};

/// "read" | "state_changing" | "handoff".
std::string_view tool_kind_name(ToolKind kind);

struct ToolSpec {
  std::string name;            ///< snake_case, e.g. "cambiar_plan"
  ToolKind kind = ToolKind::kRead;
  std::string description_es;
  std::string description_en;
  JsonSchema schema;           ///< arguments (an object schema)
};

/// Tools keyed by name. Not thread-safe while being filled; read-only use is thread-safe.
class ToolRegistry {
 public:
  /// already_exists when the name is taken; invalid_argument for an empty name.
  Status add(ToolSpec spec);
  const ToolSpec* find(std::string_view name) const;
  /// Specs in registration order.
  const std::vector<ToolSpec>& all() const { return specs_; }

 private:
  std::vector<ToolSpec> specs_;
};

/// The six built-in tools: consultar_cuenta, cambiar_plan, pedir_telefono, estado_pedido,
/// consultar_falla, escalar_a_agente. Plan and device ids in the schemas are enums of `plan_ids`
/// / `device_ids` when given (empty = a pattern only).
Result<ToolRegistry> builtin_tool_registry(const std::vector<std::string>& plan_ids,
                                           const std::vector<std::string>& device_ids);

/// Argument names that identify a customer; any of them present with a value other than the
/// token's customer is refused ("customer_mismatch") before anything else happens.
const std::vector<std::string>& customer_argument_names();

}  // namespace atiende::agent
