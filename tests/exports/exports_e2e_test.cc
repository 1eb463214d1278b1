// The quality loop over HTTP on the real binary: conversations created with and without consent,
// rated and handed to a human, then `atiende export sft|preferences` on the same data dir (lines
// valid against docs/schemas); and the blind A/B routes behind the admin key.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "agent/json_schema.h"
#include "common/files.h"
#include "common/json.h"
#include "e2e/served_binary.h"
#include "http/test_client.h"

namespace atiende {
namespace {

using atiende::testing::ServedBinary;
using atiende::testing::TestClient;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey = "e2e-admin-key-exports-0123";

Json body_of(const atiende::testing::ClientResponse& r) {
  auto parsed = parse_json(r.body);
  EXPECT_TRUE(parsed.ok()) << r.body;
  return parsed.ok() ? *parsed : Json();
}

class QualityLoopE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    ::setenv("ATIENDE_ADMIN_API_KEY", kKey, 1);
    served_ = std::make_unique<ServedBinary>();
    ::unsetenv("ATIENDE_ADMIN_API_KEY");
    client_ = std::make_unique<TestClient>(served_->port());
  }

  atiende::testing::ClientResponse admin(const std::string& method, const std::string& target,
                                         const std::string& body = "") {
    return client_->request(method, target, body, {{"Authorization", std::string("Bearer ") + kKey}});
  }
  std::string session(const std::string& body) {
    auto created = client_->request("POST", "/v1/chat/sessions", body);
    EXPECT_EQ(created.status, 201) << created.body;
    return body_of(created)["session_id"];
  }
  /// Sends a customer message; returns the answer's message id.
  std::string ask(const std::string& id, const std::string& text) {
    auto answer = client_->request("POST", "/v1/chat/sessions/" + id + "/messages",
                                   dump_json({{"text", text}}));
    EXPECT_EQ(answer.status, 200) << answer.body;
    return body_of(answer)["message_id"];
  }
  void rate(const std::string& id, const std::string& message_id, const std::string& rating) {
    EXPECT_EQ(client_->request("POST", "/v1/chat/sessions/" + id + "/feedback",
                               dump_json({{"message_id", message_id}, {"rating", rating}}))
                  .status,
              200);
  }
  /// Runs the CLI on the server's data dir; returns the lines written to `out`.
  std::vector<Json> run_export(const std::string& kind) {
    const auto out = served_->data_dir() / (kind + ".jsonl");
    const std::string command = std::string(ATIENDE_BINARY_DIR) + "/atiende --data '" +
                                served_->data_dir().string() + "' export " + kind + " --out '" +
                                out.string() + "' > /dev/null";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::vector<Json> lines;
    std::ifstream in(out);
    for (std::string line; std::getline(in, line);) {
      auto parsed = parse_json(line);
      EXPECT_TRUE(parsed.ok()) << line;
      if (parsed.ok()) lines.push_back(*parsed);
    }
    return lines;
  }
  static agent::JsonSchema schema(const std::string& name) {
    auto text = read_file(std::string(ATIENDE_SOURCE_DIR) + "/docs/schemas/" + name);
    EXPECT_TRUE(text.ok());
    auto compiled = agent::JsonSchema::compile(text.ok() ? *text : "{}");
    EXPECT_TRUE(compiled.ok()) << compiled.status().to_string();
    return std::move(*compiled);
  }

  std::unique_ptr<ServedBinary> served_;
  std::unique_ptr<TestClient> client_;
};

TEST_F(QualityLoopE2E, ExportsOnlyConsentingConversationsAsValidRecords) {
  EXPECT_EQ(client_->request("POST", "/v1/chat/sessions", R"({"consent":"sí"})").status, 400);

  const std::string happy = session(R"({"consent":true})");
  rate(happy, ask(happy, "¿Cómo activo la eSIM?"), "up");
  ASSERT_EQ(client_->request("POST", "/v1/chat/sessions/" + happy + "/survey",
                             R"({"csat":5,"resolved":true})").status, 200);

  const std::string private_one = session(R"({"consent":false})");
  ask(private_one, "¿Cómo activo la eSIM en mi teléfono?");
  ASSERT_EQ(client_->request("POST", "/v1/chat/sessions/" + private_one + "/survey",
                             R"({"csat":5,"resolved":true})").status, 200);

  // A thumbs-down answer, then a handoff whose human reply is the better answer.
  const std::string corrected = session(R"({"consent":true})");
  rate(corrected, ask(corrected, "¿Cuánto cuesta el roaming en Europa?"), "down");
  ask(corrected, "quiero hablar con un agente humano");
  Json tickets = body_of(admin("GET", "/v1/admin/tickets?status=open"))["tickets"];
  ASSERT_EQ(tickets.size(), 1u);
  ASSERT_EQ(admin("POST", "/v1/admin/tickets/" + tickets[0]["id"].get<std::string>() + "/reply",
                  R"({"text":"El roaming en Europa cuesta 5 USD al día con el bono."})")
                .status,
            201);

  auto sft = run_export("sft");
  ASSERT_EQ(sft.size(), 1u);
  EXPECT_EQ(sft[0]["provenance"]["session_id"], happy);
  EXPECT_EQ(sft[0]["messages"][0]["content"], "¿Cómo activo la eSIM?");
  const auto sft_schema = schema("sft.schema.json");
  for (const auto& line : sft) {
    const auto violations = sft_schema.validate(dump_json(line));
    EXPECT_TRUE(violations.empty()) << agent::describe_violations(violations);
  }

  auto preferences = run_export("preferences");
  ASSERT_EQ(preferences.size(), 1u);
  EXPECT_EQ(preferences[0]["provenance"]["session_id"], corrected);
  EXPECT_EQ(preferences[0]["provenance"]["kind"], "human_correction");
  EXPECT_EQ(preferences[0]["prompt"], "¿Cuánto cuesta el roaming en Europa?");
  EXPECT_EQ(preferences[0]["chosen"], "El roaming en Europa cuesta 5 USD al día con el bono.");
  const auto preference_schema = schema("preference.schema.json");
  const auto violations = preference_schema.validate(dump_json(preferences[0]));
  EXPECT_TRUE(violations.empty()) << agent::describe_violations(violations);
}

TEST_F(QualityLoopE2E, BlindAbRoutesBehindTheAdminKey) {
  const Json report = {
      {"configs", Json::array({{{"name", "base"}}, {{"name", "rerank"}}})},
      {"questions", Json::array({{{"id", "q1"}, {"question", "¿Qué es 5G?"},
                                  {"reference_answer", "La quinta generación."},
                                  {"answers", {{"base", {{"text", "Una red."}, {"latency_ms", 3}}},
                                               {"rerank", {{"text", "La red móvil de quinta generación."}}}}}},
                                 {{"id", "q2"}, {"question", "¿Qué es eSIM?"},
                                  {"answers", {{"base", {{"text", "Un chip."}}},
                                               {"rerank", {{"text", "Un chip virtual."}}}}}}})}};
  EXPECT_EQ(client_->request("GET", "/v1/admin/ab/studies").status, 401);
  EXPECT_EQ(client_->request("POST", "/v1/admin/ab/studies", dump_json({{"report", report}})).status, 401);
  EXPECT_EQ(admin("POST", "/v1/admin/ab/studies", R"({"report":{"configs":[]}})").status, 400);
  auto created = admin("POST", "/v1/admin/ab/studies", dump_json({{"report", report}}));
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string study = body_of(created)["id"];
  EXPECT_EQ(body_of(created)["items"], 2);

  EXPECT_EQ(admin("GET", "/v1/admin/ab/studies/" + study + "/next?rater=%3Cb%3E").status, 400);
  EXPECT_EQ(admin("GET", "/v1/admin/ab/studies/abs_nope/next?rater=ana").status, 404);
  auto next = admin("GET", "/v1/admin/ab/studies/" + study + "/next?rater=ana");
  ASSERT_EQ(next.status, 200);
  EXPECT_THAT(next.body, Not(HasSubstr("base")));
  EXPECT_THAT(next.body, Not(HasSubstr("rerank")));
  EXPECT_THAT(next.body, Not(HasSubstr("latency")));
  Json item = body_of(next)["item"];
  const std::string item_id = item["id"];
  EXPECT_EQ(admin("POST", "/v1/admin/ab/studies/" + study + "/votes",
                  dump_json({{"item_id", item_id}, {"rater", "ana"}, {"choice", "C"}})).status,
            400);
  EXPECT_EQ(admin("POST", "/v1/admin/ab/studies/" + study + "/votes",
                  dump_json({{"item_id", "abi_nope"}, {"rater", "ana"}, {"choice", "A"}})).status,
            404);
  // The rater picks the longer answer, wherever it was shown.
  const bool a_is_longer = item["answers"]["A"]["text"].get<std::string>().size() >
                           item["answers"]["B"]["text"].get<std::string>().size();
  auto voted = admin("POST", "/v1/admin/ab/studies/" + study + "/votes",
                     dump_json({{"item_id", item_id}, {"rater", "ana"},
                                {"choice", a_is_longer ? "A" : "B"},
                                {"comment", "más completa; escríbanme a ana.rios@example.com"}}));
  ASSERT_EQ(voted.status, 201) << voted.body;
  EXPECT_EQ(body_of(voted)["progress"]["rated"], 1);

  Json summary = body_of(admin("GET", "/v1/admin/ab/studies/" + study + "/summary"));
  EXPECT_EQ(summary["votes"], 1);
  EXPECT_EQ(summary["configs"][1]["name"], "rerank");
  EXPECT_EQ(summary["configs"][1]["wins"], 1) << "the longer answer is rerank's on both items";
  ASSERT_EQ(summary["comments"].size(), 1u);
  const std::string comment = summary["comments"][0]["comment"];
  EXPECT_THAT(comment, HasSubstr("más completa"));
  EXPECT_THAT(comment, Not(HasSubstr("ana.rios@example.com"))) << "comments are anonymized";

  EXPECT_EQ(admin("DELETE", "/v1/admin/ab/studies/" + study).status, 204);
  EXPECT_EQ(admin("GET", "/v1/admin/ab/studies/" + study + "/summary").status, 404);
}

}  // namespace
}  // namespace atiende
