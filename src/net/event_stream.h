#pragma once
/// AWS event-stream binary framing (`application/vnd.amazon.eventstream`), as used by Bedrock
/// ConverseStream: an incremental decoder with CRC-32 checks on the prelude and on the whole
/// message, and an encoder (for test servers and round-trip tests).
///
/// Message layout (all integers big-endian):
///   total_length u32 | headers_length u32 | prelude_crc u32 | headers | payload | message_crc u32
/// Not thread-safe; one decoder per stream.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/status.h"

namespace atiende::net {

/// Header value types of the format (type byte in brackets).
enum class EventHeaderType : uint8_t {
  kBoolTrue = 0, kBoolFalse = 1, kByte = 2, kShort = 3, kInt = 4, kLong = 5,
  kBytes = 6, kString = 7, kTimestamp = 8, kUuid = 9,
};

struct EventHeader {
  std::string name;
  EventHeaderType type = EventHeaderType::kString;
  /// Strings, byte arrays and UUIDs (16 raw bytes) live in `text`; integers, timestamps (ms since
  /// the epoch) and booleans (0/1) in `number`.
  std::string text;
  int64_t number = 0;
};

struct EventStreamMessage {
  std::vector<EventHeader> headers;
  std::string payload;

  /// The string value of a header (e.g. ":event-type"); empty when absent or not a string.
  std::string_view header(std::string_view name) const;
};

/// Size limits against hostile input.
struct EventStreamLimits {
  uint32_t max_message_bytes = 16 << 20;
};

class EventStreamDecoder {
 public:
  explicit EventStreamDecoder(EventStreamLimits limits = {}) : limits_(limits) {}

  /// Consumes bytes and appends every completed message to `out`. Errors (bad CRC, bad lengths,
  /// malformed headers) are data_loss and sticky.
  Status feed(std::string_view bytes, std::vector<EventStreamMessage>& out);

  /// True when no partial message is buffered (a clean end of stream).
  bool idle() const { return buffer_.empty(); }

 private:
  EventStreamLimits limits_;
  std::string buffer_;
  Status error_;
};

/// Decodes exactly one complete message (CRCs checked).
Result<EventStreamMessage> decode_event_stream_message(std::string_view bytes);

/// Encodes a message with correct lengths and CRCs.
std::string encode_event_stream_message(const EventStreamMessage& message);

/// A string-typed header, for building messages.
EventHeader string_header(std::string name, std::string value);

}  // namespace atiende::net
