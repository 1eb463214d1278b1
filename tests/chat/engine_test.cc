// ChatEngine with a real knowledge base, a real SQLite conversation store and the `openai`
// provider talking to a scripted OpenAI-compatible server on 127.0.0.1: what reaches the model
// (passages with their numbers, budgeted history), citations, the abstain path, fallback to the
// built-in responder, and cancellation when the customer goes away.

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "chat/engine_fixture.h"

namespace atiende::chat {
namespace {

using testing::ChatEngineTest;
using testing::RecordingSink;
using atiende::testing::openai_error;
using atiende::testing::openai_stream;
using atiende::testing::ScriptedHttpServer;
using atiende::testing::ScriptedResponse;
using namespace std::chrono_literals;

TEST_F(ChatEngineTest, PassagesAndHistoryReachTheModelAndCitationsMapToSources) {
  server_.enqueue(openai_stream({"Escanea el código QR ", "desde Ajustes [1]."}));
  RecordingSink first;
  auto turn = engine_->turn(session_, "¿Cómo activo la eSIM en mi teléfono?", first);
  ASSERT_TRUE(turn.ok()) << turn.status().to_string();
  EXPECT_EQ(turn->provider, "openai");
  EXPECT_FALSE(turn->abstained);
  EXPECT_FALSE(turn->fallback);
  EXPECT_EQ(first.shown, "Escanea el código QR desde Ajustes [1].");
  ASSERT_EQ(turn->citations.size(), 1u);
  EXPECT_EQ(turn->citations[0].doc_id, "faq-esim");
  EXPECT_EQ(first.citations.size(), 1u);

  // The request: a system prompt, then the question with the numbered retrieved passages.
  Json messages = request_messages(0);
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[0]["role"], "system");
  const std::string user = messages.back()["content"].get<std::string>();
  EXPECT_NE(user.find("¿Cómo activo la eSIM en mi teléfono?"), std::string::npos) << user;
  EXPECT_NE(user.find("[1]"), std::string::npos) << user;
  EXPECT_NE(user.find("Añadir eSIM"), std::string::npos) << user;

  // A follow-up carries the previous turn as history.
  server_.enqueue(openai_stream({"En pocos minutos [1]."}));
  RecordingSink second;
  auto follow = engine_->turn(session_, "¿y cuánto tarda?", second);
  ASSERT_TRUE(follow.ok()) << follow.status().to_string();
  messages = request_messages(1);
  std::string history;
  for (size_t i = 1; i + 1 < messages.size(); ++i) {
    history += messages[i]["role"].get<std::string>() + ": " +
               messages[i]["content"].get<std::string>() + "\n";
  }
  EXPECT_NE(history.find("user: ¿Cómo activo la eSIM en mi teléfono?"), std::string::npos) << history;
  EXPECT_NE(history.find("assistant: Escanea el código QR desde Ajustes [1]."), std::string::npos)
      << history;
}

// A long session of short messages: the history budget (600 tokens) holds more than the first
// read of recent messages, so the engine reads further back; the oldest message that fits and the
// newest both reach the model, in order.
TEST_F(ChatEngineTest, HistoryReadsFurtherBackWhenRecentMessagesDoNotFillTheBudget) {
  auto db = store::SqliteDatabase::open((dir_.path() / "atiende.db").string());
  ASSERT_TRUE(db.ok());
  auto conversations = store::open_sqlite_conversations(*db);
  ASSERT_TRUE(conversations.ok());
  for (int i = 1; i <= 40; ++i) {
    store::Message m;
    m.id = "old-" + std::to_string(i);
    m.session_id = session_;
    m.role = i % 2 ? "user" : "assistant";
    m.text = "mensaje " + std::to_string(i);
    m.created_ms = i;
    ASSERT_TRUE((*conversations)->append_message(m).ok());
  }
  server_.enqueue(openai_stream({"Escanea el código QR [1]."}));
  RecordingSink sink;
  ASSERT_TRUE(engine_->turn(session_, "¿Cómo activo la eSIM en mi teléfono?", sink).ok());
  const Json messages = request_messages(0);
  ASSERT_EQ(messages.size(), 42u) << "system + 40 history + question";
  EXPECT_EQ(messages[1]["content"], "mensaje 1");
  EXPECT_EQ(messages[40]["content"], "mensaje 40");
  EXPECT_EQ(messages[40]["role"], "assistant");
}

TEST_F(ChatEngineTest, UngroundedAnswersNeverReachTheCustomer) {
  const std::string uncited = "El roaming es gratis en todo el mundo.";
  const std::string bad_cite = "Cuesta 1 peso [7].";
  for (const std::string& answer : {uncited, bad_cite}) {
    server_.enqueue(openai_stream({answer}));
    RecordingSink sink;
    auto turn = engine_->turn(session_, "¿Cuánto cuesta el roaming en Europa?", sink);
    ASSERT_TRUE(turn.ok()) << turn.status().to_string();
    EXPECT_TRUE(turn->abstained) << answer;
    EXPECT_EQ(turn->text, abstain_message("es"));
    EXPECT_EQ(sink.shown, abstain_message("es"));
    EXPECT_EQ(sink.shown.find(answer), std::string::npos);
    EXPECT_TRUE(turn->citations.empty());
  }
}

TEST_F(ChatEngineTest, FailingProviderFallsBackToTheBuiltInResponder) {
  struct Case {
    const char* name;
    std::vector<ScriptedResponse> responses;
  };
  std::vector<Case> cases;
  cases.push_back({"5xx", {openai_error(500, "upstream exploded"), openai_error(502, "upstream exploded")}});
  cases.push_back({"429", {openai_error(429, "slow down"), openai_error(429, "slow down")}});
  cases.push_back({"malformed frame",
                   {ScriptedResponse().header("Content-Type", "text/event-stream")
                        .chunk("data: {\"choices\":[{\"delta\":{\"content\":\"GARBAGE<<\"}}]}\n\n")
                        .chunk("data: {not json at all\n\n")}});
  cases.push_back({"stall", {ScriptedResponse().header("Content-Type", "text/event-stream").stall()}});
  for (auto& c : cases) {
    for (auto& r : c.responses) server_.enqueue(std::move(r));
    RecordingSink sink;
    auto turn = engine_->turn(session_, "¿Cómo activo el roaming antes de viajar?", sink);
    ASSERT_TRUE(turn.ok()) << c.name << ": " << turn.status().to_string();
    EXPECT_TRUE(turn->fallback) << c.name;
    EXPECT_EQ(turn->provider, "builtin") << c.name;
    EXPECT_FALSE(sink.shown.empty()) << c.name;
    EXPECT_EQ(sink.shown.find("GARBAGE"), std::string::npos) << c.name;
    EXPECT_EQ(sink.shown.find("exploded"), std::string::npos) << c.name;
    EXPECT_EQ(sink.shown.find("slow down"), std::string::npos) << c.name;
    if (!turn->abstained) {
      ASSERT_FALSE(turn->citations.empty()) << c.name;
      EXPECT_EQ(turn->citations[0].doc_id, "faq-roaming") << c.name;
    }
  }
}

TEST_F(ChatEngineTest, CustomerDisconnectCancelsTheUpstreamCall) {
  server_.enqueue(ScriptedResponse()
                      .header("Content-Type", "text/event-stream")
                      .chunk(atiende::testing::sse_data(atiende::testing::openai_text_chunk("Hola ")))
                      .stall());
  RecordingSink sink;
  // The customer closes the page while the model is still answering (the upstream stalls after
  // its first token, so only an immediate cancel can end the call before the idle timeout).
  std::thread customer([&] {
    ASSERT_TRUE(server_.wait_for_requests(1, 5s));
    std::this_thread::sleep_for(100ms);
    sink.leave();
  });
  const auto started = std::chrono::steady_clock::now();
  auto turn = engine_->turn(session_, "¿Cómo activo la eSIM?", sink);
  const auto took = std::chrono::steady_clock::now() - started;
  customer.join();
  EXPECT_TRUE(server_.wait_for_disconnects(1, 5s)) << "the upstream connection was not closed";
  // Well before the provider's 1.5 s idle timeout: the call was cancelled, not timed out.
  EXPECT_LT(took, 1000ms);
  EXPECT_EQ(server_.request_count(), 1u);  // and not retried
  EXPECT_EQ(sink.shown.find("Hola"), std::string::npos);  // nothing half-generated was shown
  (void)turn;
}

class VariantEngineTest : public ChatEngineTest {
 protected:
  std::string extra_config() const override { return "[chat]\nvariant = \"b\"\n"; }
};

TEST_F(VariantEngineTest, NewSessionsCarryTheConfiguredVariant) {
  auto session = engine_->create_session({"", "es", true, "test"});
  ASSERT_TRUE(session.ok()) << session.status().to_string();
  EXPECT_EQ(session->variant, "b");
  EXPECT_TRUE(session->consent);
}

class IdleSessionsTest : public ChatEngineTest {
 protected:
  std::string extra_config() const override { return "[chat]\nsession_idle_minutes = 30\n"; }
  const Clock& clock() const override { return fake_clock_; }
  FakeClock fake_clock_;
};

TEST_F(IdleSessionsTest, IdleInMemoryStateIsDroppedAndTheSessionStillAnswers) {
  const size_t before = engine_->session_states();
  ASSERT_GE(before, 1u);  // the fixture's session
  std::vector<std::string> ids;
  for (int i = 0; i < 300; ++i) {  // more than one sweep period of lookups
    auto session = engine_->create_session({"", "es", false, "test"});
    ASSERT_TRUE(session.ok());
    ids.push_back(session->id);
  }
  EXPECT_EQ(engine_->session_states(), before + 300);  // nothing idle yet
  fake_clock_.advance(std::chrono::minutes(31));
  for (int i = 0; i < 300; ++i) ASSERT_TRUE(engine_->create_session({"", "es", false, "test"}).ok());
  EXPECT_LT(engine_->session_states(), before + 300);  // the idle ones went away
  // A dropped session still answers from its stored history.
  server_.enqueue(openai_stream({"Escanea el código QR [1]."}));
  RecordingSink sink;
  auto turn = engine_->turn(ids.front(), "¿Cómo activo la eSIM?", sink);
  ASSERT_TRUE(turn.ok()) << turn.status().to_string();
  EXPECT_NE(sink.shown.find("código QR"), std::string::npos) << sink.shown;
}

TEST(ChatOptionsTest, VariantIsOptionalAndBounded) {
  auto none = Config::load_string("", map_env({}));
  ASSERT_TRUE(none.ok());
  auto options = chat_options_from_config(*none);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->variant, "");
  auto long_label = Config::load_string("[chat]\nvariant = \"" + std::string(65, 'x') + "\"\n", map_env({}));
  ASSERT_TRUE(long_label.ok());
  auto refused = chat_options_from_config(*long_label);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("chat.variant"), std::string::npos);
}

TEST(ChatOptionsTest, FinisherPriorityFollowsHttpWorkerNice) {
  auto none = Config::load_string("", map_env({}));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(chat_options_from_config(*none)->turn_end_nice, 10);
  auto set = Config::load_string("[http]\nworker_nice = 0\n", map_env({}));
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(chat_options_from_config(*set)->turn_end_nice, 0);
  auto bad = Config::load_string("[http]\nworker_nice = -1\n", map_env({}));
  ASSERT_TRUE(bad.ok());
  auto refused = chat_options_from_config(*bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("http.worker_nice"), std::string::npos);
}

}  // namespace
}  // namespace atiende::chat
