#pragma once
// Shared test fixture: an Agent over an in-memory SQLite database with the demo backend seeded
// from data/demo, a FakeClock at 2026-11-22 15:00 Colombia time, an HS256 verifier and the intent
// classifier trained on data/demo/intents/train.jsonl (trained once per test binary).

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "agent/agent.h"
#include "agent/demo_backend.h"
#include "common/json.h"

namespace atiende::agent::testing {

inline constexpr int64_t kNowMs = 1795377600000;  // 2026-11-22T20:00:00Z
inline const std::string kSecret = "test-secret-0123456789abcdef";

inline std::string demo_dir() { return std::string(ATIENDE_SOURCE_DIR) + "/data/demo"; }

inline std::shared_ptr<const IntentClassifier> shared_classifier() {
  static std::shared_ptr<const IntentClassifier> model = [] {
    auto examples = load_intent_examples(demo_dir() + "/intents/train.jsonl");
    EXPECT_TRUE(examples.ok());
    auto trained = IntentClassifier::train(*examples);
    EXPECT_TRUE(trained.ok());
    return std::make_shared<const IntentClassifier>(std::move(*trained));
  }();
  return model;
}

/// Marks every digit run, so tests can check that the ticket store anonymizes.
inline std::string fake_anonymize(std::string s) {
  std::string out;
  for (char c : s) out.push_back(c >= '0' && c <= '9' ? '#' : c);
  return out;
}

class AgentFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = store::SqliteDatabase::open(":memory:");
    ASSERT_TRUE(db.ok()) << db.status().to_string();
    db_ = *db;
    auto catalog = Catalog::load(demo_dir() + "/catalog");
    ASSERT_TRUE(catalog.ok()) << catalog.status().to_string();
    catalog_ = std::make_shared<const Catalog>(std::move(*catalog));
    auto backend = open_demo_backend(db_, demo_dir(), *catalog_, clock_);
    ASSERT_TRUE(backend.ok()) << backend.status().to_string();
    backend_ = std::shared_ptr<Backend>(std::move(*backend));
    auto audit = audit::AuditLog::open(db_, "audit-key", clock_);
    ASSERT_TRUE(audit.ok());
    audit_ = std::shared_ptr<audit::AuditLog>(std::move(*audit));
    auto tickets = TicketStore::open(db_, fake_anonymize, clock_, random_, nullptr);
    ASSERT_TRUE(tickets.ok());
    tickets_ = std::shared_ptr<TicketStore>(std::move(*tickets));
    JwtOptions jwt;
    jwt.hs256_secret = kSecret;
    jwt.audience = "atiende";
    jwt.issuer = "unaempresa.example";
    jwt_ = jwt;
    auto verifier = TokenVerifier::create(jwt);
    ASSERT_TRUE(verifier.ok());
    std::vector<std::string> plan_ids, device_ids;
    for (const auto& p : catalog_->plans()) plan_ids.push_back(p.id);
    for (const auto& d : catalog_->devices()) device_ids.push_back(d.id);
    auto registry = builtin_tool_registry(plan_ids, device_ids);
    ASSERT_TRUE(registry.ok());
    auto policy = policy_from_config(Config(map_env({})), *registry);
    ASSERT_TRUE(policy.ok());
    AgentOptions options;
    options.policy = *policy;
    options.tool_intent_threshold = tool_intent_threshold_;
    AgentDeps deps{db_, backend_, catalog_, audit_, tickets_, *verifier, shared_classifier(),
                   &clock_, &random_};
    auto agent = Agent::create(std::move(deps), std::move(*registry), options);
    ASSERT_TRUE(agent.ok()) << agent.status().to_string();
    agent_ = std::move(*agent);
  }

  std::string token_for(const std::string& customer, int64_t ttl = 3600) {
    auto t = issue_hs256_token(customer, ttl, jwt_, clock_);
    EXPECT_TRUE(t.ok());
    return *t;
  }

  SessionContext session(const std::string& id, const std::string& customer = "") {
    SessionContext ctx;
    ctx.session_id = id;
    if (!customer.empty()) ctx.customer_token = token_for(customer);
    return ctx;
  }

  std::string plan_of(const std::string& customer) {
    auto a = backend_->get_account(customer);
    EXPECT_TRUE(a.ok());
    return a.ok() ? a->plan_id : "";
  }

  size_t order_count(const std::string& customer) {
    auto o = backend_->list_orders(customer);
    EXPECT_TRUE(o.ok());
    return o.ok() ? o->size() : 0;
  }

  /// Number of audit records with `action` (and `reason` when not empty).
  int count_audit(const std::string& action, const std::string& reason = "") {
    int n = 0;
    Status s = audit_->for_each([&](const audit::AuditRecord& r) {
      if (r.action == action && (reason.empty() || r.reason_code == reason)) ++n;
      return Status::ok_status();
    });
    EXPECT_TRUE(s.ok());
    return n;
  }

  double tool_intent_threshold_ = AgentOptions{}.tool_intent_threshold;  ///< set before SetUp
  FakeClock clock_{kNowMs};
  SeededRandom random_{7};
  std::shared_ptr<store::SqliteDatabase> db_;
  std::shared_ptr<const Catalog> catalog_;
  std::shared_ptr<Backend> backend_;
  std::shared_ptr<audit::AuditLog> audit_;
  std::shared_ptr<TicketStore> tickets_;
  JwtOptions jwt_;
  std::unique_ptr<Agent> agent_;
};

}  // namespace atiende::agent::testing
