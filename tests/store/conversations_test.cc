#include "store/conversations.h"

#include <gtest/gtest.h>

namespace atiende::store {
namespace {

class ConversationStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = SqliteDatabase::open(":memory:").value();
    store_ = open_sqlite_conversations(db_).value();
  }
  Session session(const std::string& id, int64_t created, const std::string& customer = "") {
    Session s;
    s.id = id;
    s.created_ms = s.updated_ms = created;
    s.customer_ref = customer;
    return s;
  }
  Message message(const std::string& id, const std::string& session_id, const std::string& role) {
    Message m;
    m.id = id;
    m.session_id = session_id;
    m.role = role;
    m.text = "texto " + id;
    m.created_ms = 100;
    return m;
  }
  std::shared_ptr<SqliteDatabase> db_;
  std::unique_ptr<ConversationStore> store_;
};

TEST_F(ConversationStoreTest, SessionsRoundTripAndUpdate) {
  ASSERT_TRUE(store_->create_session(session("s1", 10, "cust_a")).ok());
  EXPECT_FALSE(store_->create_session(session("s1", 10)).ok()) << "duplicate id";
  auto got = store_->get_session("s1").value();
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(got->customer_ref, "cust_a");
  got->status = "escalated";
  got->resolved = true;
  ASSERT_TRUE(store_->update_session(*got).ok());
  EXPECT_EQ(store_->get_session("s1").value()->status, "escalated");
  EXPECT_FALSE(store_->get_session("nope").value().has_value());
  Session missing = session("nope", 1);
  EXPECT_EQ(store_->update_session(missing).code(), StatusCode::kNotFound);
}

TEST_F(ConversationStoreTest, MessagesAreOrderedPerSession) {
  ASSERT_TRUE(store_->create_session(session("s1", 10)).ok());
  ASSERT_TRUE(store_->create_session(session("s2", 20)).ok());
  EXPECT_EQ(store_->append_message(message("m1", "s1", "user")).value(), 1);
  EXPECT_EQ(store_->append_message(message("m2", "s1", "assistant")).value(), 2);
  EXPECT_EQ(store_->append_message(message("m3", "s2", "user")).value(), 1);
  auto messages = store_->messages("s1").value();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].id, "m1");
  EXPECT_EQ(messages[1].role, "assistant");
  EXPECT_FALSE(store_->append_message(message("m4", "ghost", "user")).ok())
      << "foreign key: unknown session";
}

TEST_F(ConversationStoreTest, RecentMessagesAreTheLastOnesOldestFirstAndTouchTheSession) {
  ASSERT_TRUE(store_->create_session(session("s1", 10)).ok());
  ASSERT_TRUE(store_->create_session(session("s2", 20)).ok());
  for (int i = 1; i <= 5; ++i) {
    Message m = message("m" + std::to_string(i), "s1", i % 2 ? "user" : "assistant");
    m.created_ms = 100 + i;
    m.intent = "intent" + std::to_string(i);
    m.citations_json = R"([{"n":1,"doc_id":"d"}])";
    ASSERT_TRUE(store_->append_message(m).ok());
  }
  ASSERT_TRUE(store_->append_message(message("other", "s2", "user")).ok());
  auto recent = store_->recent_messages("s1", 3).value();
  ASSERT_EQ(recent.size(), 3u);
  EXPECT_EQ(recent[0].id, "m3");
  EXPECT_EQ(recent[2].id, "m5");
  EXPECT_EQ(recent[2].seq, 5);
  EXPECT_EQ(recent[2].text, "texto m5");
  EXPECT_EQ(recent[2].role, "user");
  EXPECT_EQ(recent[2].intent, "intent5");
  EXPECT_EQ(recent[2].created_ms, 105);
  EXPECT_EQ(recent[2].citations_json, "[]") << "a context does not read the citations";
  EXPECT_EQ(store_->messages("s1").value()[4].citations_json, R"([{"n":1,"doc_id":"d"}])");
  EXPECT_EQ(store_->recent_messages("s1", 50).value().size(), 5u);
  EXPECT_TRUE(store_->recent_messages("s1", 0).value().empty());
  EXPECT_TRUE(store_->recent_messages("ghost", 3).value().empty());
  auto older = store_->recent_messages("s1", 2, recent[0].seq).value();
  ASSERT_EQ(older.size(), 2u) << "the page before m3";
  EXPECT_EQ(older[0].id, "m1");
  EXPECT_EQ(older[1].id, "m2");
  EXPECT_TRUE(store_->recent_messages("s1", 5, 1).value().empty());
  EXPECT_EQ(store_->get_session("s1").value()->updated_ms, 105) << "append_message touches it";
}

TEST_F(ConversationStoreTest, FeedbackAndSurveyReplacePreviousAnswers) {
  ASSERT_TRUE(store_->create_session(session("s1", 10)).ok());
  ASSERT_TRUE(store_->append_message(message("m1", "s1", "assistant")).ok());
  ASSERT_TRUE(store_->put_feedback({"s1", "m1", "down", "", 1}).ok());
  ASSERT_TRUE(store_->put_feedback({"s1", "m1", "up", "bien", 2}).ok());
  auto feedback = store_->feedback_of("s1").value();
  ASSERT_EQ(feedback.size(), 1u);
  EXPECT_EQ(feedback[0].rating, "up");
  ASSERT_TRUE(store_->put_survey({"s1", 3, "", false, 5}).ok());
  ASSERT_TRUE(store_->put_survey({"s1", 5, "excelente", true, 6}).ok());
  auto survey = store_->survey_of("s1").value();
  ASSERT_TRUE(survey.has_value());
  EXPECT_EQ(survey->csat, 5);
  EXPECT_TRUE(survey->resolved);
}

TEST_F(ConversationStoreTest, ListFiltersAndDeleteCascades) {
  ASSERT_TRUE(store_->create_session(session("s1", 10, "cust_a")).ok());
  ASSERT_TRUE(store_->create_session(session("s2", 20, "cust_b")).ok());
  ASSERT_TRUE(store_->create_session(session("s3", 30, "cust_a")).ok());
  ASSERT_TRUE(store_->append_message(message("m1", "s1", "user")).ok());
  ASSERT_TRUE(store_->put_feedback({"s1", "m1", "up", "", 1}).ok());
  SessionQuery by_customer;
  by_customer.customer_ref = "cust_a";
  EXPECT_EQ(store_->list_sessions(by_customer).value().size(), 2u);
  SessionQuery by_time;
  by_time.from_ms = 15;
  by_time.to_ms = 30;
  auto in_range = store_->list_sessions(by_time).value();
  ASSERT_EQ(in_range.size(), 1u);
  EXPECT_EQ(in_range[0].id, "s2");
  EXPECT_EQ(store_->delete_sessions({"s1", "ghost"}).value(), 1);
  EXPECT_TRUE(store_->messages("s1").value().empty());
  EXPECT_TRUE(store_->feedback_of("s1").value().empty());
  EXPECT_FALSE(store_->get_message("m1").value().has_value());
}

}  // namespace
}  // namespace atiende::store
