// The fast reader of plain OpenAI stream chunks: it reads text, finish reason and model without a
// JSON tree, and hands everything else (tool calls, usage, errors, odd shapes, bad JSON) back to
// the full parser.

#include <gtest/gtest.h>

#include "llm/openai_chunk.h"

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

}  // namespace
}  // namespace atiende::llm::internal
