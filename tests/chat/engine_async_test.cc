// ChatEngine::turn_async against the scripted OpenAI-compatible server: the calling thread is
// free while the model streams, grounded text reaches the customer before the answer ends,
// fallback and cancellation work as in turn(), turns of one session keep their order, and the
// stored answer is exactly what the customer saw.

#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "chat/engine_fixture.h"

namespace atiende::chat {
namespace {

using testing::ChatEngineTest;
using testing::RecordingSink;
using atiende::testing::openai_error;
using atiende::testing::openai_stream;
using atiende::testing::openai_text_chunk;
using atiende::testing::ScriptedResponse;
using atiende::testing::sse_data;
using namespace std::chrono_literals;

/// Starts an async turn; the future holds its result.
std::future<Result<TurnResult>> start_turn(ChatEngine& engine, const std::string& session,
                                           const std::string& text,
                                           std::shared_ptr<RecordingSink> sink) {
  auto promise = std::make_shared<std::promise<Result<TurnResult>>>();
  auto future = promise->get_future();
  engine.turn_async(session, text, std::move(sink),
                    [promise](Result<TurnResult> result) { promise->set_value(std::move(result)); });
  return future;
}

ScriptedResponse first_token_then_stall(const std::string& token) {
  return ScriptedResponse()
      .header("Content-Type", "text/event-stream")
      .chunk(sse_data(openai_text_chunk(token)))
      .stall();
}

TEST_F(ChatEngineTest, AsyncTurnStreamsGroundedTextWhileTheModelIsStillAnswering) {
  server_.enqueue(first_token_then_stall("Escanea el código QR desde Ajustes [1]"));
  auto sink = std::make_shared<RecordingSink>();
  const auto started = std::chrono::steady_clock::now();
  auto result = start_turn(*engine_, session_, "¿Cómo activo la eSIM?", sink);
  // turn_async returned without waiting for the model (which has not even answered yet).
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1000ms);
  // The grounded part arrives while the upstream is still open (stalled).
  ASSERT_TRUE(sink->wait_for_shown("[1]", 5s)) << sink->shown_now();
  EXPECT_EQ(result.wait_for(0ms), std::future_status::timeout);
  EXPECT_EQ(server_.disconnects(), 0u);
  // The customer leaves: the upstream connection closes and the turn ends well before the
  // provider's 1.5 s idle timeout.
  sink->leave();
  EXPECT_TRUE(server_.wait_for_disconnects(1, 5s));
  ASSERT_EQ(result.wait_for(1000ms), std::future_status::ready);
  auto turn = result.get();
  ASSERT_TRUE(turn.ok()) << turn.status().to_string();
  EXPECT_EQ(turn->text, "Escanea el código QR desde Ajustes [1]");
  EXPECT_FALSE(turn->fallback);
  EXPECT_EQ(server_.request_count(), 1u);
}

TEST_F(ChatEngineTest, AsyncTurnFallsBackAndStoresWhatTheCustomerSaw) {
  server_.enqueue(openai_error(500, "upstream exploded"));
  server_.enqueue(openai_error(503, "upstream exploded"));
  auto sink = std::make_shared<RecordingSink>();
  auto turn = start_turn(*engine_, session_, "¿Cómo activo el roaming antes de viajar?", sink).get();
  ASSERT_TRUE(turn.ok()) << turn.status().to_string();
  EXPECT_TRUE(turn->fallback);
  EXPECT_EQ(turn->provider, "builtin");
  EXPECT_EQ(sink->shown_now(), turn->text);
  EXPECT_EQ(sink->shown_now().find("exploded"), std::string::npos);

  // An answer cut at an unknown citation: the grounded part is the answer, and it is stored.
  server_.enqueue(openai_stream({"Actívalo desde la app [1].", " Es gratis [8]."}));
  auto cut_sink = std::make_shared<RecordingSink>();
  auto cut = start_turn(*engine_, session_, "¿Cómo activo el roaming?", cut_sink).get();
  ASSERT_TRUE(cut.ok()) << cut.status().to_string();
  EXPECT_EQ(cut->text, "Actívalo desde la app [1]");
  EXPECT_EQ(cut_sink->shown_now(), cut->text);
  ASSERT_EQ(cut->citations.size(), 1u);
  EXPECT_EQ(cut->citations[0].doc_id, "faq-roaming");
  auto transcript = engine_->transcript_json(session_);
  ASSERT_TRUE(transcript.ok());
  auto parsed = parse_json(*transcript);
  ASSERT_TRUE(parsed.ok());
  const Json& messages = (*parsed)["messages"];
  ASSERT_EQ(messages.size(), 4u);
  EXPECT_EQ(messages[3]["text"], "Actívalo desde la app [1]");
  EXPECT_EQ(transcript->find("Es gratis"), std::string::npos);
}

TEST_F(ChatEngineTest, AsyncTurnsOfOneSessionRunInOrder) {
  // The first answer stalls after a grounded token; the second turn must wait for it.
  server_.enqueue(first_token_then_stall("Escanea el QR [1]"));
  server_.enqueue(openai_stream({"Cuesta 9.900 pesos al día [1]."}));
  auto first_sink = std::make_shared<RecordingSink>();
  auto second_sink = std::make_shared<RecordingSink>();
  auto first = start_turn(*engine_, session_, "¿Cómo activo la eSIM?", first_sink);
  ASSERT_TRUE(first_sink->wait_for_shown("[1]", 5s));
  auto second = start_turn(*engine_, session_, "¿Cuánto cuesta el roaming en Europa?", second_sink);
  EXPECT_EQ(second.wait_for(300ms), std::future_status::timeout) << "ran beside the first turn";
  EXPECT_EQ(server_.request_count(), 1u);
  first_sink->leave();
  auto first_turn = first.get();
  auto second_turn = second.get();
  ASSERT_TRUE(first_turn.ok());
  ASSERT_TRUE(second_turn.ok()) << second_turn.status().to_string();
  EXPECT_EQ(second_turn->text, "Cuesta 9.900 pesos al día [1].");
  // The second request carried the first turn as history.
  Json messages = request_messages(1);
  bool saw_first_answer = false;
  for (const auto& m : messages) {
    saw_first_answer |= m["content"].get<std::string>() == "Escanea el QR [1]";
  }
  EXPECT_TRUE(saw_first_answer) << messages.dump();
}

/// One turn may wait behind the running one.
class ChatEngineOneWaitingTurnTest : public ChatEngineTest {
 protected:
  std::string extra_config() const override { return "[chat]\nmax_waiting_turns = 1\n"; }
};

TEST_F(ChatEngineOneWaitingTurnTest, ATurnBeyondTheWaitingLimitIsRefusedAndTheOthersStillRun) {
  server_.enqueue(first_token_then_stall("Escanea el QR [1]"));
  server_.enqueue(openai_stream({"Cuesta 9.900 pesos al día [1]."}));
  server_.enqueue(openai_stream({"Escanea el código QR [1]."}));
  auto first_sink = std::make_shared<RecordingSink>();
  auto first = start_turn(*engine_, session_, "¿Cómo activo la eSIM?", first_sink);
  ASSERT_TRUE(first_sink->wait_for_shown("[1]", 5s));
  auto second = start_turn(*engine_, session_, "¿Cuánto cuesta el roaming en Europa?",
                           std::make_shared<RecordingSink>());
  // A third while one already waits: refused at once, on the calling thread.
  auto third = start_turn(*engine_, session_, "¿Y en Asia?", std::make_shared<RecordingSink>());
  ASSERT_EQ(third.wait_for(0ms), std::future_status::ready);
  auto refused = third.get();
  EXPECT_EQ(refused.status().code(), StatusCode::kResourceExhausted) << refused.status().to_string();
  EXPECT_NE(refused.status().message().find("wait for their answers"), std::string::npos);
  // The blocking turn() is refused the same way rather than holding its thread.
  RecordingSink blocking_sink;
  auto blocked = engine_->turn(session_, "¿Y en América?", blocking_sink);
  EXPECT_EQ(blocked.status().code(), StatusCode::kResourceExhausted);

  first_sink->leave();
  ASSERT_TRUE(first.get().ok());
  auto second_turn = second.get();
  ASSERT_TRUE(second_turn.ok()) << second_turn.status().to_string();
  EXPECT_EQ(second_turn->text, "Cuesta 9.900 pesos al día [1].");
  // Nothing is left waiting: the session takes a new turn.
  auto again = start_turn(*engine_, session_, "¿Cómo activo la eSIM?", std::make_shared<RecordingSink>()).get();
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_EQ(server_.request_count(), 3u);
}

TEST_F(ChatEngineTest, AsyncTurnRejectsBadInputAtOnceAndTheSessionStaysUsable) {
  for (const std::string& bad : {std::string("   "), std::string(3000, 'a'), std::string("\xFF\xFE")}) {
    auto sink = std::make_shared<RecordingSink>();
    auto turn = start_turn(*engine_, session_, bad, sink);
    ASSERT_EQ(turn.wait_for(0ms), std::future_status::ready);  // decided on the calling thread
    auto result = turn.get();
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument) << result.status().to_string();
  }
  auto sink = std::make_shared<RecordingSink>();
  auto unknown = start_turn(*engine_, "ses_missing", "hola", sink).get();
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);

  server_.enqueue(openai_stream({"Escanea el código QR [1]."}));
  auto ok = start_turn(*engine_, session_, "¿Cómo activo la eSIM?", sink).get();
  ASSERT_TRUE(ok.ok()) << ok.status().to_string();
  EXPECT_EQ(ok->text, "Escanea el código QR [1].");
}

}  // namespace
}  // namespace atiende::chat
