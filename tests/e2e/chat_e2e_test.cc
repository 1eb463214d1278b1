// Chat routes over HTTP on the real binary, bad input first: an empty message, a message over the
// configured length, invalid UTF-8, an unknown session and malformed JSON each get a 4xx with an
// error that says what is wrong (in JSON and in SSE mode alike, before any stream starts), nothing
// of them is stored, and the session answers normally afterwards.

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "common/json.h"
#include "e2e/served_binary.h"
#include "http/test_client.h"

namespace atiende {
namespace {

using atiende::testing::ClientResponse;
using atiende::testing::ServedBinary;
using atiende::testing::TestClient;

constexpr int kMaxChars = 40;

Json body_of(const ClientResponse& r) {
  auto parsed = parse_json(r.body);
  EXPECT_TRUE(parsed.ok()) << r.body;
  return parsed.ok() ? *parsed : Json();
}

/// The error message of a `{"error":{"code","message"}}` body ("" when it is not one).
std::string error_message(const ClientResponse& r) {
  Json body = body_of(r);
  if (!body.is_object() || !body.contains("error")) return "";
  return body["error"].value("message", "");
}

class ChatE2E : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ::setenv("ATIENDE_CHAT_MAX_MESSAGE_CHARS", std::to_string(kMaxChars).c_str(), 1);
    served_ = new ServedBinary();
    ::unsetenv("ATIENDE_CHAT_MAX_MESSAGE_CHARS");
  }
  static void TearDownTestSuite() {
    delete served_;
    served_ = nullptr;
  }
  void SetUp() override {
    auto created = request("POST", "/v1/chat/sessions", "{}");
    ASSERT_EQ(created.status, 201) << created.body;
    session_ = body_of(created)["session_id"].get<std::string>();
  }

  std::string messages_path() const { return "/v1/chat/sessions/" + session_ + "/messages"; }

  /// One request on a fresh connection (the server may close a connection after an error).
  static ClientResponse request(const std::string& method, const std::string& target,
                                const std::string& body = "",
                                const std::vector<std::pair<std::string, std::string>>& headers = {}) {
    TestClient client(served_->port());
    return client.request(method, target, body, headers);
  }

  /// Posts `body` as a message, as JSON or asking for SSE.
  ClientResponse post_message(const std::string& body, bool sse, const std::string& path = "") {
    std::vector<std::pair<std::string, std::string>> headers = {
        {"Content-Type", "application/json"}};
    if (sse) headers.push_back({"Accept", "text/event-stream"});
    return request("POST", path.empty() ? messages_path() : path, body, headers);
  }

  static ServedBinary* served_;
  std::string session_;
};

ServedBinary* ChatE2E::served_ = nullptr;

struct BadMessage {
  const char* name;
  std::string body;
  int status;
  const char* says;  ///< a piece of the expected error message
};

std::vector<BadMessage> bad_messages() {
  return {
      {"empty", R"({"text":""})", 400, "empty"},
      {"blank", R"({"text":"   \n  "})", 400, "empty"},
      {"too long", "{\"text\":\"" + std::string(kMaxChars + 1, 'a') + "\"}", 400,
       "longer than 40"},
      // Accented letters count as one character each: 41 'é' are over the limit.
      {"too long in characters", [] {
         std::string text;
         for (int i = 0; i <= kMaxChars; ++i) text += "\xC3\xA9";
         return "{\"text\":\"" + text + "\"}";
       }(), 400, "longer than 40"},
      {"invalid UTF-8", "{\"text\":\"hola \xFF\xFE mundo\"}", 400, "UTF-8"},
      {"lone surrogate", R"({"text":"hola \udc00"})", 400, ""},
      {"malformed JSON", R"({"text": "hola)", 400, ""},
      {"not an object", R"(["hola"])", 400, ""},
      {"missing text", R"({"texto":"hola"})", 400, "text"},
      {"text not a string", R"({"text":42})", 400, "text"},
  };
}

TEST_F(ChatE2E, BadMessagesGetA4xxWithAClearErrorAndTheSessionStaysUsable) {
  for (bool sse : {false, true}) {
    for (const auto& bad : bad_messages()) {
      SCOPED_TRACE(std::string(bad.name) + (sse ? " (SSE)" : " (JSON)"));
      auto r = post_message(bad.body, sse);
      EXPECT_EQ(r.status, bad.status) << r.body;
      // An error body, never a started event stream.
      EXPECT_EQ(r.header("content-type").find("text/event-stream"), std::string::npos);
      const std::string message = error_message(r);
      EXPECT_FALSE(message.empty()) << r.body;
      EXPECT_NE(message.find(bad.says), std::string::npos) << message;
    }
  }
  // Nothing of the rejected messages was stored.
  auto before = request("GET", "/v1/chat/sessions/" + session_);
  ASSERT_EQ(before.status, 200) << before.body;
  EXPECT_TRUE(body_of(before)["messages"].empty()) << before.body;

  // The same session answers normally afterwards, in both modes.
  auto answered = post_message(R"({"text":"¿Cómo activo la eSIM?"})", false);
  ASSERT_EQ(answered.status, 200) << answered.body;
  Json answer = body_of(answered);
  EXPECT_FALSE(answer["text"].get<std::string>().empty());
  EXPECT_FALSE(answer["message_id"].get<std::string>().empty());

  TestClient stream(served_->port());
  stream.send("POST", messages_path(), R"({"text":"¿Y el roaming?"})",
              {{"Content-Type", "application/json"}, {"Accept", "text/event-stream"}});
  auto head = stream.read_header();
  ASSERT_EQ(head.status, 200);
  EXPECT_NE(head.header("content-type").find("text/event-stream"), std::string::npos);
  const std::string events = stream.read_until("event: done");
  EXPECT_NE(events.find("event: token"), std::string::npos) << events;
  EXPECT_NE(events.find("event: done"), std::string::npos) << events;
  EXPECT_EQ(events.find("event: error"), std::string::npos) << events;

  auto after = request("GET", "/v1/chat/sessions/" + session_);
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(body_of(after)["messages"].size(), 4u) << after.body;  // two questions, two answers
}

TEST_F(ChatE2E, UnknownSessionIsNotFoundOnEveryChatRoute) {
  const std::string unknown = "/v1/chat/sessions/ses_does_not_exist";
  for (bool sse : {false, true}) {
    auto r = post_message(R"({"text":"hola"})", sse, unknown + "/messages");
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(error_message(r).find("ses_does_not_exist"), std::string::npos) << r.body;
  }
  EXPECT_EQ(request("GET", unknown).status, 404);
  EXPECT_EQ(request("POST", unknown + "/feedback",
                             R"({"message_id":"msg_x","rating":"up"})").status, 404);
  EXPECT_EQ(request("POST", unknown + "/survey", R"({"csat":5})").status, 404);
}

TEST_F(ChatE2E, BadFeedbackAndSurveyAreRejectedAndTheSessionStaysUsable) {
  auto answered = post_message(R"({"text":"¿Cómo activo la eSIM?"})", false);
  ASSERT_EQ(answered.status, 200) << answered.body;
  const std::string message_id = body_of(answered)["message_id"];
  const std::string base = "/v1/chat/sessions/" + session_;

  auto rating = request("POST", base + "/feedback",
                                 R"({"message_id":")" + message_id + R"(","rating":"meh"})");
  EXPECT_EQ(rating.status, 400);
  EXPECT_NE(error_message(rating).find("rating"), std::string::npos) << rating.body;
  EXPECT_EQ(request("POST", base + "/feedback",
                             R"({"message_id":"msg_not_here","rating":"up"})").status, 404);
  for (const char* body : {R"({"csat":0})", R"({"csat":6})", R"({"csat":"5"})", R"({"csat":4.5})"}) {
    auto r = request("POST", base + "/survey", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_NE(error_message(r).find("csat"), std::string::npos) << r.body;
  }
  EXPECT_EQ(request("POST", base + "/survey", R"({"csat":3,"resolved":"yes"})").status, 400);

  EXPECT_EQ(request("POST", base + "/feedback",
                             R"({"message_id":")" + message_id + R"(","rating":"up"})").status, 200);
  EXPECT_EQ(request("POST", base + "/survey", R"({"csat":4,"resolved":true})").status, 200);
  auto transcript = request("GET", base);
  ASSERT_EQ(transcript.status, 200);
  EXPECT_EQ(body_of(transcript)["session"]["csat"], 4);
}

}  // namespace
}  // namespace atiende
