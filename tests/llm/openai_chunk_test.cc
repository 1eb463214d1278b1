// The fast reader of plain OpenAI stream chunks: it reads text, finish reason and model without a
// JSON tree, and hands everything else (tool calls, usage, errors, odd shapes, bad JSON) back to
// the full parser.

#include <gtest/gtest.h>

#include "llm/openai_chunk.h"

#include <random>

#include <nlohmann/json.hpp>

namespace atiende::llm::internal {
namespace {

TEST(PlainChunk, ReadsTextFinishReasonAndModel) {
  PlainChunk chunk;
  ASSERT_TRUE(read_plain_chunk(
      R"({"id":"c1","object":"chat.completion.chunk","created":1,"model":"m-7b",)"
      R"("choices":[{"index":0,"delta":{"role":"assistant","content":"Hola \"tú\" \u00e1\n"},)"
      R"("logprobs":null,"finish_reason":null}]})",
      chunk));
  ASSERT_EQ(chunk.texts.size(), 1u);
  EXPECT_EQ(chunk.texts[0], "Hola \"tú\" á\n");
  EXPECT_EQ(chunk.model.value_or(""), "m-7b");
  EXPECT_TRUE(chunk.finish_reasons.empty());

  ASSERT_TRUE(read_plain_chunk(R"({"choices":[{"delta":{},"finish_reason":"stop"}]})", chunk));
  EXPECT_TRUE(chunk.texts.empty());
  EXPECT_FALSE(chunk.model.has_value());
  ASSERT_EQ(chunk.finish_reasons.size(), 1u);
  EXPECT_EQ(chunk.finish_reasons[0], "stop");
}

TEST(PlainChunk, KeepsChoicesInOrderAndIgnoresWhatTheFullParserIgnores) {
  PlainChunk chunk;
  ASSERT_TRUE(read_plain_chunk(
      R"({"choices":[{"delta":{"content":"a"}},{"delta":{"content":"b","extra":{"content":"x"}}}],)"
      R"("system_fingerprint":"fp","x_meta":{"choices":"not these","model":"nor this"}})",
      chunk));
  EXPECT_EQ(chunk.texts, (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(chunk.model.has_value());
  // Non-string content (null, parts) and a non-object delta carry no text, as in the full parser.
  ASSERT_TRUE(read_plain_chunk(
      R"({"choices":[{"delta":{"content":null}},{"delta":"odd"},{"delta":{"content":[{"t":"x"}]}}]})",
      chunk));
  EXPECT_TRUE(chunk.texts.empty());
  ASSERT_TRUE(read_plain_chunk(R"({"id":"no choices"})", chunk));
  EXPECT_TRUE(chunk.texts.empty());
}

TEST(PlainChunk, LeavesEverythingElseToTheFullParser) {
  PlainChunk chunk;
  const char* not_plain[] = {
      R"({"choices":[{"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{"}}]}}]})",
      R"({"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}})",
      R"({"usage":null,"choices":[{"delta":{"content":"a"}}]})",
      R"({"error":{"message":"overloaded"}})",
      R"({"choices":{"delta":{"content":"a"}}})",
      R"({"choices":"a"})",
      R"({"choices":null})",
      R"({"choices":["a"]})",
      R"({"choices":[["a"]]})",
      R"(["choices"])",
      R"("just a string")",
      R"(42)",
      R"({"choices":[{"delta":{"content":"a"}}])",
      R"({"choices":[{"delta":{"content":"a"}}]} trailing)",
      "",
      "{\"choices\":[{\"delta\":{\"content\":\"\xff\"}}]}",
      R"({"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]})",
  };
  for (const char* frame : not_plain) {
    EXPECT_FALSE(read_plain_chunk(frame, chunk)) << frame;
  }
}

/// What the full parser makes of `data` as a plain chunk (nullopt: not valid JSON).
std::optional<PlainChunk> full_parser_reading(std::string_view data) {
  nlohmann::json j = nlohmann::json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return std::nullopt;
  PlainChunk c;
  if (!j.is_object()) return c;
  if (j.contains("model") && j["model"].is_string()) c.model = j["model"].get<std::string>();
  if (j.contains("choices") && j["choices"].is_array()) {
    for (const auto& choice : j["choices"]) {
      if (!choice.is_object()) continue;
      if (choice.contains("delta") && choice["delta"].is_object() && choice["delta"].contains("content") &&
          choice["delta"]["content"].is_string()) {
        c.texts.push_back(choice["delta"]["content"].get<std::string>());
      }
      if (choice.contains("finish_reason") && choice["finish_reason"].is_string()) {
        c.finish_reasons.push_back(choice["finish_reason"].get<std::string>());
      }
    }
  }
  return c;
}

// Differential check: thousands of damaged variants of real chunks (bytes flipped, inserted,
// deleted, cut short). Whenever the fast reader accepts one, the JSON library must accept it too
// and read the same text, model and finish reasons from it.
TEST(PlainChunk, AcceptsOnlyWhatTheJsonLibraryAcceptsAndReadsTheSame) {
  const std::string seeds[] = {
      R"({"id":"c1","object":"chat.completion.chunk","created":17,"model":"m-7b","choices":[{"index":0,"delta":{"role":"assistant","content":"Hola \"tú\" \u00e1\ud83d\ude00\n"},"logprobs":null,"finish_reason":null}]})",
      R"({"choices":[{"delta":{"content":"a"},"finish_reason":"stop"},{"delta":{"content":"b","x":[1,-2.5e3,true,false,null,{"y":"z"}]}}],"model":"q"})",
      R"({ "choices" : [ { "delta" : { "content" : "Activa la eSIM [1]. " } } ] , "n" : 0.5 })",
  };
  // Single characters of the JSON grammar, and whole (in)valid escapes and UTF-8 sequences.
  const std::vector<std::string> pieces = {
      "{", "}", "[", "]", ":", ",", "\"", "\\", "u", "0", "a", "e", "E", "+", "-", ".", "1", "9",
      " ", "\n", "\t", "\x01", "\x1f", "t", "r", "f", "n", "l", "\x7f", "\xc3\xa1", "\xc3",
      "\xc0\xaf", "\xed\xa0\x80", "\xed\x9f\xbf", "\xf4\x90\x80\x80", "\xf4\x8f\xbf\xbf",
      "\xe0\x80\x80", "\xf0\x8f\xbf\xbf", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u00e1", "\\x",
      "\\/", "\\b"};
  std::mt19937 rng(20261207);
  int accepted = 0, checked = 0;
  PlainChunk fast;
  for (const std::string& seed : seeds) {
    ASSERT_TRUE(read_plain_chunk(seed, fast)) << seed;
    for (int i = 0; i < 4000; ++i) {
      std::string frame = seed;
      const int edits = 1 + static_cast<int>(rng() % 3);
      for (int e = 0; e < edits && !frame.empty(); ++e) {
        const size_t at = rng() % frame.size();
        const std::string& piece = pieces[rng() % pieces.size()];
        switch (rng() % 4) {
          case 0: frame.replace(at, 1, piece); break;
          case 1: frame.insert(at, piece); break;
          case 2: frame.erase(at, 1); break;
          default: frame.resize(at); break;
        }
      }
      ++checked;
      if (!read_plain_chunk(frame, fast)) continue;
      ++accepted;
      const auto full = full_parser_reading(frame);
      ASSERT_TRUE(full.has_value()) << "accepted invalid JSON: " << frame;
      EXPECT_EQ(fast.texts, full->texts) << frame;
      EXPECT_EQ(fast.model, full->model) << frame;
      EXPECT_EQ(fast.finish_reasons, full->finish_reasons) << frame;
    }
  }
  EXPECT_GT(accepted, checked / 20) << "the damaged frames should still include many valid ones";
}

}  // namespace
}  // namespace atiende::llm::internal
