#include "audit/audit_log.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "common/crypto.h"

namespace atiende::audit {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = store::SqliteDatabase::open(":memory:").value();
    log_ = AuditLog::open(db_, "test-key-0123456789", clock_).value();
    for (int i = 0; i < 5; ++i) {
      AuditEvent event;
      event.action = i % 2 ? "preview" : "tool_proposed";
      event.actor = "session:ses_1";
      event.session_id = "ses_1";
      event.customer_id = "CUST-1001";
      event.tool = "cambiar_plan";
      event.reason_code = "ok";
      event.details_json = R"({"plan_id":"plan-5g-20","n":)" + std::to_string(i) + "}";
      ASSERT_TRUE(log_->append(event).ok());
      clock_.advance(std::chrono::milliseconds(10));
    }
  }

  void exec(const std::string& sql) { ASSERT_TRUE(db_->exec(sql).ok()) << sql; }

  VerifyReport verify() {
    auto report = log_->verify();
    EXPECT_TRUE(report.ok()) << report.status().to_string();
    return *report;
  }

  FakeClock clock_;
  std::shared_ptr<store::SqliteDatabase> db_;
  std::unique_ptr<AuditLog> log_;
};

TEST_F(AuditLogTest, IntactChainVerifies) {
  VerifyReport report = verify();
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records, 5);
}

TEST_F(AuditLogTest, RecordsChainAndNeverHoldTheRawCustomerId) {
  std::vector<AuditRecord> records = log_->for_session("ses_1").value();
  ASSERT_EQ(records.size(), 5u);
  EXPECT_EQ(records[0].prev_hash, std::string(64, '0'));
  for (size_t i = 1; i < records.size(); ++i) EXPECT_EQ(records[i].prev_hash, records[i - 1].hash);
  for (const auto& r : records) {
    EXPECT_EQ(r.customer_ref.find("1001"), std::string::npos);
    EXPECT_EQ(audit_record_to_json(r).find("CUST-1001"), std::string::npos);
  }
  EXPECT_EQ(records[0].customer_ref, log_->customer_ref("CUST-1001"));
}

TEST_F(AuditLogTest, DetectsAnEditedRecord) {
  exec("UPDATE audit_log SET decision = 'allow' WHERE seq = 3");
  VerifyReport report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 3);
  EXPECT_NE(report.problem.find("edited"), std::string::npos) << report.problem;
}

TEST_F(AuditLogTest, DetectsADeletedMiddleRecord) {
  exec("DELETE FROM audit_log WHERE seq = 2");
  VerifyReport report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsADeletedLastRecord) {
  exec("DELETE FROM audit_log WHERE seq = 5");
  VerifyReport report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_F(AuditLogTest, DetectsReorderedRecords) {
  // Swap the contents of records 2 and 3, keeping seq numbers in place.
  exec("UPDATE audit_log SET seq = -2 WHERE seq = 2");
  exec("UPDATE audit_log SET seq = 2 WHERE seq = 3");
  exec("UPDATE audit_log SET seq = 3 WHERE seq = -2");
  VerifyReport report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 2);
}

TEST_F(AuditLogTest, DetectsARecomputedHashWithoutTheKey) {
  // An attacker edits a record and recomputes its hash, but cannot compute the HMAC.
  AuditRecord r = log_->for_session("ses_1").value()[4];
  r.decision = "allow";
  const std::string forged = sha256_hex(canonical_record_text(r));
  exec("UPDATE audit_log SET decision = 'allow', hash = '" + forged + "' WHERE seq = 5");
  exec("UPDATE audit_head SET hash = '" + forged + "'");
  VerifyReport report = verify();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.first_bad_seq, 5);
}

TEST_F(AuditLogTest, RejectsBadEvents) {
  AuditEvent event;
  event.action = "x";
  event.details_json = "[1,2]";
  EXPECT_FALSE(log_->append(event).ok());
  event.details_json = "{}";
  event.action = "";
  EXPECT_FALSE(log_->append(event).ok());
  EXPECT_TRUE(verify().ok);
}

TEST(AuditKey, CreatedOnceAndReusedOrTakenFromEnv) {
  const std::string dir = ::testing::TempDir() + "/audit_key_test_" + std::to_string(::getpid());
  auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  auto first = load_or_create_audit_key(dir, no_env);
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(load_or_create_audit_key(dir, no_env).value(), *first);
  auto env = [](const std::string& name) -> std::optional<std::string> {
    if (name == "ATIENDE_AUDIT_HMAC_KEY") return std::string("from-env");
    return std::nullopt;
  };
  EXPECT_EQ(load_or_create_audit_key(dir, env).value(), "from-env");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atiende::audit
