// Per-tool behaviour of the Agent: previews of state-changing tools, execution, read tools and
// their customer-facing messages (Spanish and English).

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "agent/agent_internal.h"
#include "agent/dates.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;

const char* const kMainCities[] = {"bogota",    "medellin",    "cali",   "barranquilla",
                                   "cartagena", "bucaramanga", "pereira"};

bool main_city(const std::string& city) {
  const std::string f = text::fold(city);
  for (const char* c : kMainCities) if (f == c) return true;
  return false;
}

std::string gb(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  std::string s = buf;
  if (s.size() > 2 && s.substr(s.size() - 2) == ".0") s.resize(s.size() - 2);
  return s;
}

Outcome result(std::string tool, std::string es, std::string en, const Json& data) {
  Outcome o;
  o.kind = OutcomeKind::kResult;
  o.tool = std::move(tool);
  o.reason_code = "ok";
  o.message_es = std::move(es);
  o.message_en = std::move(en);
  o.result_json = dump_json(data);
  return o;
}

Outcome clarify_refusal(std::string tool, std::string reason, std::string es, std::string en) {
  Outcome o;
  o.kind = OutcomeKind::kRefused;
  o.tool = std::move(tool);
  o.reason_code = std::move(reason);
  o.message_es = std::move(es);
  o.message_en = std::move(en);
  o.result_json = dump_json(Json{{"error", o.reason_code}, {"message", o.message_en}});
  return o;
}

std::string join_list(const std::vector<std::string>& items, const char* last_sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last_sep : ", ";
    out += items[i];
  }
  return out;
}

std::string status_es(const std::string& s) {
  if (s == "preparando") return "en preparación";
  if (s == "en_camino") return "en camino";
  if (s == "entregado") return "entregado";
  return s;
}

}  // namespace

Result<PrepareResult> Agent::Impl::prepare(const SessionContext& ctx, const Identity& id,
                                           const std::string& tool, const Json& args) {
  const Catalog& catalog = *self.deps_.catalog;
  Backend& backend = *self.deps_.backend;
  const int64_t now = self.deps_.clock->unix_millis();
  const CivilDate today = local_date_of(now);
  PrepareResult out;
  auto refuse = [&](std::string reason, std::string es, std::string en) -> Result<PrepareResult> {
    audit(ctx, id, "refused", tool, "deny", reason, {{"args", audit_safe_args(args)}});
    out.refusal = clarify_refusal(tool, std::move(reason), std::move(es), std::move(en));
    return out;
  };
  if (tool == "cambiar_plan") {
    const std::string plan_id = args.value("plan_id", "");
    const Plan* target = catalog.find_plan(plan_id);
    PreparedAction action;
    if (!target) {
      action.plan_in_catalog = false;
      out.action = action;
      return out;
    }
    ATIENDE_ASSIGN_OR_RETURN(Account account, backend.get_account(id.customer_id));
    const bool home = target->type == "hogar_fibra";
    const Plan* current = catalog.find_plan(home ? account.home_plan_id : account.plan_id);
    if (!current) {
      return refuse("no_current_plan",
                    home ? "No tienes un plan de internet hogar para cambiar. Un asesor puede "
                           "ayudarte a contratarlo."
                         : "No encontré un plan móvil en tu cuenta para cambiar.",
                    home ? "You have no home internet plan to change. An agent can help you "
                           "sign up."
                         : "I found no mobile plan on your account to change.");
    }
    if (current->id == target->id) {
      return refuse("same_plan", "Ya tienes el " + target->name + ".",
                    "You already have " + target->name + ".");
    }
    if (current->type != target->type) {
      return refuse("plan_family_mismatch",
                    "El cambio de " + current->name + " a " + target->name +
                        " es una migración entre prepago y pospago (o entre móvil y hogar) y "
                        "requiere un estudio de crédito; un asesor puede ayudarte.",
                    "Changing from " + current->name + " to " + target->name +
                        " is a prepaid/postpaid (or mobile/home) migration that needs a credit "
                        "check; an agent can help you.");
    }
    const int64_t delta = target->price_cop - current->price_cop;
    const bool upgrade = delta > 0;
    const CivilDate effective =
        upgrade ? today : next_cycle_start(today, static_cast<int>(account.billing_cycle_day));
    action.price_cop = target->price_cop;
    action.plan_in_catalog = true;
    ActionPreview& p = action.preview;
    p.price_cop = target->price_cop;
    p.price_delta_cop = delta;
    p.effective_date = iso_date(effective);
    const std::string delta_text = (delta > 0 ? "+" : "") + format_cop(delta);
    p.summary_es = "Cambiar tu plan de " + current->name + " (" + format_cop(current->price_cop) +
                   ") a " + target->name + " (" + format_cop(target->price_cop) + "): " +
                   delta_text + " por periodo. " +
                   (upgrade ? "Aplica de inmediato (" + p.effective_date +
                                  "), con cobro prorrateado en tu próxima factura."
                            : "Aplica al inicio de tu próximo ciclo de facturación (" +
                                  p.effective_date + ").");
    p.summary_en = "Change your plan from " + current->name + " (" + format_cop(current->price_cop) +
                   ") to " + target->name + " (" + format_cop(target->price_cop) + "): " +
                   delta_text + " per period. " +
                   (upgrade ? "Effective immediately (" + p.effective_date +
                                  "), prorated on your next invoice."
                            : "Effective at the start of your next billing cycle (" +
                                  p.effective_date + ").");
    p.changes_json = dump_json(Json{{"from_plan_id", current->id}, {"to_plan_id", target->id},
                                    {"price_delta_cop", delta}, {"immediate", upgrade}});
    out.action = std::move(action);
    return out;
  }
  if (tool == "pedir_telefono") {
    const std::string device_id = args.value("device_id", "");
    const std::string color = args.value("color", "");
    const Device* device = catalog.find_device(device_id);
    if (!device) {
      return refuse("unknown_device", "Ese equipo no está en nuestro catálogo.",
                    "That device is not in our catalog.");
    }
    if (std::find(device->colors.begin(), device->colors.end(), color) == device->colors.end()) {
      return refuse("unknown_color",
                    "El " + device->name + " está disponible en: " + join_list(device->colors, " y ") +
                        ". ¿Cuál prefieres?",
                    "The " + device->name + " comes in: " + join_list(device->colors, " and ") +
                        ". Which one would you like?");
    }
    if (device->stock <= 0) {
      const std::string days = std::to_string(device->restock_days > 0 ? device->restock_days : 15);
      return refuse("sold_out",
                    "El " + device->name + " está agotado; esperamos unidades en unos " + days +
                        " días. ¿Quieres ver otro equipo?",
                    "The " + device->name + " is sold out; we expect stock in about " + days +
                        " days. Would you like another phone?");
    }
    ATIENDE_ASSIGN_OR_RETURN(Account account, backend.get_account(id.customer_id));
    ATIENDE_ASSIGN_OR_RETURN(auto orders, backend.list_orders(id.customer_id));
    PreparedAction action;
    for (const auto& o : orders) action.phone_orders_last_24h += o.created_ms > now - kDayMs;
    action.price_cop = device->price_cop;
    const bool main = main_city(account.city);
    const CivilDate eta = add_business_days(today, main ? 3 : 6);
    ActionPreview& p = action.preview;
    p.price_cop = device->price_cop;
    p.effective_date = iso_date(eta);
    const std::string where = account.city.empty() ? "" : " en " + account.city;
    p.summary_es = "Pedir un " + device->name + " color " + color + " por " +
                   format_cop(device->price_cop) +
                   " (IVA incluido), con envío gratis a tu dirección registrada" + where + ": " +
                   (main ? "2 a 3" : "3 a 6") + " días hábiles (a más tardar " + p.effective_date + ").";
    p.summary_en = "Order a " + device->name + " in " + color + " for " +
                   format_cop(device->price_cop) + " (VAT included), free shipping to your address on file" +
                   (account.city.empty() ? "" : " in " + account.city) + ": " +
                   (main ? "2 to 3" : "3 to 6") + " business days (by " + p.effective_date + ").";
    p.changes_json = dump_json(Json{{"device_id", device->id}, {"color", color},
                                    {"delivery_by", p.effective_date}});
    out.action = std::move(action);
    return out;
  }
  return Status::internal("prepare: not a state-changing tool: " + tool);
}

Result<Outcome> Agent::Impl::execute(const SessionContext&, const Identity& id,
                                     const std::string& tool, const Json& args,
                                     const std::string& idempotency_key) {
  Backend& backend = *self.deps_.backend;
  const Catalog& catalog = *self.deps_.catalog;
  if (tool == "cambiar_plan") {
    PlanChangeRequest req;
    req.customer_id = id.customer_id;
    req.plan_id = args.value("plan_id", "");
    const Plan* target = catalog.find_plan(req.plan_id);
    ATIENDE_ASSIGN_OR_RETURN(Account account, backend.get_account(id.customer_id));
    const Plan* current = catalog.find_plan(target && target->type == "hogar_fibra"
                                                ? account.home_plan_id : account.plan_id);
    const int64_t now = self.deps_.clock->unix_millis();
    const CivilDate today = local_date_of(now);
    const bool upgrade = target && current && target->price_cop > current->price_cop;
    req.effective_date = iso_date(upgrade ? today
                                          : next_cycle_start(today, static_cast<int>(account.billing_cycle_day)));
    req.idempotency_key = idempotency_key;
    ATIENDE_ASSIGN_OR_RETURN(PlanChangeResult r, backend.change_plan(req));
    const std::string name = target ? target->name : r.new_plan_id;
    return result(tool,
                  "¡Listo! Tu plan ahora es " + name + " (efectivo desde " + r.effective_date + ").",
                  "Done! Your plan is now " + name + " (effective " + r.effective_date + ").",
                  {{"status", "done"}, {"old_plan_id", r.old_plan_id}, {"new_plan_id", r.new_plan_id},
                   {"effective_date", r.effective_date}});
  }
  if (tool == "pedir_telefono") {
    OrderRequest req;
    req.customer_id = id.customer_id;
    req.device_id = args.value("device_id", "");
    req.color = args.value("color", "");
    const Device* device = catalog.find_device(req.device_id);
    req.price_cop = device ? device->price_cop : 0;
    req.idempotency_key = idempotency_key;
    ATIENDE_ASSIGN_OR_RETURN(OrderResult r, backend.create_order(req));
    const std::string name = device ? device->name : r.order.device_id;
    return result(tool,
                  "¡Listo! Tu pedido " + r.order.order_id + " (" + name + ", " + r.order.color +
                      ") quedó registrado. Llegará a más tardar el " + r.order.eta + ".",
                  "Done! Your order " + r.order.order_id + " (" + name + ", " + r.order.color +
                      ") is placed. It will arrive by " + r.order.eta + ".",
                  {{"status", "done"}, {"order_id", r.order.order_id}, {"device_id", r.order.device_id},
                   {"color", r.order.color}, {"eta", r.order.eta}, {"price_cop", r.order.price_cop}});
  }
  return Status::internal("execute: not a state-changing tool: " + tool);
}

Result<Outcome> Agent::Impl::run_read(const SessionContext& ctx, const Identity& id,
                                      const std::string& tool, const Json& args) {
  Backend& backend = *self.deps_.backend;
  const Catalog& catalog = *self.deps_.catalog;
  if (tool == "consultar_cuenta") {
    ATIENDE_ASSIGN_OR_RETURN(Account a, backend.get_account(id.customer_id));
    ATIENDE_ASSIGN_OR_RETURN(Json d, parse_json(a.details_json));
    const Plan* plan = catalog.find_plan(a.plan_id);
    std::string es = "Tu plan es " + (plan ? plan->name : a.plan_id) + ".";
    std::string en = "Your plan is " + (plan ? plan->name : a.plan_id) + ".";
    if (d.contains("data_used_gb") && d["data_used_gb"].is_number()) {
      const double used = d["data_used_gb"].get<double>();
      const double quota = d.value("data_quota_gb", -1.0);
      if (quota < 0) {
        es += " Llevas " + gb(used) + " GB usados (datos ilimitados).";
        en += " You have used " + gb(used) + " GB (unlimited data).";
      } else {
        es += " Has usado " + gb(used) + " de " + gb(quota) + " GB.";
        en += " You have used " + gb(used) + " of " + gb(quota) + " GB.";
      }
    }
    const int64_t balance = d.value("balance_cop", int64_t{0});
    if (balance > 0) {
      es += " Saldo a pagar: " + format_cop(balance) + " (fecha límite " + d.value("due_date", "") + ").";
      en += " Amount due: " + format_cop(balance) + " (due " + d.value("due_date", "") + ").";
    } else if (a.account_type == "prepago") {
      es += " Saldo prepago: " + format_cop(d.value("prepaid_credit_cop", int64_t{0})) + ".";
      en += " Prepaid credit: " + format_cop(d.value("prepaid_credit_cop", int64_t{0})) + ".";
    } else {
      es += " Estás al día con tu factura.";
      en += " Your invoice is paid up.";
    }
    if (a.status != "activa" && !a.status.empty()) {
      es += " Estado de la cuenta: " + a.status + ".";
      en += " Account status: " + a.status + ".";
    }
    if (!a.open_orders.empty()) {
      es += " Tienes " + std::to_string(a.open_orders.size()) + " pedido(s) abierto(s).";
      en += " You have " + std::to_string(a.open_orders.size()) + " open order(s).";
    }
    return result(tool, es, en, d);
  }
  if (tool == "estado_pedido") {
    ATIENDE_ASSIGN_OR_RETURN(auto orders, backend.list_orders(id.customer_id));
    const std::string wanted = args.value("order_id", "");
    std::vector<Order> shown;
    for (const auto& o : orders) {
      if (!wanted.empty() ? o.order_id == wanted : (o.status != "entregado" && o.status != "cancelado")) {
        shown.push_back(o);
      }
    }
    if (!wanted.empty() && shown.empty()) {
      // Never reveals whether the order exists for someone else.
      audit(ctx, id, "refused", tool, "deny", "order_not_found", {{"args", audit_safe_args(args)}});
      return clarify_refusal(tool, "order_not_found",
                             "No encontré el pedido " + wanted + " en tu cuenta. Revisa el número.",
                             "I could not find order " + wanted + " on your account. Please check the number.");
    }
    if (shown.empty() && !orders.empty()) shown.push_back(orders.front());
    if (shown.empty()) {
      return result(tool, "No tienes pedidos registrados.", "You have no orders.", {{"orders", Json::array()}});
    }
    std::string es, en;
    Json list = Json::array();
    for (const auto& o : shown) {
      const Device* dev = catalog.find_device(o.device_id);
      const std::string name = dev ? dev->name : o.device_id;
      es += (es.empty() ? "" : " ") + std::string("Pedido ") + o.order_id + " (" + name + "): " +
            status_es(o.status) + (o.eta.empty() ? "" : ", entrega estimada " + o.eta) + ".";
      en += (en.empty() ? "" : " ") + std::string("Order ") + o.order_id + " (" + name + "): " +
            o.status + (o.eta.empty() ? "" : ", estimated delivery " + o.eta) + ".";
      auto details = parse_json(o.details_json);
      Json item = {{"order_id", o.order_id}, {"device_id", o.device_id}, {"color", o.color},
                   {"status", o.status}, {"eta", o.eta}};
      if (details.ok() && details->is_object()) {
        for (const char* k : {"carrier", "tracking"}) if (details->contains(k)) item[k] = (*details)[k];
      }
      list.push_back(item);
    }
    return result(tool, es, en, {{"orders", list}});
  }
  if (tool == "consultar_falla") {
    const std::string area = args.value("area", "");
    const std::string service = args.value("service", "");
    ATIENDE_ASSIGN_OR_RETURN(auto outages, backend.list_outages(area, service));
    std::string es, en;
    Json list = Json::array();
    for (const auto& o : outages) {
      if (o.status == "resuelta") continue;
      auto d = parse_json(o.details_json);
      const std::string detail = d.ok() ? d->value("detail", "") : "";
      const std::string eta = d.ok() ? d->value("eta", "") : "";
      const bool planned = o.status == "programada";
      es += (es.empty() ? "" : " ") + std::string(planned ? "Mantenimiento programado" : "Falla activa") +
            " en " + o.area + " (" + (o.service == "movil" ? "móvil" : "internet hogar") + "): " +
            detail + (eta.empty() ? "" : "; normalización estimada " + eta.substr(0, 16)) + ".";
      en += (en.empty() ? "" : " ") + std::string(planned ? "Planned maintenance" : "Active outage") +
            " in " + o.area + " (" + (o.service == "movil" ? "mobile" : "home internet") + "): " +
            detail + (eta.empty() ? "" : "; expected back " + eta.substr(0, 16)) + ".";
      list.push_back(d.ok() ? *d : Json{{"id", o.id}});
    }
    if (list.empty()) {
      es = "No tenemos fallas reportadas" + (area.empty() ? std::string() : " en " + area) +
           " en este momento. Si sigues sin servicio, reinicia tu equipo y, si persiste, te "
           "comunico con un asesor.";
      en = "There are no reported outages" + (area.empty() ? std::string() : " in " + area) +
           " right now. If you still have no service, restart your device; if it persists I can "
           "connect you with an agent.";
    }
    return result(tool, es, en, {{"outages", list}});
  }
  return Status::internal("run_read: not a read tool: " + tool);
}

}  // namespace atiende::agent
