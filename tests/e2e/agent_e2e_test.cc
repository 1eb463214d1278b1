// Account tasks end to end (issue 5): the real `atiende serve` on loopback with the built-in
// provider (intent classifier + forms) and the demo backend, driven over HTTP and SSE with
// customer tokens from `atiende token`. Covers the demo flows (plan change and phone order with
// preview -> confirm -> account shows the change), the text "sí, confírmalo" path, single-use
// confirmation tokens, the login prompt for anonymous sessions, and the admin agent inbox.

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "common/json.h"
#include "e2e/served_binary.h"
#include "http/test_client.h"

namespace atiende {
namespace {

using atiende::testing::ServedBinary;
using atiende::testing::TestClient;

constexpr const char* kAdminKey = "e2e-admin-key-0123456789abcdef";

Json parse(const std::string& body) {
  auto parsed = parse_json(body);
  EXPECT_TRUE(parsed.ok()) << body;
  return parsed.ok() ? *parsed : Json::object();
}

struct SseEvent {
  std::string name;
  Json data;
};

/// Splits an SSE body into events (data lines joined; comment frames skipped).
std::vector<SseEvent> parse_sse(const std::string& body) {
  std::vector<SseEvent> events;
  size_t start = 0;
  while (start < body.size()) {
    size_t end = body.find("\n\n", start);
    if (end == std::string::npos) end = body.size();
    const std::string frame = body.substr(start, end - start);
    start = end + 2;
    std::string name = "message", data;
    size_t line_start = 0;
    while (line_start < frame.size()) {
      size_t line_end = frame.find('\n', line_start);
      if (line_end == std::string::npos) line_end = frame.size();
      const std::string line = frame.substr(line_start, line_end - line_start);
      line_start = line_end + 1;
      if (line.rfind("event: ", 0) == 0) name = line.substr(7);
      if (line.rfind("data: ", 0) == 0) data += (data.empty() ? "" : "\n") + line.substr(6);
    }
    if (!data.empty()) events.push_back({name, parse(data)});
  }
  return events;
}

/// One server for the whole suite (start-up trains the intent classifier); each test uses its
/// own demo customer, so their account changes do not interfere.
class AgentE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::unsetenv("ATIENDE_LLM_PROVIDER");  // the built-in provider: intents + forms
    ::unsetenv("ATIENDE_CONFIG");
    ::unsetenv("ATIENDE_AUTH_JWT_SECRET");
    ::setenv("ATIENDE_ADMIN_API_KEY", kAdminKey, 1);
    ::setenv("ATIENDE_LOG_LEVEL", "warn", 1);
    served_ = std::make_unique<ServedBinary>();
  }
  static void TearDownTestSuite() { served_.reset(); }

  /// `atiende token --customer ID` on the server's data dir (the same JWT secret file).
  static std::string token_for(const std::string& customer) {
    const std::string command = std::string(ATIENDE_BINARY_DIR) + "/atiende --data " +
                                served_->data_dir().string() + " token --customer " + customer;
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return "";
    std::string out;
    char buffer[1024];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    const int status = ::pclose(pipe);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << command;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  }

  /// Opens a chat session; `token` empty = anonymous. Returns {session_id, authenticated}.
  std::pair<std::string, bool> open_session(const std::string& token) {
    Json body = {{"language", "es"}};
    if (!token.empty()) body["customer_token"] = token;
    auto response = client().request("POST", "/v1/chat/sessions", dump_json(body));
    EXPECT_EQ(response.status, 201) << response.body;
    Json created = parse(response.body);
    return {created.value("session_id", ""), created.value("authenticated", false)};
  }

  /// Sends a message with Accept: text/event-stream and returns every event up to `done`.
  std::vector<SseEvent> say(const std::string& session, const std::string& text) {
    TestClient stream(served_->port());
    stream.send("POST", "/v1/chat/sessions/" + session + "/messages",
                dump_json({{"text", text}}),
                {{"Accept", "text/event-stream"}, {"Content-Type", "application/json"}});
    auto header = stream.read_header();
    EXPECT_EQ(header.status, 200);
    EXPECT_NE(header.header("content-type").find("text/event-stream"), std::string::npos);
    std::string body;
    while (!stream.stream_done()) body += stream.read_until("event: done");
    auto events = parse_sse(body);
    EXPECT_FALSE(events.empty()) << body;
    if (!events.empty()) {
      EXPECT_EQ(events.back().name, "done") << body;
    }
    return events;
  }

  /// The streamed answer text (token events joined).
  static std::string answer_text(const std::vector<SseEvent>& events) {
    std::string text;
    for (const auto& e : events) {
      if (e.name == "token") text += e.data.value("text", "");
    }
    return text;
  }

  static const SseEvent* find_event(const std::vector<SseEvent>& events, const std::string& name) {
    for (const auto& e : events) {
      if (e.name == name) return &e;
    }
    return nullptr;
  }

  Json confirm(const std::string& session, const std::string& token, const std::string& decision,
               int expected_status = 200) {
    auto response = client().request("POST", "/v1/chat/sessions/" + session + "/confirm",
                                     dump_json({{"token", token}, {"decision", decision}}));
    EXPECT_EQ(response.status, expected_status) << response.body;
    return parse(response.body);
  }

  /// The plan line of "¿qué plan tengo?" (consultar_cuenta).
  std::string account_answer(const std::string& session) {
    auto events = say(session, "¿qué plan tengo?");
    const SseEvent* result = find_event(events, "action_result");
    EXPECT_NE(result, nullptr) << answer_text(events);
    if (result) {
      EXPECT_EQ(result->data.value("tool", ""), "consultar_cuenta");
    }
    return answer_text(events);
  }

  TestClient& client() {
    if (!client_) client_ = std::make_unique<TestClient>(served_->port());
    return *client_;
  }

  static std::unique_ptr<ServedBinary> served_;
  std::unique_ptr<TestClient> client_;
};

std::unique_ptr<ServedBinary> AgentE2E::served_;

TEST_F(AgentE2E, MoreFiveGDataPreviewConfirmWithTheButtonAndTheAccountShowsTheNewPlan) {
  auto [session, authenticated] = open_session(token_for("CUST-1001"));
  ASSERT_TRUE(authenticated);
  EXPECT_NE(account_answer(session).find("Plan 5G 10 GB"), std::string::npos);

  auto events = say(session, "quiero más datos 5G");
  const SseEvent* preview = find_event(events, "action_preview");
  ASSERT_NE(preview, nullptr) << answer_text(events);
  const Json& p = preview->data;
  EXPECT_EQ(p.value("tool", ""), "cambiar_plan");
  const std::string token = p.value("token", "");
  EXPECT_TRUE(std::regex_match(token, std::regex("[0-9a-f]{64}"))) << token;
  EXPECT_GT(p.value("price_cop", int64_t{0}), 0);
  EXPECT_GT(p.value("price_delta_cop", int64_t{0}), 0);  // more data costs more
  EXPECT_TRUE(std::regex_match(p.value("effective_date", ""), std::regex(R"(\d{4}-\d{2}-\d{2})")))
      << p.dump();
  EXPECT_NE(p.value("summary", "").find("Plan 5G 20 GB"), std::string::npos) << p.dump();
  EXPECT_EQ(find_event(events, "action_result"), nullptr);  // nothing done yet

  // Nothing changes before the confirmation.
  EXPECT_NE(account_answer(session).find("Plan 5G 10 GB"), std::string::npos);

  Json done = confirm(session, token, "confirm");
  EXPECT_EQ(done.value("status", ""), "executed") << done.dump();
  EXPECT_EQ(done.value("reason_code", ""), "ok");
  EXPECT_NE(done.value("message", "").find("Plan 5G 20 GB"), std::string::npos) << done.dump();

  // A double click (or a replay) does not execute twice.
  Json again = confirm(session, token, "confirm");
  EXPECT_EQ(again.value("status", ""), "refused") << again.dump();
  EXPECT_EQ(again.value("reason_code", ""), "confirmation_used");

  const std::string account = account_answer(session);
  EXPECT_NE(account.find("Plan 5G 20 GB"), std::string::npos) << account;
}

TEST_F(AgentE2E, PhoneOrderConfirmedByTextExecutesOnce) {
  auto [session, authenticated] = open_session(token_for("CUST-1002"));
  ASSERT_TRUE(authenticated);
  auto events = say(session, "quiero pedir un Galaxy A56 5G color grafito");
  const SseEvent* preview = find_event(events, "action_preview");
  ASSERT_NE(preview, nullptr) << answer_text(events);
  EXPECT_EQ(preview->data.value("tool", ""), "pedir_telefono");
  EXPECT_EQ(preview->data.value("price_cop", int64_t{0}), 1'899'900);
  EXPECT_FALSE(preview->data.value("effective_date", "").empty());  // delivery estimate
  const std::string token = preview->data.value("token", "");

  auto confirmed = say(session, "sí, confírmalo");
  const SseEvent* result = find_event(confirmed, "action_result");
  ASSERT_NE(result, nullptr) << answer_text(confirmed);
  EXPECT_EQ(result->data.value("tool", ""), "pedir_telefono");
  std::smatch order;
  const std::string text = answer_text(confirmed);
  ASSERT_TRUE(std::regex_search(text, order, std::regex(R"(ORD-\d+)"))) << text;

  // The button's token was consumed by the text confirmation: no second order.
  Json again = confirm(session, token, "confirm");
  EXPECT_EQ(again.value("status", ""), "refused") << again.dump();
  EXPECT_EQ(again.value("reason_code", ""), "confirmation_used");

  // The order is on the account exactly once.
  const std::string account = account_answer(session);
  size_t count = 0;
  for (size_t at = account.find(order.str()); at != std::string::npos;
       at = account.find(order.str(), at + 1)) {
    ++count;
  }
  EXPECT_LE(count, 1u) << account;
  auto status = say(session, "¿cuál es el estado de mi pedido " + order.str() + "?");
  EXPECT_NE(answer_text(status).find(order.str()), std::string::npos) << answer_text(status);
}

TEST_F(AgentE2E, CancelLeavesThePlanAsItWas) {
  auto [session, authenticated] = open_session(token_for("CUST-1004"));
  ASSERT_TRUE(authenticated);
  auto events = say(session, "quiero más datos 5G");
  const SseEvent* preview = find_event(events, "action_preview");
  ASSERT_NE(preview, nullptr) << answer_text(events);
  Json cancelled = confirm(session, preview->data.value("token", ""), "cancel");
  EXPECT_EQ(cancelled.value("status", ""), "cancelled") << cancelled.dump();
  // A cancelled token cannot be confirmed afterwards.
  Json late = confirm(session, preview->data.value("token", ""), "confirm");
  EXPECT_EQ(late.value("status", ""), "refused") << late.dump();
  EXPECT_NE(account_answer(session).find("Plan 5G 40 GB"), std::string::npos);
}

TEST_F(AgentE2E, AConfirmationTokenOnlyWorksInItsOwnSession) {
  auto [victim, ok1] = open_session(token_for("CUST-1008"));
  auto [attacker, ok2] = open_session(token_for("CUST-1005"));
  ASSERT_TRUE(ok1 && ok2);
  auto events = say(victim, "quiero más datos 5G");
  const SseEvent* preview = find_event(events, "action_preview");
  ASSERT_NE(preview, nullptr) << answer_text(events);
  Json stolen = confirm(attacker, preview->data.value("token", ""), "confirm");
  EXPECT_EQ(stolen.value("status", ""), "refused") << stolen.dump();
  EXPECT_EQ(stolen.value("reason_code", ""), "confirmation_session_mismatch");
  EXPECT_NE(account_answer(victim).find("Plan 5G 20 GB"), std::string::npos);  // unchanged
}

TEST_F(AgentE2E, AnonymousAndForgedTokenSessionsAreAskedToLogIn) {
  auto [anonymous, authenticated] = open_session("");
  EXPECT_FALSE(authenticated);
  auto events = say(anonymous, "quiero más datos 5G");
  EXPECT_EQ(find_event(events, "action_preview"), nullptr);
  const SseEvent* refused = find_event(events, "action_refused");
  ASSERT_NE(refused, nullptr) << answer_text(events);
  EXPECT_EQ(refused->data.value("reason_code", ""), "login_required");
  EXPECT_NE(answer_text(events).find("inicies sesión"), std::string::npos) << answer_text(events);

  // A forged token (valid shape, wrong signature) is an anonymous session, not an error.
  std::string forged = token_for("CUST-1001");
  forged.back() = forged.back() == 'A' ? 'B' : 'A';
  auto [session, forged_ok] = open_session(forged);
  EXPECT_FALSE(forged_ok);
  auto again = say(session, "quiero más datos 5G");
  const SseEvent* login = find_event(again, "action_refused");
  ASSERT_NE(login, nullptr) << answer_text(again);
  EXPECT_EQ(login->data.value("reason_code", ""), "login_required");
}

TEST_F(AgentE2E, HandoffReachesTheAdminInboxAndTheAgentReplyReachesTheChat) {
  auto [session, authenticated] = open_session(token_for("CUST-1003"));
  ASSERT_TRUE(authenticated);
  // The server's knowledge base is empty: this question is a retrieval gap.
  say(session, "¿cómo configuro el buzón de voz visual en mi reloj?");
  auto events = say(session, "quiero hablar con un agente");
  const SseEvent* handoff = find_event(events, "handoff");
  ASSERT_NE(handoff, nullptr) << answer_text(events);
  const std::string ticket = handoff->data.value("ticket_id", "");
  ASSERT_EQ(ticket.rfind("tkt_", 0), 0u) << handoff->data.dump();

  const std::vector<std::pair<std::string, std::string>> admin = {
      {"Authorization", std::string("Bearer ") + kAdminKey}};
  EXPECT_EQ(client().request("GET", "/v1/admin/tickets").status, 401);
  EXPECT_EQ(client().request("GET", "/v1/admin/tickets", "", {{"X-Admin-Key", "wrong"}}).status,
            401);
  EXPECT_EQ(client().request("POST", "/v1/admin/tickets/" + ticket + "/close").status, 401);

  auto listed = client().request("GET", "/v1/admin/tickets?status=open", "", admin);
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found = false;
  const Json list = parse(listed.body);
  for (const auto& t : list["tickets"]) {
    if (t.value("id", "") == ticket) {
      found = true;
      EXPECT_EQ(t.value("session_id", ""), session);
      EXPECT_TRUE(t.value("authenticated", false));
    }
  }
  EXPECT_TRUE(found) << listed.body;

  auto opened = client().request("GET", "/v1/admin/tickets/" + ticket, "", admin);
  ASSERT_EQ(opened.status, 200) << opened.body;
  Json t = parse(opened.body);
  EXPECT_EQ(t.value("status", ""), "open");
  EXPECT_FALSE(t.value("reason_code", "").empty());
  EXPECT_FALSE(t.value("summary", "").empty());
  for (const char* field : {"intent", "slots", "transcript", "retrieval_gaps", "messages"}) {
    EXPECT_TRUE(t.contains(field)) << field;
  }
  // The anonymized transcript: the question, its answer, then the request for a human.
  ASSERT_EQ(t["transcript"].size(), 3u) << opened.body;
  EXPECT_EQ(t["transcript"][0].value("role", ""), "user");
  EXPECT_EQ(t["transcript"][1].value("role", ""), "assistant");
  EXPECT_NE(t["transcript"][2].value("text", "").find("agente"), std::string::npos) << opened.body;
  ASSERT_EQ(t["retrieval_gaps"].size(), 1u) << opened.body;
  EXPECT_NE(t["retrieval_gaps"][0].get<std::string>().find("buzón"), std::string::npos);

  auto replied = client().request("POST", "/v1/admin/tickets/" + ticket + "/reply",
                                  R"({"text":"Hola, con gusto reviso tu caso ahora."})", admin);
  ASSERT_EQ(replied.status, 201) << replied.body;
  auto transcript = client().request("GET", "/v1/chat/sessions/" + session);
  ASSERT_EQ(transcript.status, 200);
  bool agent_message = false;
  const Json conversation = parse(transcript.body);
  for (const auto& m : conversation["messages"]) {
    if (m.value("role", "") == "agent" &&
        m.value("text", "").find("reviso tu caso ahora") != std::string::npos) {
      agent_message = true;
    }
  }
  EXPECT_TRUE(agent_message) << transcript.body;

  auto closed = client().request("POST", "/v1/admin/tickets/" + ticket + "/close", "", admin);
  EXPECT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(client().request("POST", "/v1/admin/tickets/" + ticket + "/close", "", admin).status,
            200);  // idempotent
  auto late = client().request("POST", "/v1/admin/tickets/" + ticket + "/reply",
                               R"({"text":"otra"})", admin);
  EXPECT_EQ(late.status, 409) << late.body;
  auto open_now = client().request("GET", "/v1/admin/tickets?status=open", "", admin);
  EXPECT_EQ(open_now.body.find(ticket), std::string::npos);
  EXPECT_EQ(client().request("GET", "/v1/admin/tickets/tkt_missing", "", admin).status, 404);
}

TEST_F(AgentE2E, YesToTheAbstainsOfferOfAHumanOpensATicketAndNoDoesNot) {
  // The server's knowledge base is empty, so every question abstains and offers a human.
  auto [declines, ok1] = open_session("");
  auto first = say(declines, "¿cómo configuro el buzón de voz visual en mi reloj?");
  EXPECT_NE(answer_text(first).find("agente humano"), std::string::npos) << answer_text(first);
  auto no = say(declines, "no");
  EXPECT_EQ(find_event(no, "handoff"), nullptr);
  EXPECT_NE(answer_text(no).find("algo más"), std::string::npos) << answer_text(no);

  auto [accepts, ok2] = open_session("");
  say(accepts, "¿cómo configuro el buzón de voz visual en mi reloj?");
  auto yes = say(accepts, "sí");
  const SseEvent* handoff = find_event(yes, "handoff");
  ASSERT_NE(handoff, nullptr) << answer_text(yes);
  const std::string ticket = handoff->data.value("ticket_id", "");
  auto opened = client().request("GET", "/v1/admin/tickets/" + ticket, "",
                                 {{"X-Admin-Key", kAdminKey}});
  ASSERT_EQ(opened.status, 200) << opened.body;
  Json t = parse(opened.body);
  EXPECT_EQ(t.value("reason_code", ""), "abstain_rejected");
  EXPECT_EQ(t.value("session_id", ""), accepts);
  EXPECT_FALSE(t.value("authenticated", true));  // anonymous visitors can reach a human too
  EXPECT_NE(t.value("summary", "").find("buzón"), std::string::npos) << opened.body;
  auto listed = client().request("GET", "/v1/admin/tickets?status=open", "",
                                 {{"X-Admin-Key", kAdminKey}});
  EXPECT_EQ(listed.body.find(declines), std::string::npos);  // "no" opened nothing
}

}  // namespace
}  // namespace atiende
