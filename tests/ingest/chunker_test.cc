#include <gtest/gtest.h>

#include "ingest/chunker.h"
#include "ingest/text_ops.h"
#include "test_util.h"

namespace atiende::ingest {
namespace {

using testing::cp_substr;

size_t words(std::string_view s) { return approximate_tokens(s); }

std::string sentences_text(int n) {
  std::string text;
  for (int i = 0; i < n; ++i) {
    if (i) text += (i % 7 == 0) ? "\n\n" : " ";
    text += "La oración número " + std::to_string(i) + " habla de facturación y teléfonos.";
  }
  return text;
}

TEST(Chunker, OffsetsAreCodePointsIntoTheText) {
  const std::string text = sentences_text(40);
  ChunkerOptions options{.tokens_max = 30, .overlap_tokens = 8};
  auto chunks = chunk_text(text, sentence_spans(text), words, options);
  ASSERT_GT(chunks.size(), 3u);
  for (const auto& c : chunks) {
    EXPECT_EQ(cp_substr(text, c.start, c.end), c.text);
    EXPECT_EQ(text.substr(c.start_byte, c.end_byte - c.start_byte), c.text);
    EXPECT_LE(words(c.text), 30u) << c.text;
    EXPECT_EQ(c.page, 0);
  }
  // Multi-byte characters precede later chunks, so code points differ from bytes.
  EXPECT_LT(chunks.back().start, static_cast<int64_t>(chunks.back().start_byte));
}

TEST(Chunker, EverySentenceIsCoveredAndChunksOverlap) {
  const std::string text = sentences_text(30);
  auto spans = sentence_spans(text);
  ASSERT_EQ(spans.size(), 30u);
  ChunkerOptions options{.tokens_max = 40, .overlap_tokens = 10};
  auto chunks = chunk_text(text, spans, words, options);
  for (const auto& s : spans) {
    bool covered = false;
    for (const auto& c : chunks) covered |= c.start_byte <= s.begin && s.end <= c.end_byte;
    EXPECT_TRUE(covered) << text.substr(s.begin, s.end - s.begin);
  }
  int overlaps = 0;
  for (size_t i = 1; i < chunks.size(); ++i) {
    EXPECT_GT(chunks[i].start, chunks[i - 1].start);  // always moves forward
    overlaps += chunks[i].start < chunks[i - 1].end;
  }
  EXPECT_GT(overlaps, 0);
}

TEST(Chunker, NoOverlapWhenZero) {
  const std::string text = sentences_text(20);
  ChunkerOptions options{.tokens_max = 25, .overlap_tokens = 0};
  auto chunks = chunk_text(text, sentence_spans(text), words, options);
  for (size_t i = 1; i < chunks.size(); ++i) EXPECT_GE(chunks[i].start, chunks[i - 1].end);
}

TEST(Chunker, LongSentenceIsCutAtWhitespace) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "palabra" + std::to_string(i) + " ";
  text += "fin.";
  ChunkerOptions options{.tokens_max = 20, .overlap_tokens = 0};
  auto chunks = chunk_text(text, sentence_spans(text), words, options);
  ASSERT_EQ(chunks.size(), 6u);
  for (const auto& c : chunks) {
    EXPECT_LE(words(c.text), 20u);
    EXPECT_NE(c.text.front(), ' ');
    EXPECT_EQ(cp_substr(text, c.start, c.end), c.text);
  }
}

TEST(Chunker, PageOfChunkStart) {
  const std::vector<int64_t> pages = {0, 100, 250};
  EXPECT_EQ(page_of(0, pages), 1);
  EXPECT_EQ(page_of(99, pages), 1);
  EXPECT_EQ(page_of(100, pages), 2);
  EXPECT_EQ(page_of(1000, pages), 3);
  EXPECT_EQ(page_of(5, {}), 0);
  const std::string text = sentences_text(30);
  const std::vector<int64_t> two = {0, 600};
  auto chunks = chunk_text(text, sentence_spans(text), words, {.tokens_max = 30, .overlap_tokens = 0},
                           two);
  ASSERT_GT(chunks.size(), 2u);
  EXPECT_EQ(chunks.front().page, 1);
  EXPECT_EQ(chunks.back().page, 2);
}

TEST(Chunker, EmptyTextGivesNoChunks) {
  EXPECT_TRUE(chunk_text("", {}, words, {}).empty());
  auto one = chunk_text("Solo esto", {}, words, {});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].text, "Solo esto");
}

TEST(TextOps, NormalizesToNfcAndNewlines) {
  // "e" + combining acute -> "é"; CRLF -> LF; control characters dropped.
  auto n = normalize_document_text("Cafe\xCC\x81 \x01ok  \r\nfin\r\n");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, "Caf\xC3\xA9 ok\nfin");
  EXPECT_FALSE(normalize_document_text("\xff").ok());
}

}  // namespace
}  // namespace atiende::ingest
