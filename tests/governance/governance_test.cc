// Retention and erasure over a real SQLite conversation store and audit log (fake clock).

#include <gtest/gtest.h>

#include "audit/audit_log.h"
#include "common/json.h"
#include "governance/governance.h"
#include "store/temp_database.h"

namespace atiende::governance {
namespace {

using namespace std::chrono_literals;
constexpr int64_t kDay = 86'400'000;

class GovernanceTest : public ::testing::Test {
 protected:
  atiende::testing::TempDatabase temp_{"governance"};  // first: closes last

  void SetUp() override {
    const auto& db = temp_.db();
    ASSERT_TRUE(db);
    auto conversations = store::open_sqlite_conversations(db);
    ASSERT_TRUE(conversations.ok());
    conversations_ = std::move(*conversations);
    auto audit = audit::AuditLog::open(db, std::string(32, 'k'), clock_);
    ASSERT_TRUE(audit.ok());
    audit_ = std::move(*audit);
    deps_ = {conversations_.get(), audit_.get(), nullptr, &clock_};
  }
  void TearDown() override {
    conversations_.reset();
    audit_.reset();
  }

  /// A session of `customer` ("" = anonymous) created and last updated `age_days` ago, with one
  /// message, a rated answer and a survey with a comment.
  void conversation(const std::string& id, const std::string& customer, int64_t age_days) {
    const int64_t at = clock_.unix_millis() - age_days * kDay;
    store::Session s;
    s.id = id;
    s.created_ms = s.updated_ms = at;
    s.customer_ref = customer.empty() ? "" : audit_->customer_ref(customer);
    ASSERT_TRUE(conversations_->create_session(s).ok());
    store::Message m;
    m.id = "msg_" + id;
    m.session_id = id;
    m.role = "assistant";
    m.text = "respuesta";
    m.created_ms = at;
    ASSERT_TRUE(conversations_->append_message(m).ok());
    ASSERT_TRUE(conversations_->put_feedback({id, m.id, "down", "comentario", at}).ok());
    ASSERT_TRUE(conversations_->put_survey({id, 2, "comentario", false, at}).ok());
  }
  bool exists(const std::string& id) {
    auto s = conversations_->get_session(id);
    return s.ok() && s->has_value();
  }

  FakeClock clock_{1'795'000'000'000};
  std::unique_ptr<store::ConversationStore> conversations_;
  std::unique_ptr<audit::AuditLog> audit_;
  GovernanceDeps deps_;
};

TEST_F(GovernanceTest, RetentionDeletesOnlyOldConversationsAndIsAudited) {
  conversation("old", "CUST-1", 100);
  conversation("new", "CUST-1", 5);
  auto report = apply_retention(deps_, 90, RetentionMode::kDelete, "cli");
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->sessions, 1);
  EXPECT_FALSE(exists("old"));
  EXPECT_TRUE(exists("new"));
  auto messages = conversations_->messages("old");
  ASSERT_TRUE(messages.ok());
  EXPECT_TRUE(messages->empty());
  auto verify = audit_->verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
  EXPECT_EQ(verify->records, 1);
  EXPECT_FALSE(apply_retention(deps_, 0, RetentionMode::kDelete, "cli").ok());
}

TEST_F(GovernanceTest, DetachKeepsTextsButCutsTheCustomerAndComments) {
  conversation("old", "CUST-1", 100);
  auto report = apply_retention(deps_, 30, RetentionMode::kDetach, "cli");
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->sessions, 1);
  auto session = conversations_->get_session("old");
  ASSERT_TRUE(session.ok() && session->has_value());
  EXPECT_EQ((*session)->customer_ref, "");
  auto survey = conversations_->survey_of("old");
  ASSERT_TRUE(survey.ok() && survey->has_value());
  EXPECT_EQ((*survey)->comment, "");
  EXPECT_EQ((*survey)->csat, 2);  // statistics survive
  auto feedback = conversations_->feedback_of("old");
  ASSERT_TRUE(feedback.ok());
  ASSERT_EQ(feedback->size(), 1u);
  EXPECT_EQ((*feedback)[0].comment, "");
  EXPECT_EQ(conversations_->messages("old")->size(), 1u);
}

TEST_F(GovernanceTest, ErasureRemovesEveryConversationOfTheCustomerOnly) {
  conversation("a1", "CUST-1", 1);
  conversation("a2", "CUST-1", 400);
  conversation("b1", "CUST-2", 1);
  conversation("anon", "", 1);
  auto report = erase_customer(deps_, "CUST-1", "admin:ana");
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_EQ(report->sessions, 2);
  EXPECT_FALSE(exists("a1"));
  EXPECT_FALSE(exists("a2"));
  EXPECT_TRUE(exists("b1"));
  EXPECT_TRUE(exists("anon"));
  // The audit keeps the keyed hash, never the id.
  auto exported = audit_->for_session("");
  ASSERT_TRUE(exported.ok());
  bool found = false;
  for (const auto& r : *exported) {
    if (r.action != "erase") continue;
    found = true;
    EXPECT_EQ(r.customer_ref, report->customer_ref);
    EXPECT_EQ(r.details_json.find("CUST-1"), std::string::npos);
    EXPECT_EQ(r.customer_ref.find("CUST-1"), std::string::npos);
  }
  EXPECT_TRUE(found);
  auto again = erase_customer(deps_, "CUST-1", "admin:ana");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sessions, 0);
  EXPECT_FALSE(erase_customer(deps_, "", "cli").ok());
}

}  // namespace
}  // namespace atiende::governance
