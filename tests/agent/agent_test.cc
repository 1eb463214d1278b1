// Agent facade: the demo flows of issue 5 through the built-in path (forms) and propose().

#include "agent_fixture.h"

namespace atiende::agent::testing {
namespace {

using AgentTest = AgentFixture;

TEST_F(AgentTest, MoreDataProposesNextPlanAndConfirmChangesIt) {
  auto ctx = session("ses_a", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "quiero más datos 5G");
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->kind, OutcomeKind::kPreview) << out->message_es << " " << out->reason_code;
  EXPECT_EQ(out->tool, "cambiar_plan");
  ASSERT_TRUE(out->preview.has_value());
  EXPECT_EQ(out->preview->price_cop, 59900);
  EXPECT_EQ(out->preview->price_delta_cop, 15000);
  EXPECT_EQ(out->preview->effective_date, "2026-11-22");  // upgrade: immediate
  EXPECT_NE(out->message_es.find("Plan 5G 20 GB"), std::string::npos);
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");  // nothing changed yet

  auto done = agent_->handle_builtin_turn(ctx, "sí, confírmalo");
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->kind, OutcomeKind::kResult) << done->message_es << " " << done->reason_code;
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-20");
  EXPECT_EQ(count_audit("executed"), 1);
  auto verify = audit_->verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_F(AgentTest, PreviewDecidedByButtonNoLongerWaitsForAYesOrNo) {
  auto ctx = session("ses_btn", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "quiero más datos 5G");
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->kind, OutcomeKind::kPreview) << out->reason_code;
  auto done = agent_->confirm(ctx, out->preview->token, "confirm");  // the UI's button
  ASSERT_EQ(done.kind, OutcomeKind::kResult) << done.reason_code;
  // The next short message is a new request, not a reply to the decided preview.
  auto next = agent_->handle_builtin_turn(ctx, "¿qué plan tengo?");
  ASSERT_TRUE(next.has_value());
  EXPECT_NE(next->reason_code, "confirmation_unclear");
  EXPECT_EQ(next->tool, "consultar_cuenta") << next->reason_code;
  EXPECT_EQ(count_audit("executed"), 2);  // the plan change and the account read
}

TEST_F(AgentTest, DowngradeIsEffectiveNextCycle) {
  auto ctx = session("ses_b", "CUST-1004");  // plan-5g-40, cycle day 20
  auto out = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-20"})");
  ASSERT_EQ(out.kind, OutcomeKind::kPreview) << out.reason_code;
  EXPECT_EQ(out.preview->price_delta_cop, -20000);
  EXPECT_EQ(out.preview->effective_date, "2026-12-20");
}

TEST_F(AgentTest, PhoneOrderFormAsksForMissingSlotsThenOrders) {
  auto ctx = session("ses_c", "CUST-1001");
  auto first = agent_->handle_builtin_turn(ctx, "quiero pedir un celular nuevo");
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->kind, OutcomeKind::kClarify) << first->reason_code << " " << first->intent;
  EXPECT_NE(first->message_es.find("¿Qué equipo"), std::string::npos);
  auto second = agent_->handle_builtin_turn(ctx, "el galaxy a56");
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->kind, OutcomeKind::kClarify);
  EXPECT_NE(second->message_es.find("oliva"), std::string::npos);  // offers the colors
  auto third = agent_->handle_builtin_turn(ctx, "oliva");
  ASSERT_TRUE(third.has_value());
  ASSERT_EQ(third->kind, OutcomeKind::kPreview) << third->message_es;
  EXPECT_EQ(third->preview->price_cop, 1899900);
  const size_t before = order_count("CUST-1001");
  auto done = agent_->confirm(ctx, third->preview->token, "confirm");
  EXPECT_EQ(done.kind, OutcomeKind::kResult) << done.reason_code;
  EXPECT_EQ(order_count("CUST-1001"), before + 1);
  auto status = agent_->handle_builtin_turn(ctx, "dónde está mi pedido?");
  ASSERT_TRUE(status.has_value());
  EXPECT_EQ(status->kind, OutcomeKind::kResult);
  EXPECT_NE(status->message_es.find("Galaxy A56"), std::string::npos);
}

TEST_F(AgentTest, GenericColorWithTwoMatchesAsksWhichOne) {
  auto ctx = session("ses_d", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "quiero comprar el galaxy s25 azul");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->kind, OutcomeKind::kClarify);
  EXPECT_NE(out->message_es.find("azul marino"), std::string::npos);
  EXPECT_NE(out->message_es.find("azul hielo"), std::string::npos);
}

TEST_F(AgentTest, SoldOutDeviceIsRefusedWithRestockEstimate) {
  auto ctx = session("ses_e", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "quiero comprar el iphone 17 pro");
  ASSERT_TRUE(out.has_value());
  EXPECT_NE(out->kind, OutcomeKind::kPreview);
  EXPECT_NE(out->message_es.find("agotado"), std::string::npos);
  auto direct = agent_->propose(ctx, "pedir_telefono", R"({"device_id":"dev-iphone-17-pro","color":"plata"})");
  EXPECT_EQ(direct.kind, OutcomeKind::kRefused);
  EXPECT_EQ(direct.reason_code, "sold_out");
}

TEST_F(AgentTest, UnknownPlanGetsClarification) {
  auto ctx = session("ses_f", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "cámbiame el plan por favor");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->kind, OutcomeKind::kClarify) << out->reason_code << " " << out->intent;
  EXPECT_NE(out->message_es.find("¿Qué plan te interesa?"), std::string::npos);
  auto bad = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-1000"})");
  EXPECT_EQ(bad.kind, OutcomeKind::kRefused);
  EXPECT_EQ(bad.reason_code, "invalid_arguments");
  EXPECT_NE(bad.message_en.find("plan-5g-20"), std::string::npos);  // lists valid ids
}

TEST_F(AgentTest, AnonymousIsAskedToLogInButCanCheckOutages) {
  auto ctx = session("ses_g");
  auto plan = agent_->handle_builtin_turn(ctx, "quiero más datos 5G");
  ASSERT_TRUE(plan.has_value());
  EXPECT_EQ(plan->kind, OutcomeKind::kNeedsLogin);
  auto direct = agent_->propose(ctx, "consultar_cuenta", "{}");
  EXPECT_EQ(direct.kind, OutcomeKind::kNeedsLogin);
  auto outage = agent_->propose(ctx, "consultar_falla", R"({"area":"Barranquilla"})");
  EXPECT_EQ(outage.kind, OutcomeKind::kResult);
  EXPECT_NE(outage.result_json.find("OUT-3001"), std::string::npos);
}

TEST_F(AgentTest, AccountSummaryIsTheTokensCustomer) {
  auto ctx = session("ses_h", "CUST-1008");
  auto out = agent_->propose(ctx, "consultar_cuenta", "{}");
  ASSERT_EQ(out.kind, OutcomeKind::kResult);
  EXPECT_NE(out.result_json.find("CUST-1008"), std::string::npos);
  EXPECT_NE(out.message_es.find("119.800 COP"), std::string::npos);
}

TEST_F(AgentTest, KnowledgeQuestionsGoToRetrieval) {
  auto ctx = session("ses_i", "CUST-1001");
  EXPECT_FALSE(agent_->handle_builtin_turn(ctx, "cómo activo el roaming en europa?").has_value());
  auto hi = agent_->handle_builtin_turn(ctx, "hola");
  ASSERT_TRUE(hi.has_value());
  EXPECT_EQ(hi->reason_code, "small_talk");
}

TEST_F(AgentTest, EscalationCreatesAnonymizedTicket) {
  auto ctx = session("ses_j", "CUST-1002");
  ctx.transcript = {{"user", "mi número es 3001234567"}, {"assistant", "No sé la respuesta."}};
  ctx.retrieval_gaps = {"tarifa 3001234567"};
  auto out = agent_->handle_builtin_turn(ctx, "quiero hablar con un asesor");
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->kind, OutcomeKind::kResult) << out->reason_code;
  ASSERT_FALSE(out->ticket_id.empty());
  auto ticket = tickets_->get(out->ticket_id);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket->session_id, "ses_j");
  EXPECT_EQ(ticket->status, "open");
  ASSERT_EQ(ticket->transcript.size(), 2u);
  EXPECT_EQ(ticket->transcript[0].text.find("3001234567"), std::string::npos);
  EXPECT_EQ(ticket->retrieval_gaps[0].find("3001234567"), std::string::npos);
  EXPECT_FALSE(ticket->customer_ref.empty());
  EXPECT_NE(ticket->customer_ref, "CUST-1002");
}

TEST_F(AgentTest, BackendOutageApologizesOffersTicketAndChangesNothing) {
  auto ctx = session("ses_k", "CUST-1001");
  auto preview = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-40"})");
  ASSERT_EQ(preview.kind, OutcomeKind::kPreview);
  demo_backend_fail_next_for_test(*backend_, 1, Status::unavailable("backend down"));
  auto failed = agent_->confirm(ctx, preview.preview->token, "confirm");
  EXPECT_EQ(failed.kind, OutcomeKind::kRefused);
  EXPECT_EQ(failed.reason_code, "backend_unavailable");
  EXPECT_TRUE(failed.offer_ticket);
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");
  // The same confirmation can be retried once the backend is back (same idempotency key).
  auto retried = agent_->confirm(ctx, preview.preview->token, "confirm");
  EXPECT_EQ(retried.kind, OutcomeKind::kResult) << retried.reason_code;
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-40");
  EXPECT_EQ(demo_backend_applied_writes_for_test(*backend_), 1);
}

TEST_F(AgentTest, AChangeThatCannotBeAuditedIsNotMade) {
  auto ctx = session("ses_audit", "CUST-1001");
  auto preview = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-40"})");
  ASSERT_EQ(preview.kind, OutcomeKind::kPreview);
  ASSERT_TRUE(db_->exec("ALTER TABLE audit_log RENAME TO audit_log_away").ok());
  auto refused = agent_->confirm(ctx, preview.preview->token, "confirm");
  EXPECT_EQ(refused.kind, OutcomeKind::kRefused);
  EXPECT_EQ(refused.reason_code, "audit_unavailable");
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");
  EXPECT_EQ(demo_backend_applied_writes_for_test(*backend_), 0);
  // Once the log is writable again the same confirmation goes through, and is recorded.
  ASSERT_TRUE(db_->exec("ALTER TABLE audit_log_away RENAME TO audit_log").ok());
  auto done = agent_->confirm(ctx, preview.preview->token, "confirm");
  EXPECT_EQ(done.kind, OutcomeKind::kResult) << done.reason_code;
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-40");
  EXPECT_EQ(count_audit("executed"), 1);
  auto verify = audit_->verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
}

TEST_F(AgentTest, AnAccountQuestionWhileAPreviewWaitsIsAnsweredAndTheYesStillApplies) {
  auto ctx = session("ses_pq", "CUST-1001");
  auto preview = agent_->handle_builtin_turn(ctx, "quiero más datos 5G");
  ASSERT_TRUE(preview.has_value());
  ASSERT_EQ(preview->kind, OutcomeKind::kPreview) << preview->reason_code;
  auto account = agent_->handle_builtin_turn(ctx, "¿qué plan tengo?");
  ASSERT_TRUE(account.has_value());
  EXPECT_EQ(account->kind, OutcomeKind::kResult) << account->reason_code;
  EXPECT_EQ(account->tool, "consultar_cuenta");
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");  // still only a preview
  auto yes = agent_->handle_builtin_turn(ctx, "sí, confírmalo");
  ASSERT_TRUE(yes.has_value());
  EXPECT_EQ(yes->kind, OutcomeKind::kResult) << yes->reason_code;
  EXPECT_EQ(yes->tool, "cambiar_plan");
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-20");
}

TEST_F(AgentTest, CancelByTextChangesNothing) {
  auto ctx = session("ses_l", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "pásame al plan de 40 gigas");
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->kind, OutcomeKind::kPreview) << out->reason_code << " " << out->intent;
  auto no = agent_->handle_builtin_turn(ctx, "no, cancela");
  ASSERT_TRUE(no.has_value());
  EXPECT_EQ(no->reason_code, "cancelled");
  EXPECT_EQ(no->kind, OutcomeKind::kRefused);  // not done: never reported as executed
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");
  EXPECT_EQ(agent_->confirm(ctx, out->preview->token, "confirm").reason_code, "confirmation_cancelled");
}

TEST_F(AgentTest, ToolsForLlmCarrySchemasAndDescriptions) {
  auto tools = agent_->tools_for_llm("en");
  ASSERT_EQ(tools.size(), 6u);
  EXPECT_EQ(tools[1].name, "cambiar_plan");
  EXPECT_EQ(tools[1].kind, ToolKind::kStateChanging);
  EXPECT_NE(tools[1].description.find("confirmation"), std::string::npos);
  EXPECT_NE(tools[1].parameters_json.find("\"plan_id\""), std::string::npos);
  EXPECT_NE(agent_->tools_for_llm("es")[1].description.find("confirmación"), std::string::npos);
}

TEST_F(AgentTest, StateSurvivesReopen) {
  auto ctx = session("ses_m", "CUST-1003");
  auto out = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-prepago-5"})");
  ASSERT_EQ(out.kind, OutcomeKind::kPreview) << out.reason_code;
  ASSERT_EQ(agent_->confirm(ctx, out.preview->token, "yes").kind, OutcomeKind::kResult);
  auto reopened = open_demo_backend(db_, demo_dir(), *catalog_, clock_);
  ASSERT_TRUE(reopened.ok());
  auto account = (*reopened)->get_account("CUST-1003");
  ASSERT_TRUE(account.ok());
  EXPECT_EQ(account->plan_id, "plan-prepago-5");
}

class StrictToolIntentTest : public AgentFixture {
 protected:
  StrictToolIntentTest() { tool_intent_threshold_ = 0.999; }
};

TEST_F(AgentTest, AConfidentToolIntentStartsTheTask) {
  auto out = agent_->handle_builtin_turn(session("ses-sure", "CUST-1004"), "quiero más datos 5G");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->intent, "cambiar_plan");
}

TEST_F(StrictToolIntentTest, AToolIntentBelowTheThresholdIsAKnowledgeQuestion) {
  // Not acted on: the engine answers it from the knowledge base instead.
  EXPECT_FALSE(agent_->handle_builtin_turn(session("ses-weak", "CUST-1004"), "quiero más datos 5G"));
  EXPECT_EQ(plan_of("CUST-1004"), "plan-5g-40");
  // Small talk is not a tool intent and is still answered by the agent.
  auto hello = agent_->handle_builtin_turn(session("ses-hello"), "hola buenas");
  ASSERT_TRUE(hello.has_value());
  EXPECT_EQ(hello->reason_code, "small_talk");
}

}  // namespace
}  // namespace atiende::agent::testing
