#include <gtest/gtest.h>

#include "net/sse.h"

namespace atiende::net {
namespace {

std::vector<SseEvent> feed_all(SseParser& p, const std::vector<std::string>& pieces) {
  std::vector<SseEvent> out;
  for (const auto& piece : pieces) {
    Status s = p.feed(piece, out);
    EXPECT_TRUE(s.ok()) << s.to_string();
  }
  return out;
}

TEST(Sse, SingleEventLf) {
  SseParser p;
  auto events = feed_all(p, {"data: hola\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "hola");
  EXPECT_EQ(events[0].event, "");
}

TEST(Sse, EventSplitAtEveryByte) {
  const std::string stream = "event: token\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\ndata: [DONE]\r\n\r\n";
  std::vector<std::string> pieces;
  for (char c : stream) pieces.emplace_back(1, c);
  SseParser p;
  auto events = feed_all(p, pieces);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event, "token");
  EXPECT_EQ(events[0].id, "7");
  EXPECT_EQ(events[0].data, "{\"a\":1}");
  EXPECT_EQ(events[1].data, "[DONE]");  // not special to the parser
  EXPECT_EQ(events[1].event, "");        // event type resets per event
  EXPECT_EQ(events[1].id, "7");          // last id is sticky
}

TEST(Sse, CrLfSplitAcrossChunksDoesNotMakeExtraBlankLine) {
  SseParser p;
  auto events = feed_all(p, {"data: a\r", "\ndata: b\r", "\n\r", "\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "a\nb");
}

TEST(Sse, BareCrLineEndings) {
  SseParser p;
  auto events = feed_all(p, {"data: x\r\rdata: y\r\r"});
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].data, "y");
}

TEST(Sse, MultiLineDataAndCommentsAndKeepAlives) {
  SseParser p;
  auto events = feed_all(p, {": keep-alive\n\n", ":\n", "data: line1\ndata:line2\ndata\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "line1\nline2\n");
  EXPECT_EQ(p.comments_seen(), 2u);
}

TEST(Sse, EmptyEventWithoutDataIsNotDispatched) {
  SseParser p;
  auto events = feed_all(p, {"event: ping\n\n", "retry: 1500\ndata: z\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event, "");
  ASSERT_TRUE(events[0].retry_ms.has_value());
  EXPECT_EQ(*events[0].retry_ms, 1500);
}

TEST(Sse, UnknownFieldsIgnoredAndBomSkipped) {
  SseParser p;
  auto events = feed_all(p, {"\xEF\xBB\xBF" "foo: bar\ndata: ok\n\n"});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].data, "ok");
}

TEST(Sse, FinishReturnsUnterminatedEvent) {
  SseParser p;
  auto events = feed_all(p, {"data: tail"});
  EXPECT_TRUE(events.empty());
  auto last = p.finish();
  ASSERT_TRUE(last.has_value());
  EXPECT_EQ(last->data, "tail");
  EXPECT_FALSE(p.finish().has_value());
}

TEST(Sse, LineLimitIsAStickyError) {
  SseParser p(SseLimits{.max_line_bytes = 16, .max_event_bytes = 1024});
  std::vector<SseEvent> out;
  Status s = p.feed("data: 0123456789abcdefghij", out);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_FALSE(p.feed("\n\n", out).ok());
}

TEST(Sse, EventLimit) {
  SseParser p(SseLimits{.max_line_bytes = 1024, .max_event_bytes = 10});
  std::vector<SseEvent> out;
  EXPECT_TRUE(p.feed("data: 12345\n", out).ok());
  EXPECT_FALSE(p.feed("data: 67890\n", out).ok());
}

}  // namespace
}  // namespace atiende::net
