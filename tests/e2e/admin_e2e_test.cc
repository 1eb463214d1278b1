// The admin surface over HTTP on the real binary: the admin key guard, the agent inbox (a handoff
// becomes a ticket, a reply reaches the customer's transcript, close), GET /v1/admin/kpis, and the
// audit records of admin requests (KB changes on a loopback bind included).

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "e2e/command_run.h"
#include "e2e/served_binary.h"
#include "http/test_client.h"

namespace atiende {
namespace {

using atiende::testing::ServedBinary;
using atiende::testing::TestClient;

constexpr const char* kKey = "e2e-admin-key-0123456789";

Json body_of(const atiende::testing::ClientResponse& r) {
  auto parsed = parse_json(r.body);
  EXPECT_TRUE(parsed.ok()) << r.body;
  return parsed.ok() ? *parsed : Json();
}

/// The audit records with `action`, oldest first, read back with `atiende audit export`.
std::vector<Json> audit_records(const ServedBinary& served, std::string_view action) {
  auto exported = atiende::testing::run_command(std::string(ATIENDE_BINARY_DIR) + "/atiende audit export --data " +
                                                served.data_dir().string());
  EXPECT_EQ(exported.exit_code, 0) << exported.out;
  std::vector<Json> records;
  std::istringstream lines(exported.out);
  for (std::string line; std::getline(lines, line);) {
    auto record = parse_json(line);
    EXPECT_TRUE(record.ok()) << line;
    if (record.ok() && (*record)["action"] == action) records.push_back(*record);
  }
  return records;
}

TEST(AdminE2E, InboxAndKpisBehindTheAdminKey) {
  ::setenv("ATIENDE_ADMIN_API_KEY", kKey, 1);
  ServedBinary served;
  ::unsetenv("ATIENDE_ADMIN_API_KEY");
  TestClient client(served.port());
  const std::vector<std::pair<std::string, std::string>> admin = {
      {"Authorization", std::string("Bearer ") + kKey}};

  EXPECT_EQ(client.request("GET", "/v1/admin/tickets").status, 401);
  EXPECT_EQ(client.request("GET", "/v1/admin/kpis", "", {{"Authorization", "Bearer wrong"}}).status, 401);
  EXPECT_EQ(client.request("GET", "/v1/admin/kpis", "", {{"X-Admin-Key", kKey}}).status, 200);

  // Two conversations: one handed off to a human, one answered and rated.
  const std::string handed = body_of(client.request("POST", "/v1/chat/sessions", "{}"))["session_id"];
  auto handoff = client.request("POST", "/v1/chat/sessions/" + handed + "/messages",
                                R"({"text":"quiero hablar con un agente humano"})");
  ASSERT_EQ(handoff.status, 200) << handoff.body;
  const std::string other = body_of(client.request("POST", "/v1/chat/sessions", "{}"))["session_id"];
  ASSERT_EQ(client.request("POST", "/v1/chat/sessions/" + other + "/messages",
                           R"({"text":"¿Cómo activo la eSIM?"})").status, 200);
  ASSERT_EQ(client.request("POST", "/v1/chat/sessions/" + other + "/survey",
                           R"({"csat":5,"resolved":true})").status, 200);

  auto list = client.request("GET", "/v1/admin/tickets?status=open", "", admin);
  ASSERT_EQ(list.status, 200) << list.body;
  Json tickets = body_of(list)["tickets"];
  ASSERT_EQ(tickets.size(), 1u);
  EXPECT_EQ(tickets[0]["session_id"], handed);
  EXPECT_EQ(tickets[0]["reason_code"], "customer_request");
  const std::string id = tickets[0]["id"];

  auto reply = client.request("POST", "/v1/admin/tickets/" + id + "/reply",
                              R"({"text":"Hola, ya reviso tu caso."})", admin);
  ASSERT_EQ(reply.status, 201) << reply.body;
  EXPECT_EQ(client.request("POST", "/v1/admin/tickets/" + id + "/reply", R"({"text":"  "})", admin)
                .status,
            400);
  Json transcript = body_of(client.request("GET", "/v1/chat/sessions/" + handed));
  EXPECT_EQ(transcript["session"]["status"], "escalated");
  EXPECT_EQ(transcript["messages"].back()["role"], "agent");
  EXPECT_EQ(transcript["messages"].back()["text"], "Hola, ya reviso tu caso.");
  Json opened = body_of(client.request("GET", "/v1/admin/tickets/" + id, "", admin));
  EXPECT_EQ(opened["messages"].size(), 3u);
  EXPECT_EQ(client.request("POST", "/v1/admin/tickets/" + id + "/close", "", admin).status, 200);
  EXPECT_EQ(body_of(client.request("GET", "/v1/admin/tickets?status=open", "", admin))["tickets"].size(),
            0u);
  EXPECT_EQ(client.request("GET", "/v1/admin/tickets/tkt_nope", "", admin).status, 404);

  auto kpis = client.request("GET", "/v1/admin/kpis", "", admin);
  ASSERT_EQ(kpis.status, 200) << kpis.body;
  Json k = body_of(kpis);
  EXPECT_EQ(k["conversations"], 2);
  EXPECT_EQ(k["deflection"]["escalated"], 1);
  EXPECT_DOUBLE_EQ(k["deflection"]["rate"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(k["csat"]["average"].get<double>(), 5.0);
  EXPECT_EQ(k["csat"]["distribution"], Json::array({0, 0, 0, 0, 1}));
  EXPECT_EQ(client.request("GET", "/v1/admin/kpis?from=ayer", "", admin).status, 400);

  // Every admin request left an audit record: refusals with their reason, the reply with its path.
  const std::vector<Json> admin_records = audit_records(served, "admin_request");
  ASSERT_GE(admin_records.size(), 11u);
  auto details = [](const Json& r) { return r["details"]; };
  EXPECT_EQ(admin_records[0]["decision"], "deny");
  EXPECT_EQ(admin_records[0]["reason_code"], "missing_key");
  EXPECT_EQ(details(admin_records[0])["path"], "/v1/admin/tickets");
  EXPECT_EQ(admin_records[1]["reason_code"], "wrong_key");
  EXPECT_EQ(admin_records[2]["decision"], "allow");
  EXPECT_EQ(admin_records[2]["actor"], "admin");
  bool reply_recorded = false;
  for (const Json& r : admin_records) {
    const Json d = details(r);
    if (d["method"] == "POST" && d["path"] == "/v1/admin/tickets/" + id + "/reply") reply_recorded = true;
    EXPECT_EQ(r.dump().find(kKey), std::string::npos) << "the key is never recorded";
  }
  EXPECT_TRUE(reply_recorded);
  auto verified = atiende::testing::run_command(std::string(ATIENDE_BINARY_DIR) + "/atiende audit verify --data " +
                                                served.data_dir().string());
  EXPECT_EQ(verified.exit_code, 0) << verified.out;
}

TEST(AdminE2E, RetentionRunsOnTheServersScheduleWhenConfigured) {
  ::setenv("ATIENDE_RETENTION_DAYS", "30", 1);
  ServedBinary served;
  ::unsetenv("ATIENDE_RETENTION_DAYS");
  TestClient client(served.port());
  const std::string session = body_of(client.request("POST", "/v1/chat/sessions", "{}"))["session_id"];
  // The first run happens at startup; its audit record names the schedule as the actor.
  Json run;
  for (int attempt = 0; attempt < 50 && run.is_null(); ++attempt) {
    const std::vector<Json> runs = audit_records(served, "retention");
    if (!runs.empty()) run = runs.back();
    if (run.is_null()) ::usleep(100'000);
  }
  ASSERT_FALSE(run.is_null()) << "no scheduled retention run in the audit log";
  EXPECT_EQ(run["actor"], "schedule");
  EXPECT_EQ(run["decision"], "delete");
  EXPECT_EQ(run["details"]["days"], 30);
  // A fresh conversation is not touched.
  EXPECT_EQ(client.request("GET", "/v1/chat/sessions/" + session).status, 200);
}

TEST(AdminE2E, KbChangesOnALoopbackBindAreAuditedWithoutAKey) {
  ServedBinary served;  // 127.0.0.1: the document routes take no admin key here
  TestClient client(served.port());
  auto added = client.request("POST", "/v1/documents",
                              R"({"id":"faq-e2e-audit","type":"faq","title":"¿Horario?",)"
                              R"("text":"Atendemos de 8 a 22 h todos los días."})");
  ASSERT_LT(added.status, 300) << added.body;
  ASSERT_EQ(client.request("GET", "/v1/documents/faq-e2e-audit").status, 200);
  ASSERT_EQ(client.request("DELETE", "/v1/documents/faq-e2e-audit").status, 200);

  std::vector<std::string> recorded;
  for (const Json& r : audit_records(served, "admin_request")) {
    EXPECT_EQ(r["actor"], "local");
    EXPECT_EQ(r["decision"], "allow");
    EXPECT_EQ(r["reason_code"], "loopback");
    recorded.push_back(r["details"]["method"].get<std::string>() + " " + r["details"]["path"].get<std::string>());
  }
  // The two changes, not the read.
  EXPECT_EQ(recorded, (std::vector<std::string>{"POST /v1/documents", "DELETE /v1/documents/faq-e2e-audit"}));
}

TEST(AdminE2E, KbChangesForwardedByAProxyOnALoopbackBindTakeTheAdminKey) {
  ::setenv("ATIENDE_ADMIN_API_KEY", kKey, 1);
  ServedBinary served;  // 127.0.0.1, with a reverse proxy on the same host in front
  ::unsetenv("ATIENDE_ADMIN_API_KEY");
  TestClient client(served.port());
  const std::string doc = R"({"id":"faq-e2e-proxy","type":"faq","title":"¿Horario?",)"
                          R"("text":"Atendemos de 8 a 22 h todos los días."})";
  const std::pair<std::string, std::string> proxied = {"X-Forwarded-For", "203.0.113.7"};
  auto refused = client.request("POST", "/v1/documents", doc, {proxied});
  EXPECT_EQ(refused.status, 401) << refused.body;
  EXPECT_EQ(client.request("GET", "/v1/documents", "", {proxied}).status, 401);
  auto added = client.request("POST", "/v1/documents", doc, {proxied, {"X-Admin-Key", kKey}});
  ASSERT_LT(added.status, 300) << added.body;
  // The same change straight from this machine still needs no key.
  ASSERT_EQ(client.request("DELETE", "/v1/documents/faq-e2e-proxy").status, 200);

  std::vector<std::string> decisions;
  for (const Json& r : audit_records(served, "admin_request")) {
    decisions.push_back(r["decision"].get<std::string>() + " " + r["reason_code"].get<std::string>() + " " +
                        r["details"]["method"].get<std::string>());
  }
  EXPECT_EQ(decisions, (std::vector<std::string>{"deny missing_key POST", "deny missing_key GET",
                                                 "allow ok POST", "allow loopback DELETE"}));
}

}  // namespace
}  // namespace atiende
