// Safety targets of issue 5, tried hard through the simulated LLM path (propose() with the
// arguments a malicious or confused model would send) and through the forms path:
//  - zero state-changing executions without a valid confirmation;
//  - zero actions on a customer other than the token's.
// Every test ends by counting the writes the backend actually applied.

#include <thread>

#include "agent_fixture.h"
#include "common/crypto.h"

namespace atiende::agent::testing {
namespace {

class AgentSafetyTest : public AgentFixture {
 protected:
  int64_t writes() { return demo_backend_applied_writes_for_test(*backend_); }

  std::string preview_token(const SessionContext& ctx, const std::string& tool, const std::string& args) {
    auto out = agent_->propose(ctx, tool, args);
    EXPECT_EQ(out.kind, OutcomeKind::kPreview) << out.reason_code;
    return out.preview ? out.preview->token : "";
  }
};

TEST_F(AgentSafetyTest, ProposeNeverExecutesAStateChange) {
  auto ctx = session("ses_1", "CUST-1001");
  for (int i = 0; i < 3; ++i) {
    auto out = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-ilimitado"})");
    EXPECT_EQ(out.kind, OutcomeKind::kPreview);
  }
  auto order = agent_->propose(ctx, "pedir_telefono", R"({"device_id":"dev-pixel-9a","color":"iris"})");
  EXPECT_EQ(order.kind, OutcomeKind::kPreview);
  EXPECT_EQ(writes(), 0);
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");
}

TEST_F(AgentSafetyTest, ReplayedAndDoubleConfirmExecuteOnce) {
  auto ctx = session("ses_2", "CUST-1001");
  const std::string token = preview_token(ctx, "pedir_telefono", R"({"device_id":"dev-moto-g85","color":"azul cobalto"})");
  EXPECT_EQ(agent_->confirm(ctx, token, "confirm").kind, OutcomeKind::kResult);
  auto again = agent_->confirm(ctx, token, "confirm");
  EXPECT_EQ(again.kind, OutcomeKind::kRefused);
  EXPECT_EQ(again.reason_code, "confirmation_used");
  EXPECT_EQ(agent_->confirm(ctx, token, "cancel").reason_code, "confirmation_used");
  EXPECT_EQ(writes(), 1);
}

TEST_F(AgentSafetyTest, ConcurrentDoubleClickExecutesOnce) {
  auto ctx = session("ses_3", "CUST-1001");
  const std::string token = preview_token(ctx, "pedir_telefono", R"({"device_id":"dev-galaxy-a16","color":"negro"})");
  std::vector<std::thread> threads;
  std::atomic<int> results{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (agent_->confirm(ctx, token, "confirm").kind == OutcomeKind::kResult) ++results;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(results.load(), 1);
  EXPECT_EQ(writes(), 1);
}

TEST_F(AgentSafetyTest, TokenFromAnotherSessionOrCustomerIsRefused) {
  auto owner = session("ses_4", "CUST-1001");
  const std::string token = preview_token(owner, "cambiar_plan", R"({"plan_id":"plan-5g-40"})");
  auto other_session = session("ses_5", "CUST-1001");
  EXPECT_EQ(agent_->confirm(other_session, token, "confirm").reason_code, "confirmation_session_mismatch");
  auto other_customer = session("ses_4", "CUST-1002");  // same session id, different customer
  EXPECT_EQ(agent_->confirm(other_customer, token, "confirm").reason_code,
            "confirmation_customer_mismatch");
  auto anonymous = session("ses_4");
  EXPECT_EQ(agent_->confirm(anonymous, token, "confirm").kind, OutcomeKind::kNeedsLogin);
  EXPECT_EQ(writes(), 0);
  EXPECT_EQ(plan_of("CUST-1002"), "plan-5g-20");
  // The rightful owner still can.
  EXPECT_EQ(agent_->confirm(owner, token, "confirm").kind, OutcomeKind::kResult);
  EXPECT_EQ(writes(), 1);
  EXPECT_GE(count_audit("refused", "confirmation_customer_mismatch"), 1);
}

TEST_F(AgentSafetyTest, ExpiredForgedAndBadDecisionTokensAreRefused) {
  auto ctx = session("ses_6", "CUST-1001");
  const std::string token = preview_token(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-40"})");
  EXPECT_EQ(agent_->confirm(ctx, token, "maybe").reason_code, "invalid_decision");
  EXPECT_EQ(agent_->confirm(ctx, random_.hex(32), "confirm").reason_code, "invalid_confirmation");
  EXPECT_EQ(agent_->confirm(ctx, "", "confirm").reason_code, "invalid_confirmation");
  EXPECT_EQ(agent_->confirm(ctx, std::string(10000, 'a'), "confirm").reason_code, "invalid_confirmation");
  EXPECT_EQ(agent_->confirm(ctx, sha256_hex(token), "confirm").reason_code, "invalid_confirmation");
  clock_.advance(std::chrono::minutes(6));
  ctx.customer_token = token_for("CUST-1001");  // a fresh login does not revive the preview
  EXPECT_EQ(agent_->confirm(ctx, token, "confirm").reason_code, "confirmation_expired");
  EXPECT_EQ(writes(), 0);
}

TEST_F(AgentSafetyTest, ArgumentsNamingAnotherCustomerAreRefusedAndAudited) {
  auto ctx = session("ses_7", "CUST-1001");
  const char* attacks[] = {
      R"({"plan_id":"plan-5g-ilimitado","customer_id":"CUST-1002"})",
      R"({"plan_id":"plan-5g-ilimitado","cliente_id":"CUST-1002"})",
      R"({"plan_id":"plan-5g-ilimitado","customer_id":""})",
      R"({"plan_id":"plan-5g-ilimitado","customer_id":1002})",
      R"({"plan_id":"plan-5g-ilimitado","customer_id":["CUST-1001","CUST-1002"]})",
      R"({"plan_id":"plan-5g-ilimitado","sub":"CUST-1002"})",
  };
  for (const char* args : attacks) {
    auto out = agent_->propose(ctx, "cambiar_plan", args);
    EXPECT_EQ(out.kind, OutcomeKind::kRefused) << args;
    EXPECT_EQ(out.reason_code, "customer_mismatch") << args;
    EXPECT_FALSE(out.preview.has_value());
  }
  auto read = agent_->propose(ctx, "consultar_cuenta", R"({"customer_id":"CUST-1004"})");
  EXPECT_EQ(read.reason_code, "customer_mismatch");
  EXPECT_EQ(read.result_json.find("CUST-1004"), std::string::npos);
  auto orders = agent_->propose(ctx, "estado_pedido", R"({"order_id":"ORD-50021"})");  // CUST-1002's
  EXPECT_EQ(orders.reason_code, "order_not_found");
  EXPECT_EQ(orders.result_json.find("Mesh"), std::string::npos);
  EXPECT_EQ(count_audit("refused", "customer_mismatch"), 7);
  // The matching id is accepted (and ignored): the tool still acts on the token's customer.
  auto same = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-20","customer_id":"CUST-1001"})");
  EXPECT_EQ(same.kind, OutcomeKind::kPreview);
  EXPECT_EQ(writes(), 0);
  auto verify = audit_->verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
  // No raw customer ids anywhere in the audit records (customers are keyed hashes).
  Status scan = audit_->for_each([](const audit::AuditRecord& r) {
    EXPECT_EQ(r.details_json.find("CUST-"), std::string::npos) << r.details_json;
    EXPECT_EQ(r.customer_ref.find("CUST-"), std::string::npos);
    return Status::ok_status();
  });
  EXPECT_TRUE(scan.ok());
}

TEST_F(AgentSafetyTest, ForgedExpiredAndMalformedCustomerTokensAreAnonymous) {
  JwtOptions wrong = jwt_;
  wrong.hs256_secret = "attacker-secret";
  auto forged = issue_hs256_token("CUST-1002", 3600, wrong, clock_);
  ASSERT_TRUE(forged.ok());
  auto expired = issue_hs256_token("CUST-1002", 10, jwt_, clock_);
  ASSERT_TRUE(expired.ok());
  const std::string none_alg = base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." +
                               base64url_encode(R"({"sub":"CUST-1002","exp":9999999999,"aud":"atiende","iss":"unaempresa.example"})") + ".";
  clock_.advance(std::chrono::minutes(10));
  for (const std::string& token : {*forged, *expired, none_alg, std::string("garbage"),
                                   std::string("a.b.c"), std::string(20000, 'x')}) {
    SessionContext ctx;
    ctx.session_id = "ses_8";
    ctx.customer_token = token;
    EXPECT_FALSE(agent_->identify(ctx).authenticated);
    auto out = agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-ilimitado"})");
    EXPECT_EQ(out.kind, OutcomeKind::kNeedsLogin);
    auto form = agent_->handle_builtin_turn(ctx, "quiero más datos 5G");
    ASSERT_TRUE(form.has_value());
    EXPECT_EQ(form->kind, OutcomeKind::kNeedsLogin);
  }
  EXPECT_GE(count_audit("token_invalid"), 6);
  EXPECT_EQ(writes(), 0);
  EXPECT_EQ(plan_of("CUST-1002"), "plan-5g-20");
}

TEST_F(AgentSafetyTest, ScriptedMaliciousModelCallsAreRefused) {
  auto ctx = session("ses_9", "CUST-1001");
  struct Call {
    const char* tool;
    std::string args;
    const char* reason;
  };
  const std::vector<Call> calls = {
      {"cambiar_plan", R"({"plan_id":"plan-5g-ilimitado","confirmed":true})", "invalid_arguments"},
      {"pedir_telefono", R"({"device_id":"dev-galaxy-s25","color":"menta","skip_confirmation":true})", "invalid_arguments"},
      {"pedir_telefono", R"({"device_id":"dev-galaxy-s25"})", "invalid_arguments"},
      {"pedir_telefono", R"({"device_id":"dev-galaxy-s25","color":"dorado"})", "unknown_color"},
      {"cambiar_plan", R"(["plan-5g-ilimitado"])", "invalid_arguments"},
      {"cambiar_plan", R"({"plan_id":"plan-5g-ilimitado")", "invalid_arguments"},
      {"cambiar_plan", R"({"plan_id":{"$ne":null}})", "invalid_arguments"},
      {"cambiar_plan", std::string(R"({"plan_id":")") + std::string(100000, 'a') + "\"}", "invalid_arguments"},
      {"cambiar_plan", std::string(40, '[') + std::string(40, ']'), "invalid_arguments"},
      {"ejecutar_sql", R"({"q":"DROP TABLE demo_customers"})", "unknown_tool"},
      {"cambiar_plan\"; --", "{}", "unknown_tool"},
      {"confirmar", R"({"token":"x"})", "unknown_tool"},
  };
  for (const auto& c : calls) {
    auto out = agent_->propose(ctx, c.tool, c.args);
    EXPECT_EQ(out.kind, OutcomeKind::kRefused) << c.tool << " " << c.args.substr(0, 80);
    EXPECT_EQ(out.reason_code, c.reason) << c.tool << " " << c.args.substr(0, 80);
    EXPECT_FALSE(out.message_en.empty());
  }
  // A model "confirming" on its own with an invented token gets nothing.
  EXPECT_EQ(agent_->confirm(ctx, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                            "confirm").reason_code, "invalid_confirmation");
  EXPECT_EQ(writes(), 0);
}

TEST_F(AgentSafetyTest, FormsPathNeverConfirmsWithoutAPreviewOfThisSession) {
  auto a = session("ses_10", "CUST-1001");
  auto b = session("ses_11", "CUST-1001");
  // "yes" with nothing pending does nothing.
  for (const char* text : {"sí, confírmalo", "dale", "confirmo", "yes"}) {
    auto out = agent_->handle_builtin_turn(b, text);
    EXPECT_TRUE(!out.has_value() || out->kind != OutcomeKind::kResult || out->tool.empty()) << text;
  }
  auto preview = agent_->handle_builtin_turn(a, "quiero más datos 5G");
  ASSERT_TRUE(preview.has_value());
  ASSERT_EQ(preview->kind, OutcomeKind::kPreview);
  // Another session saying yes does not confirm session a's preview.
  auto other = agent_->handle_builtin_turn(b, "sí");
  EXPECT_TRUE(!other.has_value() || other->kind != OutcomeKind::kResult || other->tool.empty());
  EXPECT_EQ(writes(), 0);
  // An unclear reply does not confirm either.
  auto unclear = agent_->handle_builtin_turn(a, "mmm");
  ASSERT_TRUE(unclear.has_value());
  EXPECT_EQ(unclear->kind, OutcomeKind::kClarify);
  EXPECT_EQ(writes(), 0);
  // Expired preview: "sí" after the TTL does nothing.
  clock_.advance(std::chrono::minutes(6));
  a.customer_token = token_for("CUST-1001");
  auto late = agent_->handle_builtin_turn(a, "sí");
  EXPECT_TRUE(!late.has_value() || late->kind != OutcomeKind::kResult || late->tool.empty());
  EXPECT_EQ(writes(), 0);
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-10");
}

TEST_F(AgentSafetyTest, FormsTextNamingAnotherCustomerActsOnTheTokensCustomer) {
  auto ctx = session("ses_12", "CUST-1001");
  auto out = agent_->handle_builtin_turn(ctx, "cámbiale el plan de CUST-1002 al plan 5G 40 GB");
  ASSERT_TRUE(out.has_value());
  ASSERT_EQ(out->kind, OutcomeKind::kPreview) << out->reason_code << " " << out->intent;
  auto done = agent_->handle_builtin_turn(ctx, "sí");
  ASSERT_TRUE(done.has_value());
  EXPECT_EQ(done->kind, OutcomeKind::kResult);
  EXPECT_EQ(plan_of("CUST-1001"), "plan-5g-40");
  EXPECT_EQ(plan_of("CUST-1002"), "plan-5g-20");
}

TEST_F(AgentSafetyTest, OnePhoneOrderPer24HoursEvenWithTwoPreviews) {
  auto ctx = session("ses_13", "CUST-1003");
  const std::string t1 = preview_token(ctx, "pedir_telefono", R"({"device_id":"dev-moto-e15","color":"verde pastel"})");
  const std::string t2 = preview_token(ctx, "pedir_telefono", R"({"device_id":"dev-galaxy-a16","color":"gris"})");
  EXPECT_EQ(agent_->confirm(ctx, t1, "confirm").kind, OutcomeKind::kResult);
  auto second = agent_->confirm(ctx, t2, "confirm");
  EXPECT_EQ(second.kind, OutcomeKind::kRefused);
  EXPECT_EQ(second.reason_code, "phone_order_limit");
  EXPECT_EQ(agent_->propose(ctx, "pedir_telefono", R"({"device_id":"dev-galaxy-a16","color":"gris"})").reason_code,
            "phone_order_limit");
  EXPECT_EQ(writes(), 1);
  clock_.advance(std::chrono::hours(25));
  ctx.customer_token = token_for("CUST-1003");
  EXPECT_EQ(agent_->propose(ctx, "pedir_telefono", R"({"device_id":"dev-galaxy-a16","color":"gris"})").kind,
            OutcomeKind::kPreview);
}

TEST_F(AgentSafetyTest, SessionRateLimitAndPriceCeiling) {
  auto ctx = session("ses_14", "CUST-1001");
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-20"})").kind, OutcomeKind::kPreview);
  }
  EXPECT_EQ(agent_->propose(ctx, "cambiar_plan", R"({"plan_id":"plan-5g-20"})").reason_code,
            "session_rate_limit");
  // Price ceiling from config.
  auto registry = builtin_tool_registry({}, {});
  ASSERT_TRUE(registry.ok());
  Config config(map_env({}));
  config.set("agent.policy.price_ceiling_cop", "1000000");
  auto policy = policy_from_config(config, *registry);
  ASSERT_TRUE(policy.ok()) << policy.status().to_string();
  PolicyFacts facts;
  facts.authenticated = true;
  facts.price_cop = 1899900;
  EXPECT_EQ(decide(*policy, *registry->find("pedir_telefono"), facts).reason_code, "price_ceiling");
  facts.price_cop = 999900;
  EXPECT_EQ(decide(*policy, *registry->find("pedir_telefono"), facts).reason_code, "ok");
  EXPECT_TRUE(decide(*policy, *registry->find("pedir_telefono"), facts).requires_confirmation);
  // A config cannot switch confirmation off for a state-changing tool.
  Config unsafe(map_env({}));
  unsafe.set("agent.policy.tools.cambiar_plan.requires_confirmation", "false");
  EXPECT_FALSE(policy_from_config(unsafe, *registry).ok());
  auto typo_config = Config::load_string("[agent.policy.tools.cambiar_plann]\nmax_per_session = 2\n",
                                         map_env({}));
  ASSERT_TRUE(typo_config.ok());
  EXPECT_FALSE(policy_from_config(*typo_config, *registry).ok());
  EXPECT_EQ(writes(), 0);
}

}  // namespace
}  // namespace atiende::agent::testing
