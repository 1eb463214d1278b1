#include "agent/tool.h"

#include "common/json.h"

namespace atiende::agent {

std::string_view tool_kind_name(ToolKind kind) {
  switch (kind) {
    case ToolKind::kRead: return "read";
    case ToolKind::kStateChanging: return "state_changing";
    case ToolKind::kHandoff: return "handoff";
  }
  return "read";
}

Status ToolRegistry::add(ToolSpec spec) {
  if (spec.name.empty()) return Status::invalid_argument("tool name is empty");
  if (find(spec.name)) return Status::already_exists("tool '" + spec.name + "' is already registered");
  specs_.push_back(std::move(spec));
  return Status::ok_status();
}

const ToolSpec* ToolRegistry::find(std::string_view name) const {
  for (const auto& s : specs_) if (s.name == name) return &s;
  return nullptr;
}

const std::vector<std::string>& customer_argument_names() {
  static const std::vector<std::string> kNames = {"customer_id", "cliente_id", "id_cliente",
                                                  "customer",    "cliente",    "account_id",
                                                  "cuenta_id",   "customerId", "sub"};
  return kNames;
}

namespace {

Json customer_property() {
  return {{"type", "string"},
          {"maxLength", 64},
          {"description",
           "Optional. Ignored when equal to the logged-in customer; any other value is refused."}};
}

Json id_property(const std::vector<std::string>& ids, const char* pattern, const char* description) {
  Json p = {{"type", "string"}, {"maxLength", 64}, {"description", description}};
  if (!ids.empty()) {
    p["enum"] = ids;
  } else {
    p["pattern"] = pattern;
  }
  return p;
}

Status add_tool(ToolRegistry& registry, const char* name, ToolKind kind, const char* es,
                const char* en, const Json& schema) {
  ATIENDE_ASSIGN_OR_RETURN(JsonSchema compiled, JsonSchema::compile(dump_json(schema)));
  return registry.add({name, kind, es, en, std::move(compiled)});
}

}  // namespace

Result<ToolRegistry> builtin_tool_registry(const std::vector<std::string>& plan_ids,
                                           const std::vector<std::string>& device_ids) {
  ToolRegistry r;
  const Json empty_props = {{"customer_id", customer_property()}};
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "consultar_cuenta", ToolKind::kRead,
      "Consulta la cuenta del cliente que inició sesión: plan, consumo de datos, saldo, equipos y "
      "pedidos abiertos.",
      "Looks up the logged-in customer's account: plan, data usage, balance, devices and open "
      "orders.",
      {{"type", "object"}, {"properties", empty_props}, {"additionalProperties", false}}));
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "cambiar_plan", ToolKind::kStateChanging,
      "Cambia el plan del cliente a un plan del catálogo (por ejemplo, para tener más datos 5G). "
      "Primero muestra la diferencia de precio y la fecha efectiva y pide confirmación.",
      "Changes the customer's plan to a catalog plan (e.g. for more 5G data). First shows the "
      "price difference and effective date and asks for confirmation.",
      {{"type", "object"},
       {"properties",
        {{"plan_id", id_property(plan_ids, "^plan-[a-z0-9-]{1,40}$", "Catalog plan id")},
         {"customer_id", customer_property()}}},
       {"required", {"plan_id"}},
       {"additionalProperties", false}}));
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "pedir_telefono", ToolKind::kStateChanging,
      "Pide un equipo del catálogo en un color disponible, con envío a la dirección registrada. "
      "Primero muestra el precio y la fecha estimada de entrega y pide confirmación.",
      "Orders a catalog phone in an available color, shipped to the address on file. First shows "
      "the price and delivery estimate and asks for confirmation.",
      {{"type", "object"},
       {"properties",
        {{"device_id", id_property(device_ids, "^dev-[a-z0-9-]{1,40}$", "Catalog device id")},
         {"color", {{"type", "string"}, {"minLength", 1}, {"maxLength", 40},
                    {"description", "One of the device's catalog colors"}}},
         {"customer_id", customer_property()}}},
       {"required", {"device_id", "color"}},
       {"additionalProperties", false}}));
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "estado_pedido", ToolKind::kRead,
      "Muestra el estado de los pedidos del cliente (o de uno, por su número ORD-NNNNN).",
      "Shows the status of the customer's orders (or of one, by its ORD-NNNNN number).",
      {{"type", "object"},
       {"properties",
        {{"order_id", {{"type", "string"}, {"pattern", "^ORD-[0-9]{5}$"},
                       {"description", "Order number, e.g. ORD-50021"}}},
         {"customer_id", customer_property()}}},
       {"additionalProperties", false}}));
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "consultar_falla", ToolKind::kRead,
      "Consulta fallas y mantenimientos por ciudad o barrio y por servicio (móvil o internet hogar).",
      "Looks up outages and maintenance windows by city or neighborhood and service (mobile or "
      "home internet).",
      {{"type", "object"},
       {"properties",
        {{"area", {{"type", "string"}, {"maxLength", 60}, {"description", "City or neighborhood"}}},
         {"service", {{"type", "string"}, {"enum", {"movil", "internet_hogar"}}}},
         {"customer_id", customer_property()}}},
       {"additionalProperties", false}}));
  ATIENDE_RETURN_IF_ERROR(add_tool(
      r, "escalar_a_agente", ToolKind::kHandoff,
      "Transfiere la conversación a un asesor humano y crea un caso con el contexto.",
      "Hands the conversation over to a human agent and opens a ticket with the context.",
      {{"type", "object"},
       {"properties",
        {{"reason", {{"type", "string"}, {"maxLength", 300},
                     {"description", "Short reason for the handoff"}}},
         {"customer_id", customer_property()}}},
       {"additionalProperties", false}}));
  return r;
}

}  // namespace atiende::agent
