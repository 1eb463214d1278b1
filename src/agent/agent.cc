#include "agent/agent.h"

#include "agent/agent_internal.h"
#include "common/crypto.h"
#include "common/log.h"
#include "common/strings.h"

namespace atiende::agent {

std::string_view outcome_kind_name(OutcomeKind kind) {
  switch (kind) {
    case OutcomeKind::kPreview: return "preview";
    case OutcomeKind::kResult: return "result";
    case OutcomeKind::kRefused: return "refused";
    case OutcomeKind::kNeedsLogin: return "needs_login";
    case OutcomeKind::kClarify: return "clarify";
  }
  return "refused";
}

std::string format_cop(int64_t amount) {
  const bool negative = amount < 0;
  std::string digits = std::to_string(negative ? -amount : amount);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back('.');
    out.push_back(digits[i]);
  }
  return (negative ? "-" : "") + out + " COP";
}

Json audit_safe_args(const Json& args) {
  Json out = Json::object();
  if (!args.is_object()) return out;
  for (const char* key : {"plan_id", "device_id", "color", "order_id", "service"}) {
    if (args.contains(key) && args[key].is_string() && args[key].get<std::string>().size() <= 64) {
      out[key] = args[key];
    }
  }
  return out;
}

namespace {

std::string sha_hex(std::string_view s) { return sha256_hex(s); }

Outcome make(OutcomeKind kind, std::string tool, std::string reason, std::string es, std::string en) {
  Outcome o;
  o.kind = kind;
  o.tool = std::move(tool);
  o.reason_code = std::move(reason);
  o.message_es = std::move(es);
  o.message_en = std::move(en);
  return o;
}

Outcome needs_login(const std::string& tool) {
  return make(OutcomeKind::kNeedsLogin, tool, "login_required",
              "Para hacer esto necesito que inicies sesión en tu cuenta de UnaEmpresa. Ingresa en "
              "la página y vuelve a escribirme.",
              "To do this I need you to log in to your UnaEmpresa account. Please log in on the "
              "website and write to me again.");
}

}  // namespace

bool Agent::Impl::audit(const SessionContext& ctx, const Identity& id, std::string action,
                        std::string tool, std::string decision, std::string reason,
                        const Json& details) {
  audit::AuditEvent e;
  e.action = std::move(action);
  e.actor = "session:" + ctx.session_id;
  e.session_id = ctx.session_id;
  e.customer_id = id.authenticated ? id.customer_id : "";
  e.tool = std::move(tool);
  e.decision = std::move(decision);
  e.reason_code = std::move(reason);
  e.details_json = dump_json(details);
  auto r = self.deps_.audit->append(e);
  if (!r.ok()) spdlog::error("audit append failed: {}", r.status().to_string());
  return r.ok();
}

Outcome Agent::Impl::refused(const SessionContext& ctx, const Identity& id, const std::string& tool,
                             const std::string& reason, std::string es, std::string en,
                             const Json& details) {
  audit(ctx, id, "refused", tool, "deny", reason, details);
  Outcome o = make(OutcomeKind::kRefused, tool, reason, std::move(es), std::move(en));
  o.result_json = dump_json(Json{{"error", reason}, {"message", o.message_en}});
  return o;
}

Outcome Agent::Impl::backend_failure(const SessionContext& ctx, const Identity& id,
                                     const std::string& tool, const Status& status) {
  const bool down = status.code() == StatusCode::kUnavailable ||
                    status.code() == StatusCode::kDeadlineExceeded ||
                    status.code() == StatusCode::kInternal;
  if (status.code() == StatusCode::kNotFound) {
    return refused(ctx, id, tool, "not_found",
                   "No encontré esa información en tu cuenta.",
                   "I could not find that in your account.", {{"code", "not_found"}});
  }
  if (!down) {
    return refused(ctx, id, tool, "backend_rejected",
                   "No pude completar la solicitud: el sistema la rechazó.",
                   "I could not complete the request: the system rejected it.",
                   {{"code", std::string(status_code_name(status.code()))}});
  }
  Outcome o = refused(ctx, id, tool, "backend_unavailable",
                      "Lo siento, nuestros sistemas no responden en este momento y no se hizo "
                      "ningún cambio. ¿Quieres que cree un caso para que un asesor te contacte?",
                      "Sorry, our systems are not responding right now and nothing was changed. "
                      "Would you like me to open a ticket so an agent can contact you?",
                      {{"code", std::string(status_code_name(status.code()))}});
  o.offer_ticket = true;
  return o;
}

Agent::~Agent() = default;

Result<std::unique_ptr<Agent>> Agent::create(AgentDeps deps, ToolRegistry registry,
                                             AgentOptions options) {
  if (!deps.db || !deps.backend || !deps.catalog || !deps.audit || !deps.tickets || !deps.clock ||
      !deps.random) {
    return Status::invalid_argument("agent: db, backend, catalog, audit, tickets, clock and random are required");
  }
  if (options.confirmation_ttl_ms <= 0) {
    return Status::invalid_argument("agent.confirmation_ttl_seconds must be positive");
  }
  for (const auto& spec : registry.all()) {
    if (!options.policy.tools.count(spec.name)) {
      return Status::invalid_argument("agent: no policy for tool '" + spec.name + "'");
    }
  }
  std::unique_ptr<Agent> agent(new Agent());
  ATIENDE_ASSIGN_OR_RETURN(agent->store_, AgentStore::open(deps.db));
  agent->deps_ = std::move(deps);
  agent->registry_ = std::move(registry);
  agent->options_ = std::move(options);
  agent->impl_.reset(new Impl{*agent});
  return agent;
}

Identity Agent::identify(const SessionContext& ctx) {
  Identity id;
  if (ctx.customer_token.empty()) return id;
  if (!deps_.verifier) {
    id.reason_code = "no_key";
  } else {
    id = deps_.verifier->verify(ctx.customer_token, *deps_.clock);
  }
  if (!id.authenticated) {
    impl_->audit(ctx, id, "token_invalid", "", "anonymous", id.reason_code,
                 {{"token_sha256", sha_hex(ctx.customer_token).substr(0, 16)}});
  }
  return id;
}

std::vector<LlmTool> Agent::tools_for_llm(std::string_view language) const {
  std::vector<LlmTool> out;
  for (const auto& spec : registry_.all()) {
    out.push_back({spec.name, language == "en" ? spec.description_en : spec.description_es,
                   spec.schema.text(), spec.kind});
  }
  return out;
}

Outcome Agent::propose(const SessionContext& ctx, std::string_view tool_name,
                       std::string_view args_json) {
  const Identity id = identify(ctx);
  const std::string tool(tool_name.substr(0, 64));
  const ToolSpec* spec = registry_.find(tool);
  if (!spec) {
    impl_->audit(ctx, id, "tool_proposed", "", "", "unknown_tool", {{"tool_sha256", sha_hex(tool_name).substr(0, 16)}});
    return impl_->refused(ctx, id, "", "unknown_tool", "No puedo hacer esa acción.",
                          "Unknown tool: '" + tool + "'. Available tools: consultar_cuenta, "
                          "cambiar_plan, pedir_telefono, estado_pedido, consultar_falla, escalar_a_agente.");
  }
  JsonLimits limits;
  limits.max_bytes = 64 * 1024;
  limits.max_depth = 16;
  auto parsed = parse_json(args_json.empty() ? std::string_view("{}") : args_json, limits);
  const Json args_for_audit = parsed.ok() ? audit_safe_args(*parsed) : Json::object();
  impl_->audit(ctx, id, "tool_proposed", tool, "", "", {{"args", args_for_audit}});
  if (!parsed.ok() || !parsed->is_object()) {
    return impl_->refused(ctx, id, tool, "invalid_arguments",
                          "No entendí los datos de la solicitud. ¿Me los repites?",
                          "Invalid arguments: must be a JSON object.");
  }
  Json args = *parsed;
  // Customer binding: any customer id in the arguments must be the token's customer.
  for (const auto& name : customer_argument_names()) {
    if (!args.contains(name)) continue;
    const Json& v = args[name];
    const bool same = id.authenticated && v.is_string() && v.get<std::string>() == id.customer_id;
    if (!same) {
      return impl_->refused(
          ctx, id, tool, "customer_mismatch",
          "Solo puedo ayudarte con la cuenta con la que iniciaste sesión.",
          "Refused: tools act only on the logged-in customer; the customer id in the arguments "
          "does not match. Do not pass a customer id.",
          {{"argument", name}, {"authenticated", id.authenticated}});
    }
    args.erase(name);
  }
  const auto violations = spec->schema.validate(dump_json(args));
  if (!violations.empty()) {
    const std::string what = describe_violations(violations);
    return impl_->refused(ctx, id, tool, "invalid_arguments",
                          "Me falta información o algún dato no es válido: " + what + ".",
                          "Invalid arguments for " + tool + ": " + what + ".",
                          {{"violations", static_cast<int64_t>(violations.size())}});
  }
  // Policy, first without backend facts (authentication and session rate).
  auto previous = store_->count_proposal(ctx.session_id, tool);
  if (!previous.ok()) return impl_->backend_failure(ctx, id, tool, previous.status());
  PolicyFacts facts;
  facts.authenticated = id.authenticated;
  facts.session_proposals = *previous;
  PolicyDecision decision = decide(options_.policy, *spec, facts);
  if (decision.effect != PolicyEffect::kAllow) {
    impl_->audit(ctx, id, "policy_decision", tool, std::string(policy_effect_name(decision.effect)),
                 decision.reason_code, {{"stage", "pre"}});
    if (decision.effect == PolicyEffect::kNeedsLogin) return needs_login(tool);
    return impl_->refused(ctx, id, tool, decision.reason_code,
                          "Por seguridad no puedo hacer más solicitudes de este tipo en esta "
                          "conversación. Si lo necesitas, un asesor puede ayudarte.",
                          "For safety I cannot make more requests of this kind in this "
                          "conversation. An agent can help you if needed.");
  }
  if (spec->kind == ToolKind::kHandoff) {
    impl_->audit(ctx, id, "policy_decision", tool, "allow", "ok", {{"stage", "final"}});
    std::string reason = args.value("reason", std::string("customer_request"));
    return escalate(ctx, "customer_request", reason, "escalar_a_agente", "{}");
  }
  if (spec->kind == ToolKind::kRead) {
    impl_->audit(ctx, id, "policy_decision", tool, "allow", "ok", {{"stage", "final"}});
    auto result = impl_->run_read(ctx, id, tool, args);
    if (!result.ok()) return impl_->backend_failure(ctx, id, tool, result.status());
    impl_->audit(ctx, id, "executed", tool, "allow", "ok", {{"args", audit_safe_args(args)}});
    return *result;
  }
  // State-changing: preview, full policy, one-time token.
  auto prepared = impl_->prepare(ctx, id, tool, args);
  if (!prepared.ok()) return impl_->backend_failure(ctx, id, tool, prepared.status());
  if (prepared->refusal) return *prepared->refusal;
  PreparedAction& action = *prepared->action;
  facts.price_cop = action.price_cop;
  facts.plan_in_catalog = action.plan_in_catalog;
  facts.phone_orders_last_24h = action.phone_orders_last_24h;
  decision = decide(options_.policy, *spec, facts);
  impl_->audit(ctx, id, "policy_decision", tool, std::string(policy_effect_name(decision.effect)),
               decision.reason_code, {{"stage", "final"}, {"price_cop", action.price_cop}});
  if (decision.effect != PolicyEffect::kAllow) {
    if (decision.reason_code == "phone_order_limit") {
      return impl_->refused(ctx, id, tool, decision.reason_code,
                            "Solo se permite un pedido de equipo por cliente cada 24 horas y ya "
                            "tienes uno reciente. Puedes consultar su estado cuando quieras.",
                            "Only one phone order per customer every 24 hours is allowed and you "
                            "already have a recent one.");
    }
    if (decision.reason_code == "price_ceiling") {
      return impl_->refused(ctx, id, tool, decision.reason_code,
                            "Esta compra supera el monto que puedo gestionar por chat. Un asesor "
                            "puede ayudarte a completarla.",
                            "This purchase exceeds the amount I can handle in chat. An agent can "
                            "help you complete it.");
    }
    std::string names;
    for (const auto& p : deps_.catalog->plans()) names += (names.empty() ? "" : ", ") + p.name;
    return impl_->refused(ctx, id, tool, decision.reason_code,
                          "Ese plan no está en nuestro catálogo. Los planes disponibles son: " +
                              names + ". ¿Cuál te interesa?",
                          "That plan is not in our catalog. Available plans: " + names +
                              ". Which one would you like?");
  }
  // Issue the one-time confirmation token, bound to session, customer, tool and arguments.
  const std::string token = deps_.random->hex(32);
  const int64_t now = deps_.clock->unix_millis();
  ConfirmationRecord rec;
  rec.token_hash = sha_hex(token);
  rec.confirmation_id = new_id(*deps_.random, "cnf");
  rec.session_id = ctx.session_id;
  rec.customer_hash = sha_hex(id.customer_id);
  rec.tool = tool;
  rec.args_canonical = dump_json(args);  // nlohmann objects are key-sorted: canonical
  rec.created_ms = now;
  rec.expires_ms = now + options_.confirmation_ttl_ms;
  rec.state = "pending";
  action.preview.token = token;
  action.preview.tool = tool;
  action.preview.expires_at_ms = rec.expires_ms;
  rec.preview_json = dump_json(Json{{"summary_es", action.preview.summary_es},
                                    {"price_cop", action.preview.price_cop},
                                    {"effective_date", action.preview.effective_date}});
  if (Status s = store_->put_confirmation(rec); !s.ok()) {
    return impl_->backend_failure(ctx, id, tool, s);
  }
  impl_->audit(ctx, id, "preview", tool, "confirm_required", "ok",
               {{"confirmation_id", rec.confirmation_id}, {"args", audit_safe_args(args)},
                {"price_cop", action.preview.price_cop},
                {"effective_date", action.preview.effective_date}});
  Outcome o = make(OutcomeKind::kPreview, tool, "ok",
                   action.preview.summary_es + " ¿Confirmas? Responde «sí» o «no».",
                   action.preview.summary_en + " Do you confirm? Reply \"yes\" or \"no\".");
  o.result_json = dump_json(Json{{"status", "awaiting_confirmation"},
                                 {"summary", action.preview.summary_en},
                                 {"price_cop", action.preview.price_cop},
                                 {"effective_date", action.preview.effective_date},
                                 {"note", "The customer must confirm with the buttons or by "
                                          "replying yes/no; do not claim it is done."}});
  o.preview = action.preview;
  return o;
}

Outcome Agent::confirm(const SessionContext& ctx, std::string_view token, std::string_view decision) {
  const Identity id = identify(ctx);
  const std::string d = ascii_lower(trim(decision));
  const bool yes = d == "confirm" || d == "yes" || d == "si" || d == "confirmar";
  const bool no = d == "cancel" || d == "no" || d == "cancelar";
  if (token.size() > 256) token = token.substr(0, 256);
  auto found = store_->find_confirmation(sha_hex(token));
  if (!found.ok()) return impl_->backend_failure(ctx, id, "", found.status());
  if (!found->has_value()) {
    return impl_->refused(ctx, id, "", "invalid_confirmation",
                          "Esa confirmación no es válida. Vuelve a pedirme la acción.",
                          "That confirmation is not valid. Please ask for the action again.");
  }
  const ConfirmationRecord rec = **found;
  const Json ref = {{"confirmation_id", rec.confirmation_id}};
  if (!yes && !no) {
    return impl_->refused(ctx, id, rec.tool, "invalid_decision",
                          "Responde «sí» para confirmar o «no» para cancelar.",
                          "Reply \"yes\" to confirm or \"no\" to cancel.", ref);
  }
  if (rec.session_id != ctx.session_id) {
    return impl_->refused(ctx, id, rec.tool, "confirmation_session_mismatch",
                          "Esa confirmación no pertenece a esta conversación.",
                          "That confirmation does not belong to this conversation.", ref);
  }
  if (!id.authenticated) {
    impl_->audit(ctx, id, "refused", rec.tool, "needs_login", "login_required", ref);
    return needs_login(rec.tool);
  }
  if (!constant_time_equals(rec.customer_hash, sha_hex(id.customer_id))) {
    return impl_->refused(ctx, id, rec.tool, "confirmation_customer_mismatch",
                          "Esa confirmación no corresponde a tu cuenta.",
                          "That confirmation does not belong to your account.", ref);
  }
  const int64_t now = deps_.clock->unix_millis();
  if (rec.state == "cancelled") {
    return impl_->refused(ctx, id, rec.tool, "confirmation_cancelled",
                          "Esa acción ya fue cancelada.", "That action was already cancelled.", ref);
  }
  if (rec.state != "pending") {
    return impl_->refused(ctx, id, rec.tool, "confirmation_used",
                          "Esa acción ya fue procesada; no la repetiré.",
                          "That action was already processed; I will not repeat it.", ref);
  }
  if (now > rec.expires_ms) {
    return impl_->refused(ctx, id, rec.tool, "confirmation_expired",
                          "La confirmación venció. Si aún lo quieres, pídemelo de nuevo y te "
                          "muestro el resumen actualizado.",
                          "The confirmation expired. If you still want it, ask me again and I "
                          "will show an updated summary.", ref);
  }
  if (no) {
    auto cancelled = store_->cancel(rec.token_hash, now);
    if (!cancelled.ok()) return impl_->backend_failure(ctx, id, rec.tool, cancelled.status());
    impl_->audit(ctx, id, "confirmation", rec.tool, "cancel", "cancelled", ref);
    // Not done, by the customer's choice: a refusal with reason "cancelled" (so the UI and the
    // confirm endpoint never report a cancellation as executed).
    Outcome o = make(OutcomeKind::kRefused, rec.tool, "cancelled",
                     "Listo, cancelé la solicitud. No se hizo ningún cambio.",
                     "Done, I cancelled the request. Nothing was changed.");
    o.result_json = dump_json(Json{{"status", "cancelled"}});
    return o;
  }
  auto claimed = store_->claim(rec.token_hash, now);
  if (!claimed.ok()) return impl_->backend_failure(ctx, id, rec.tool, claimed.status());
  if (!*claimed) {
    return impl_->refused(ctx, id, rec.tool, "confirmation_used",
                          "Esa acción ya fue procesada; no la repetiré.",
                          "That action was already processed; I will not repeat it.", ref);
  }
  impl_->audit(ctx, id, "confirmation", rec.tool, "confirm", "ok", ref);
  auto args = parse_json(rec.args_canonical);
  const ToolSpec* spec = registry_.find(rec.tool);
  if (!args.ok() || !spec) {
    (void)store_->finish(rec.token_hash, "failed", "", now);
    return impl_->refused(ctx, id, rec.tool, "internal_error", "No pude completar la solicitud.",
                          "I could not complete the request.", ref);
  }
  // Re-check policy and limits at execution time (another order may have happened meanwhile).
  auto prepared = impl_->prepare(ctx, id, rec.tool, *args);
  if (!prepared.ok()) {
    (void)store_->finish(rec.token_hash, "pending", "", now);
    return impl_->backend_failure(ctx, id, rec.tool, prepared.status());
  }
  if (prepared->refusal) {
    (void)store_->finish(rec.token_hash, "failed", "", now);
    return *prepared->refusal;
  }
  PolicyFacts facts;
  facts.authenticated = true;
  facts.price_cop = prepared->action->price_cop;
  facts.plan_in_catalog = prepared->action->plan_in_catalog;
  facts.phone_orders_last_24h = prepared->action->phone_orders_last_24h;
  PolicyDecision pd = decide(options_.policy, *spec, facts);
  auto shown = parse_json(rec.preview_json);
  const int64_t shown_price = shown.ok() ? shown->value("price_cop", int64_t{-1}) : -1;
  if (pd.effect == PolicyEffect::kAllow && shown_price != prepared->action->preview.price_cop) {
    pd.effect = PolicyEffect::kDeny;
    pd.reason_code = "price_changed";
  }
  const bool audited =
      impl_->audit(ctx, id, "policy_decision", rec.tool, std::string(policy_effect_name(pd.effect)),
                   pd.reason_code, {{"stage", "execution"}, {"confirmation_id", rec.confirmation_id}});
  // Fail closed: an account change that cannot be recorded is not made (the confirmation stays
  // pending, so the customer can confirm again once the audit log is writable).
  if (!audited && pd.effect == PolicyEffect::kAllow) {
    (void)store_->finish(rec.token_hash, "pending", "", now);
    Outcome o = make(OutcomeKind::kRefused, rec.tool, "audit_unavailable",
                     "No pude registrar la operación, así que no hice ningún cambio. Inténtalo de "
                     "nuevo en unos minutos.",
                     "I could not record the operation, so I made no change. Please try again in "
                     "a few minutes.");
    o.result_json = dump_json(Json{{"error", "audit_unavailable"}, {"message", o.message_en}});
    return o;
  }
  if (pd.effect != PolicyEffect::kAllow) {
    (void)store_->finish(rec.token_hash, "failed", "", now);
    return impl_->refused(ctx, id, rec.tool, pd.reason_code,
                          "No pude completar la solicitud porque las condiciones cambiaron. "
                          "Pídemela de nuevo para ver el resumen actualizado.",
                          "I could not complete the request because conditions changed. Ask me "
                          "again to see an updated summary.", ref);
  }
  auto executed = impl_->execute(ctx, id, rec.tool, *args, rec.confirmation_id);
  if (!executed.ok()) {
    const auto code = executed.status().code();
    const bool retryable = code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
    // Retryable: back to pending with the SAME idempotency key, so a retry cannot act twice.
    (void)store_->finish(rec.token_hash, retryable ? "pending" : "failed", "", now);
    if (code == StatusCode::kFailedPrecondition) {
      return impl_->refused(ctx, id, rec.tool, executed.status().message(),
                            "No pude completar la solicitud: " + executed.status().message() + ".",
                            "I could not complete the request: " + executed.status().message() + ".",
                            ref);
    }
    return impl_->backend_failure(ctx, id, rec.tool, executed.status());
  }
  (void)store_->finish(rec.token_hash, "executed", executed->result_json, now);
  impl_->audit(ctx, id, "executed", rec.tool, "allow", "ok",
               {{"confirmation_id", rec.confirmation_id}, {"args", audit_safe_args(*args)}});
  return *executed;
}

Outcome Agent::escalate(const SessionContext& ctx, std::string_view reason_code,
                        std::string_view summary, std::string_view intent,
                        std::string_view slots_json) {
  const Identity id = identify(ctx);
  NewTicket t;
  t.session_id = ctx.session_id;
  t.customer_ref = id.authenticated ? deps_.audit->customer_ref(id.customer_id) : "";
  t.intent = std::string(intent);
  t.slots_json = std::string(slots_json.empty() ? "{}" : slots_json);
  t.summary = std::string(summary.substr(0, 500));
  t.transcript = ctx.transcript;
  if (t.transcript.empty()) {
    // The caller gave no transcript: the conversation as stored so far.
    t.transcript =
        deps_.tickets->conversation_turns(ctx.session_id).value_or(std::vector<TranscriptTurn>{});
  }
  t.retrieval_gaps = ctx.retrieval_gaps;
  t.reason_code = std::string(reason_code.empty() ? "customer_request" : reason_code);
  auto created = deps_.tickets->create(t);
  if (!created.ok()) {
    return impl_->refused(ctx, id, "escalar_a_agente", "ticket_failed",
                          "Lo siento, no pude crear el caso. Puedes llamar a la línea *611.",
                          "Sorry, I could not open the ticket. You can call *611.");
  }
  impl_->audit(ctx, id, "handoff", "escalar_a_agente", "allow", t.reason_code,
               {{"ticket_id", created->id}});
  Outcome o = make(OutcomeKind::kResult, "escalar_a_agente", "ok",
                   "Listo, pasé tu conversación a un asesor humano (caso " + created->id +
                       "). Te responderá por este mismo chat; el horario de asesores es de 7:00 a 22:00.",
                   "Done, I handed your conversation to a human agent (ticket " + created->id +
                       "). They will reply in this chat; agents work from 7:00 to 22:00.");
  o.ticket_id = created->id;
  o.result_json = dump_json(Json{{"status", "escalated"}, {"ticket_id", created->id}});
  return o;
}

Result<int64_t> Agent::erase_sessions(const std::vector<std::string>& session_ids) {
  ATIENDE_RETURN_IF_ERROR(store_->erase_sessions(session_ids));
  return deps_.tickets->erase_sessions(session_ids);
}

}  // namespace atiende::agent
