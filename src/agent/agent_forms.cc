// The built-in provider's path (no model): yes/no replies to a pending preview, intent
// classification, slot-filling forms validated against the catalog, small talk.
// Form state lives in AgentStore::session_state as {"form":{"intent","slots"},"pending":{...}}.

#include <algorithm>

#include "agent/agent_internal.h"
#include "agent/confirm_text.h"
#include "common/crypto.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

bool is_tool_intent(const std::string& intent) {
  return intent == "consultar_cuenta" || intent == "cambiar_plan" || intent == "pedir_telefono" ||
         intent == "estado_pedido" || intent == "consultar_falla" || intent == "escalar_a_agente";
}

Outcome message_outcome(OutcomeKind kind, std::string reason, std::string es, std::string en) {
  Outcome o;
  o.kind = kind;
  o.reason_code = std::move(reason);
  o.message_es = std::move(es);
  o.message_en = std::move(en);
  return o;
}

bool wants_more_data(const std::string& folded) {
  static const char* const kCues[] = {
      "mas datos", "mas gigas", "mas megas", "mas internet", "mas 5g", "mas gb", "more data",
      "more gb", "upgrade", "subir de plan", "subirme", "mejorar mi plan", "mejorar el plan",
      "plan mas grande", "plan mas alto", "me quedo sin datos", "quedo corto", "bigger plan",
      "se me acaban los datos", "se me acabaron los datos", "me quede sin datos"};
  for (const char* c : kCues) if (contains_phrase(folded, c)) return true;
  return false;
}

std::string find_order_id(const std::string& folded) {
  for (size_t pos = folded.find("ord"); pos != std::string::npos; pos = folded.find("ord", pos + 1)) {
    size_t i = pos + 3;
    while (i < folded.size() && (folded[i] == '-' || folded[i] == ' ' || folded[i] == '_')) ++i;
    size_t j = i;
    while (j < folded.size() && folded[j] >= '0' && folded[j] <= '9') ++j;
    if (j - i == 5) return "ORD-" + folded.substr(i, 5);
  }
  return "";
}

std::string names_of(const std::vector<std::string>& items, const char* last) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last : ", ";
    out += items[i];
  }
  return out;
}

/// `ctx` with a transcript for a handoff ticket: when the caller gave none, the conversation as
/// stored plus `text`, the message being answered (not stored yet).
SessionContext with_stored_history(const SessionContext& ctx, TicketStore& tickets,
                                   std::string_view text) {
  SessionContext out = ctx;
  if (out.transcript.empty()) {
    out.transcript =
        tickets.conversation_turns(ctx.session_id).value_or(std::vector<TranscriptTurn>{});
    out.transcript.push_back({"user", std::string(text)});
  }
  return out;
}

}  // namespace

std::optional<Outcome> Agent::handle_builtin_turn(const SessionContext& ctx, std::string_view text) {
  if (text.empty() || text.size() > 4000) return std::nullopt;
  const int64_t now = deps_.clock->unix_millis();
  Json state = Json::object();
  if (auto raw = store_->session_state(ctx.session_id); raw.ok() && !raw->empty()) {
    if (auto parsed = parse_json(*raw); parsed.ok() && parsed->is_object()) state = *parsed;
  }
  auto save = [&] { (void)store_->put_session_state(ctx.session_id, dump_json(state), now); };
  const std::string folded = text::fold(text);
  const ConfirmDecision yes_no = parse_confirmation(text);
  IntentPrediction pred;
  if (deps_.classifier) pred = deps_.classifier->predict(text, options_.intent_threshold);
  else pred.intent = std::string(kOutOfScopeLabel);
  if (is_tool_intent(pred.intent) && pred.confidence < options_.tool_intent_threshold) {
    pred.intent = std::string(kOutOfScopeLabel);  // a knowledge question for retrieval
  }

  // 1. A reply to a pending preview. A preview already decided another way (the UI's buttons call
  // confirm() directly) or expired is no longer waiting for a yes/no. Another request ("¿qué plan
  // tengo?") is answered and leaves the preview pending (its buttons and a later "sí" still work);
  // a short reply that is neither a yes/no nor an account request is asked to choose.
  if (state.contains("pending") && state["pending"].is_object()) {
    const Json pending = state["pending"];
    auto record = store_->find_confirmation(sha256_hex(pending.value("token", "")));
    const bool still_pending = record.ok() && *record && (*record)->state == "pending";
    if (!still_pending || now > pending.value("expires_ms", int64_t{0})) {
      state.erase("pending");
      save();
    } else if (yes_no != ConfirmDecision::kUnclear) {
      state.erase("pending");
      save();
      return confirm(ctx, pending.value("token", ""),
                     yes_no == ConfirmDecision::kYes ? "confirm" : "cancel");
    } else if (std::count(folded.begin(), folded.end(), ' ') < 3 &&
               !is_tool_intent(pred.intent)) {
      Outcome o = message_outcome(OutcomeKind::kClarify, "confirmation_unclear",
                                  "Para continuar responde «sí» para confirmar o «no» para cancelar.",
                                  "To continue reply \"yes\" to confirm or \"no\" to cancel.");
      o.tool = pending.value("tool", "");
      return o;
    }
  }

  Json form = state.contains("form") && state["form"].is_object() ? state["form"] : Json();
  // 2. A yes/no to the offer of a human that ends every abstain ("¿Quieres que te comunique con un
  // agente humano?"): yes hands the conversation off (reason "abstain_rejected").
  if (form.is_null() && yes_no != ConfirmDecision::kUnclear &&
      deps_.tickets->last_answer_abstained(ctx.session_id).value_or(false)) {
    if (yes_no == ConfirmDecision::kNo) {
      return message_outcome(OutcomeKind::kResult, "small_talk",
                             "De acuerdo. ¿Hay algo más en lo que te pueda ayudar?",
                             "All right. Is there anything else I can help with?");
    }
    const std::string summary =
        ctx.retrieval_gaps.empty()
            ? std::string("El cliente pidió un asesor tras una respuesta sin información")
            : "Sin respuesta en la base: " + ctx.retrieval_gaps.back();
    Outcome o = escalate(with_stored_history(ctx, *deps_.tickets, text), "abstain_rejected",
                         summary, "escalar_a_agente", "{}");
    o.intent = "escalar_a_agente";
    return o;
  }
  if (!form.is_null() && yes_no == ConfirmDecision::kNo) {
    state.erase("form");
    save();
    return message_outcome(OutcomeKind::kRefused, "cancelled", "Listo, no hago ningún cambio.",
                           "OK, I won't change anything.");
  }
  // Start a new form when the text is a (different) tool intent.
  if (is_tool_intent(pred.intent) &&
      (form.is_null() || form.value("intent", "") != pred.intent)) {
    // Only switch when the text does not simply fill the current form's slots.
    bool fills_current = false;
    if (!form.is_null()) {
      const std::string fi = form.value("intent", "");
      if (fi == "cambiar_plan") fills_current = !deps_.catalog->match_plans(text).empty();
      if (fi == "pedir_telefono") {
        fills_current = !deps_.catalog->match_devices(text).empty() ||
                        (form["slots"].contains("device_id") &&
                         !deps_.catalog->match_colors(form["slots"].value("device_id", ""), text).empty());
      }
    }
    if (!fills_current) form = Json{{"intent", pred.intent}, {"slots", Json::object()}};
  }
  if (form.is_null()) {
    if (pred.intent == "saludo") {
      return message_outcome(OutcomeKind::kResult, "small_talk",
                             "¡Hola! Soy el asistente de UnaEmpresa. Puedo ayudarte con tu plan, "
                             "tus pedidos, fallas del servicio y preguntas frecuentes. ¿En qué te ayudo?",
                             "Hi! I'm UnaEmpresa's assistant. I can help with your plan, your orders, "
                             "service outages and common questions. How can I help?");
    }
    if (pred.intent == "despedida") {
      return message_outcome(OutcomeKind::kResult, "small_talk",
                             "¡Gracias por escribirnos! Que tengas un excelente día.",
                             "Thanks for writing to us! Have a great day.");
    }
    if (pred.intent == "agradecimiento") {
      return message_outcome(OutcomeKind::kResult, "small_talk",
                             "¡Con gusto! ¿Hay algo más en lo que te pueda ayudar?",
                             "You're welcome! Is there anything else I can help with?");
    }
    if (pred.intent == kOutOfScopeTrainingLabel) {
      Outcome o = message_outcome(OutcomeKind::kRefused, "out_of_scope",
                                  "Solo puedo ayudarte con temas de UnaEmpresa: planes, facturación, "
                                  "equipos, pedidos, fallas y soporte.",
                                  "I can only help with UnaEmpresa topics: plans, billing, devices, "
                                  "orders, outages and support.");
      o.intent = pred.intent;
      return o;
    }
    return std::nullopt;  // faq_* or below threshold: a knowledge question for retrieval
  }

  // 2. Fill slots of the active form from this text.
  const std::string intent = form.value("intent", "");
  Json& slots = form["slots"];
  const Catalog& catalog = *deps_.catalog;
  auto finish = [&](Outcome o) {
    o.intent = intent;
    o.slots_json = dump_json(slots);
    if (o.kind == OutcomeKind::kPreview && o.preview) {
      state["pending"] = {{"token", o.preview->token}, {"tool", o.tool},
                          {"expires_ms", o.preview->expires_at_ms}};
      state.erase("form");
    } else if (o.kind == OutcomeKind::kClarify) {
      state["form"] = form;
    } else {
      state.erase("form");
    }
    save();
    return o;
  };
  auto clarify = [&](std::string es, std::string en) {
    Outcome o = message_outcome(OutcomeKind::kClarify, "slot_missing", std::move(es), std::move(en));
    o.tool = intent;
    return finish(std::move(o));
  };
  // Tools that need a customer: ask to log in before asking for slots.
  auto policy = options_.policy.tools.find(intent);
  if (policy != options_.policy.tools.end() && policy->second.requires_auth) {
    const Identity id = identify(ctx);
    if (!id.authenticated) {
      impl_->audit(ctx, id, "policy_decision", intent, "needs_login", "login_required", {{"stage", "form"}});
      Outcome o = message_outcome(OutcomeKind::kNeedsLogin, "login_required",
                                  "Para ayudarte con eso necesito que inicies sesión en tu cuenta de "
                                  "UnaEmpresa. Ingresa en la página y vuelve a escribirme.",
                                  "To help with that I need you to log in to your UnaEmpresa account. "
                                  "Please log in on the website and write to me again.");
      o.tool = intent;
      o.intent = intent;
      state.erase("form");
      save();
      return o;
    }
  }

  if (intent == "cambiar_plan") {
    const auto plans = catalog.match_plans(text);
    if (plans.size() == 1) slots["plan_id"] = plans[0];
    if (plans.size() > 1) {
      std::vector<std::string> names;
      for (const auto& p : plans) names.push_back(catalog.find_plan(p)->name);
      return clarify("¿Cuál de estos planes quieres: " + names_of(names, " o ") + "?",
                     "Which of these plans do you want: " + names_of(names, " or ") + "?");
    }
    if (!slots.contains("plan_id") && wants_more_data(folded)) {
      const Identity id = identify(ctx);
      auto account = deps_.backend->get_account(id.customer_id);
      if (!account.ok()) return finish(impl_->backend_failure(ctx, id, intent, account.status()));
      auto next = catalog.next_plan_up(account->plan_id);
      if (!next) {
        return finish(message_outcome(OutcomeKind::kResult, "already_top_plan",
                                      "Ya tienes el plan con más datos de tu tipo de línea. Si "
                                      "necesitas más, puedes comprar una bolsa de datos.",
                                      "You already have the plan with the most data for your line "
                                      "type. You can buy a data bundle if you need more."));
      }
      slots["plan_id"] = *next;
    }
    if (!slots.contains("plan_id")) {
      return clarify("¿Qué plan te interesa? Por ejemplo: Plan 5G 20 GB, Plan 5G 40 GB o Plan 5G Ilimitado.",
                     "Which plan would you like? For example: Plan 5G 20 GB, Plan 5G 40 GB or Plan 5G Ilimitado.");
    }
    return finish(propose(ctx, intent, dump_json(Json{{"plan_id", slots["plan_id"]}})));
  }
  if (intent == "pedir_telefono") {
    const auto devices = catalog.match_devices(text);
    if (devices.size() == 1 && slots.value("device_id", "") != devices[0]) {
      slots["device_id"] = devices[0];
      slots.erase("color");
    }
    if (devices.size() > 1) {
      std::vector<std::string> names;
      for (const auto& d : devices) names.push_back(catalog.find_device(d)->name);
      return clarify("¿Cuál de estos equipos quieres: " + names_of(names, " o ") + "?",
                     "Which of these phones do you want: " + names_of(names, " or ") + "?");
    }
    if (!slots.contains("device_id")) {
      return clarify("¿Qué equipo quieres? Por ejemplo: Galaxy A56 5G, iPhone 16 o Moto G85 5G.",
                     "Which phone would you like? For example: Galaxy A56 5G, iPhone 16 or Moto G85 5G.");
    }
    const Device* device = catalog.find_device(slots.value("device_id", ""));
    if (!device) return clarify("¿Qué equipo quieres?", "Which phone would you like?");
    if (device->stock <= 0) {
      slots.erase("device_id");
      const std::string days = std::to_string(device->restock_days > 0 ? device->restock_days : 15);
      return clarify("El " + device->name + " está agotado; esperamos unidades en unos " + days +
                         " días. ¿Quieres otro equipo? Por ejemplo: Galaxy S25 o iPhone 16.",
                     "The " + device->name + " is sold out; we expect stock in about " + days +
                         " days. Would you like another phone? For example: Galaxy S25 or iPhone 16.");
    }
    const auto colors = catalog.match_colors(device->id, text);
    if (colors.size() == 1) slots["color"] = colors[0];
    if (!slots.contains("color")) {
      const auto& options = colors.size() > 1 ? colors : device->colors;
      return clarify("¿En qué color quieres el " + device->name + "? Está disponible en: " +
                         names_of(options, " y ") + ".",
                     "Which color would you like for the " + device->name + "? Available: " +
                         names_of(options, " and ") + ".");
    }
    Outcome o = propose(ctx, intent, dump_json(Json{{"device_id", slots["device_id"]}, {"color", slots["color"]}}));
    if (o.reason_code == "unknown_color") {
      slots.erase("color");
      o.kind = OutcomeKind::kClarify;
    }
    return finish(std::move(o));
  }
  Json args = Json::object();
  if (intent == "estado_pedido") {
    const std::string order = find_order_id(folded);
    if (!order.empty()) slots["order_id"] = order;
    if (slots.contains("order_id")) args["order_id"] = slots["order_id"];
  } else if (intent == "consultar_falla") {
    const auto areas = catalog.match_areas(text);
    if (!areas.empty()) slots["area"] = areas[0];
    const std::string service = catalog.match_service(text);
    if (!service.empty()) slots["service"] = service;
    for (const char* k : {"area", "service"}) if (slots.contains(k)) args[k] = slots[k];
  } else if (intent == "escalar_a_agente") {
    return finish(escalate(with_stored_history(ctx, *deps_.tickets, text), "customer_request",
                           std::string(text.substr(0, 300)), intent, "{}"));
  }
  return finish(propose(ctx, intent, dump_json(args)));
}

}  // namespace atiende::agent
