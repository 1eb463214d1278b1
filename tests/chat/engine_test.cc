// ChatEngine with a real knowledge base, a real SQLite conversation store and the `openai`
// provider talking to a scripted OpenAI-compatible server on 127.0.0.1: what reaches the model
// (passages with their numbers, budgeted history), citations, the abstain path, fallback to the
// built-in responder, and cancellation when the customer goes away.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "chat/engine.h"
#include "common/json.h"
#include "llm/factory.h"
#include "llm/llm_client.h"
#include "retrieve/kb_test_util.h"
#include "retrieve/knowledge_base.h"
#include "store/conversations.h"
#include "store/sqlite_database.h"
#include "support/llm_scripts.h"
#include "support/scripted_server.h"

namespace atiende::chat {
namespace {

using atiende::testing::openai_error;
using atiende::testing::openai_stream;
using atiende::testing::ScriptedHttpServer;
using atiende::testing::ScriptedResponse;
using namespace std::chrono_literals;

/// Records what the customer would see.
class RecordingSink final : public TurnSink {
 public:
  void on_token(std::string_view text) override { shown += text; }
  void on_citations(const std::vector<Citation>& c) override { citations = c; }
  void on_action(std::string_view, const std::string&) override {}
  bool cancelled() const override { return gone.load(); }
  void on_cancel(std::function<void()> callback) override {
    std::lock_guard lock(mutex);
    callbacks.push_back(std::move(callback));
  }
  /// The customer closes the page.
  void leave() {
    gone = true;
    std::lock_guard lock(mutex);
    for (auto& callback : callbacks) callback();
  }
  std::string shown;
  std::vector<Citation> citations;
  std::atomic<bool> gone{false};
  std::mutex mutex;
  std::vector<std::function<void()>> callbacks;
};

class ChatEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = Config::load_string(
        "[data]\ndir = \"" + dir_.path().string() + "\"\n"
        "[llm]\nprovider = \"openai\"\nbase_url = \"" + server_.base_url() + "/v1\"\n"
        "model = \"scripted\"\nmax_retries = 1\nretry_initial_ms = 1\nretry_max_ms = 2\n"
        "idle_timeout_ms = 1500\ntimeout_ms = 5000\n",
        map_env({}));
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    config_ = std::move(*config);
    auto kb = retrieve::open_knowledge_base(config_);
    ASSERT_TRUE(kb.ok()) << kb.status().to_string();
    kb_ = std::shared_ptr<retrieve::KnowledgeBase>(std::move(*kb));
    const std::vector<store::DocumentWithChunks> docs = {
        retrieve::testing::make_doc("faq-esim", "¿Cómo activo la eSIM?",
                                    {"Escanea el código QR desde Ajustes, Datos móviles, Añadir "
                                     "eSIM. La eSIM queda activa en pocos minutos."}),
        retrieve::testing::make_doc("faq-roaming", "¿Cómo activo el roaming?",
                                    {"Activa el roaming desde la app Mi UnaEmpresa antes de viajar. "
                                     "En Europa cuesta 9.900 pesos al día."})};
    ASSERT_TRUE(kb_->upsert_documents(docs, std::nullopt).ok());

    auto db = store::SqliteDatabase::open((dir_.path() / "atiende.db").string());
    ASSERT_TRUE(db.ok());
    auto conversations = store::open_sqlite_conversations(*db);
    ASSERT_TRUE(conversations.ok());
    auto provider = llm::make_llm_client_named("openai", config_);
    ASSERT_TRUE(provider.ok()) << provider.status().to_string();
    auto options = chat_options_from_config(config_);
    ASSERT_TRUE(options.ok());

    ChatEngineDeps deps;
    deps.knowledge_base = kb_;
    deps.conversations = std::move(*conversations);
    deps.provider = std::move(*provider);
    deps.anonymize = [](std::string_view text, std::string_view) { return std::string(text); };
    deps.customer_ref = [](const std::string& id) { return "ref-" + id; };
    deps.clock = &system_clock();
    deps.random = &system_random();
    auto engine = ChatEngine::create(std::move(deps), *options);
    ASSERT_TRUE(engine.ok()) << engine.status().to_string();
    engine_ = std::move(*engine);
    auto session = engine_->create_session({"", "es", false, "test"});
    ASSERT_TRUE(session.ok());
    session_ = session->id;
  }

  /// The messages array of the n-th request the model got.
  Json request_messages(size_t n) {
    const auto requests = server_.requests();
    EXPECT_GT(requests.size(), n);
    if (requests.size() <= n) return Json::array();
    auto body = parse_json(requests[n].body);
    EXPECT_TRUE(body.ok());
    return body.ok() ? (*body)["messages"] : Json::array();
  }

  ScriptedHttpServer server_;
  retrieve::testing::TempDir dir_;
  Config config_;
  std::shared_ptr<retrieve::KnowledgeBase> kb_;
  std::unique_ptr<ChatEngine> engine_;
  std::string session_;
};

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

}  // namespace
}  // namespace atiende::chat
