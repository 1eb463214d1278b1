#include <gtest/gtest.h>

#include "net/crc32.h"
#include "net/event_stream.h"

namespace atiende::net {
namespace {

EventStreamMessage sample(std::string payload) {
  EventStreamMessage m;
  m.headers.push_back(string_header(":event-type", "contentBlockDelta"));
  m.headers.push_back(string_header(":content-type", "application/json"));
  m.headers.push_back(string_header(":message-type", "event"));
  m.payload = std::move(payload);
  return m;
}

TEST(Crc32, KnownVector) {
  EXPECT_EQ(crc32("123456789"), 0xCBF43926u);
  EXPECT_EQ(crc32("56789", crc32("1234")), 0xCBF43926u);
}

// The minimal message from the AWS event-stream test vectors: no headers, no payload.
TEST(EventStream, DecodesAwsEmptyMessageVector) {
  const std::string bytes("\x00\x00\x00\x10\x00\x00\x00\x00\x05\xc2\x48\xeb\x7d\x98\xc8\xff", 16);
  auto m = decode_event_stream_message(bytes);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  EXPECT_TRUE(m->headers.empty());
  EXPECT_TRUE(m->payload.empty());
}

TEST(EventStream, RoundTripsEveryHeaderType) {
  EventStreamMessage m;
  m.headers.push_back({"t", EventHeaderType::kBoolTrue, "", 1});
  m.headers.push_back({"f", EventHeaderType::kBoolFalse, "", 0});
  m.headers.push_back({"b", EventHeaderType::kByte, "", -3});
  m.headers.push_back({"s", EventHeaderType::kShort, "", -300});
  m.headers.push_back({"i", EventHeaderType::kInt, "", 70000});
  m.headers.push_back({"l", EventHeaderType::kLong, "", -5'000'000'000});
  m.headers.push_back({"by", EventHeaderType::kBytes, std::string("\x00\x01", 2), 0});
  m.headers.push_back({"str", EventHeaderType::kString, "hola", 0});
  m.headers.push_back({"ts", EventHeaderType::kTimestamp, "", 1'700'000'000'000});
  m.headers.push_back({"u", EventHeaderType::kUuid, std::string(16, 'x'), 0});
  m.payload = "{\"x\":1}";
  auto decoded = decode_event_stream_message(encode_event_stream_message(m));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  ASSERT_EQ(decoded->headers.size(), m.headers.size());
  for (size_t i = 0; i < m.headers.size(); ++i) {
    EXPECT_EQ(decoded->headers[i].name, m.headers[i].name);
    EXPECT_EQ(decoded->headers[i].type, m.headers[i].type);
    EXPECT_EQ(decoded->headers[i].text, m.headers[i].text);
    EXPECT_EQ(decoded->headers[i].number, m.headers[i].number) << m.headers[i].name;
  }
  EXPECT_EQ(decoded->payload, m.payload);
  EXPECT_EQ(decoded->header("str"), "hola");
}

TEST(EventStream, IncrementalDecoderAcrossArbitrarySplits) {
  const std::string stream = encode_event_stream_message(sample("{\"delta\":{\"text\":\"Ho\"}}")) +
                             encode_event_stream_message(sample("{\"delta\":{\"text\":\"la\"}}"));
  for (size_t step : {1u, 3u, 7u, 1000u}) {
    EventStreamDecoder d;
    std::vector<EventStreamMessage> out;
    for (size_t i = 0; i < stream.size(); i += step) {
      ASSERT_TRUE(d.feed(std::string_view(stream).substr(i, step), out).ok());
    }
    ASSERT_EQ(out.size(), 2u) << "step " << step;
    EXPECT_EQ(out[1].payload, "{\"delta\":{\"text\":\"la\"}}");
    EXPECT_EQ(out[0].header(":event-type"), "contentBlockDelta");
    EXPECT_TRUE(d.idle());
  }
}

TEST(EventStream, BadMessageCrcIsDataLoss) {
  std::string bytes = encode_event_stream_message(sample("{\"a\":1}"));
  bytes[bytes.size() - 6] ^= 0x01;  // flip a payload bit
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  Status s = d.feed(bytes, out);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("message CRC"), std::string::npos);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(d.feed(encode_event_stream_message(sample("{}")), out).ok());  // sticky
}

TEST(EventStream, BadPreludeCrcIsDetectedBeforeWaitingForTheBody) {
  std::string bytes = encode_event_stream_message(sample("{}"));
  bytes[0] = 0x7f;  // absurd length, prelude CRC no longer matches
  EventStreamDecoder d;
  std::vector<EventStreamMessage> out;
  Status s = d.feed(bytes.substr(0, 12), out);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("prelude CRC"), std::string::npos);
}

TEST(EventStream, MalformedHeadersAreRejected) {
  EventStreamMessage m = sample("{}");
  std::string bytes = encode_event_stream_message(m);
  // Re-encode with a header type byte of 42 by hand: patch then fix both CRCs.
  bytes[12 + 1 + 11] = 42;  // after name_len (1) + ":event-type" (11)
  auto put = [&](size_t at, uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes[at + i] = static_cast<char>((v >> (24 - 8 * i)) & 0xFF);
  };
  put(bytes.size() - 4, crc32(std::string_view(bytes).substr(0, bytes.size() - 4)));
  auto decoded = decode_event_stream_message(bytes);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("unknown type"), std::string::npos);
}

TEST(EventStream, TruncatedMessageIsRejected) {
  const std::string bytes = encode_event_stream_message(sample("{}"));
  EXPECT_FALSE(decode_event_stream_message(bytes.substr(0, bytes.size() - 1)).ok());
  EXPECT_FALSE(decode_event_stream_message("short").ok());
}

}  // namespace
}  // namespace atiende::net
