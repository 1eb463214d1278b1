#pragma once
// Shared by the ChatEngine tests: a real knowledge base with two FAQs, a real SQLite conversation
// store and the `openai` provider pointed at a scripted OpenAI-compatible server on 127.0.0.1.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

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

namespace atiende::chat::testing {

using atiende::testing::ScriptedHttpServer;

/// Records what the customer would see. Thread-safe (async turns call it from the engine's I/O
/// thread); read `shown` and `citations` only after the turn ended, or through the waits.
class RecordingSink final : public TurnSink {
 public:
  void on_token(std::string_view text) override {
    std::lock_guard lock(mutex);
    shown += text;
    tokens.emplace_back(text);
    changed.notify_all();
  }
  void on_citations(const std::vector<Citation>& c) override {
    std::lock_guard lock(mutex);
    citations = c;
  }
  void on_action(std::string_view, const std::string&) override {}
  bool cancelled() const override { return gone.load(); }
  void on_cancel(std::function<void()> callback) override {
    std::lock_guard lock(mutex);
    callbacks.push_back(std::move(callback));
  }
  /// The customer closes the page.
  void leave() {
    gone = true;
    std::vector<std::function<void()>> to_run;
    {
      std::lock_guard lock(mutex);
      to_run = callbacks;
    }
    for (auto& callback : to_run) callback();
  }
  /// Waits until the shown text contains `needle`.
  bool wait_for_shown(const std::string& needle, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout,
                            [&] { return shown.find(needle) != std::string::npos; });
  }
  std::string shown_now() {
    std::lock_guard lock(mutex);
    return shown;
  }
  std::string shown;
  std::vector<std::string> tokens;
  std::vector<Citation> citations;
  std::atomic<bool> gone{false};
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::function<void()>> callbacks;
};

class ChatEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto config = Config::load_string(
        "[data]\ndir = \"" + dir_.path().string() + "\"\n"
        "[llm]\nprovider = \"openai\"\nbase_url = \"" + server_.base_url() + "/v1\"\n"
        "model = \"scripted\"\nmax_retries = 1\nretry_initial_ms = 1\nretry_max_ms = 2\n"
        "idle_timeout_ms = 1500\ntimeout_ms = 5000\n" + extra_config(),
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
    deps.clock = &clock();
    deps.random = &system_random();
    auto engine = ChatEngine::create(std::move(deps), *options);
    ASSERT_TRUE(engine.ok()) << engine.status().to_string();
    engine_ = std::move(*engine);
    auto session = engine_->create_session({"", "es", false, "test"});
    ASSERT_TRUE(session.ok());
    session_ = session->id;
  }

  /// TOML appended to the fixture's config (a derived fixture sets other sections).
  virtual std::string extra_config() const { return ""; }
  /// The engine's clock (a derived fixture may use a FakeClock).
  virtual const Clock& clock() const { return system_clock(); }

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

}  // namespace atiende::chat::testing
