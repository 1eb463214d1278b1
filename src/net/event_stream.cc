#include "net/event_stream.h"

#include "net/crc32.h"

namespace atiende::net {

namespace {

uint32_t read_u32(std::string_view b, size_t at) {
  return (static_cast<uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

uint64_t read_uint(std::string_view b, size_t at, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
  return v;
}

void put_uint(std::string& out, uint64_t v, size_t n) {
  for (size_t i = n; i-- > 0;) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

constexpr size_t kPreludeBytes = 12;
constexpr size_t kMinMessageBytes = 16;

Status parse_headers(std::string_view h, std::vector<EventHeader>& out) {
  size_t i = 0;
  auto need = [&](size_t n) { return i + n <= h.size(); };
  while (i < h.size()) {
    EventHeader header;
    const size_t name_len = static_cast<unsigned char>(h[i++]);
    if (name_len == 0 || !need(name_len + 1)) return Status::data_loss("event-stream header name is truncated");
    header.name = std::string(h.substr(i, name_len));
    i += name_len;
    const uint8_t type = static_cast<uint8_t>(h[i++]);
    if (type > 9) return Status::data_loss("event-stream header '" + header.name + "' has unknown type " +
                                           std::to_string(type));
    header.type = static_cast<EventHeaderType>(type);
    size_t fixed = 0;
    switch (header.type) {
      case EventHeaderType::kBoolTrue: header.number = 1; break;
      case EventHeaderType::kBoolFalse: header.number = 0; break;
      case EventHeaderType::kByte: fixed = 1; break;
      case EventHeaderType::kShort: fixed = 2; break;
      case EventHeaderType::kInt: fixed = 4; break;
      case EventHeaderType::kLong:
      case EventHeaderType::kTimestamp: fixed = 8; break;
      case EventHeaderType::kUuid:
        if (!need(16)) return Status::data_loss("event-stream uuid header is truncated");
        header.text = std::string(h.substr(i, 16));
        i += 16;
        break;
      case EventHeaderType::kBytes:
      case EventHeaderType::kString: {
        if (!need(2)) return Status::data_loss("event-stream header length is truncated");
        const size_t len = read_uint(h, i, 2);
        i += 2;
        if (!need(len)) return Status::data_loss("event-stream header '" + header.name + "' value is truncated");
        header.text = std::string(h.substr(i, len));
        i += len;
        break;
      }
    }
    if (fixed > 0) {
      if (!need(fixed)) return Status::data_loss("event-stream header '" + header.name + "' is truncated");
      const uint64_t raw = read_uint(h, i, fixed);
      // Sign-extend from the field width.
      const int shift = static_cast<int>(64 - 8 * fixed);
      header.number = static_cast<int64_t>(raw << shift) >> shift;
      i += fixed;
    }
    out.push_back(std::move(header));
  }
  return Status{};
}

}  // namespace

std::string_view EventStreamMessage::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name && h.type == EventHeaderType::kString) return h.text;
  }
  return {};
}

Result<EventStreamMessage> decode_event_stream_message(std::string_view bytes) {
  if (bytes.size() < kMinMessageBytes) return Status::data_loss("event-stream message is shorter than 16 bytes");
  const uint32_t total = read_u32(bytes, 0);
  const uint32_t headers_len = read_u32(bytes, 4);
  const uint32_t prelude_crc = read_u32(bytes, 8);
  if (crc32(bytes.substr(0, 8)) != prelude_crc) return Status::data_loss("event-stream prelude CRC mismatch");
  if (total != bytes.size()) return Status::data_loss("event-stream message length does not match its prelude");
  if (static_cast<uint64_t>(headers_len) + kMinMessageBytes > total) {
    return Status::data_loss("event-stream headers length exceeds the message");
  }
  const uint32_t message_crc = read_u32(bytes, total - 4);
  if (crc32(bytes.substr(0, total - 4)) != message_crc) return Status::data_loss("event-stream message CRC mismatch");
  EventStreamMessage msg;
  ATIENDE_RETURN_IF_ERROR(parse_headers(bytes.substr(kPreludeBytes, headers_len), msg.headers));
  msg.payload = std::string(bytes.substr(kPreludeBytes + headers_len, total - kMinMessageBytes - headers_len));
  return msg;
}

Status EventStreamDecoder::feed(std::string_view bytes, std::vector<EventStreamMessage>& out) {
  if (!error_.ok()) return error_;
  buffer_.append(bytes);
  size_t at = 0;
  while (buffer_.size() - at >= kPreludeBytes) {
    std::string_view rest(buffer_.data() + at, buffer_.size() - at);
    const uint32_t total = read_u32(rest, 0);
    // Check the prelude before trusting the length, so garbage cannot make us wait forever.
    if (crc32(rest.substr(0, 8)) != read_u32(rest, 8)) {
      error_ = Status::data_loss("event-stream prelude CRC mismatch");
      return error_;
    }
    if (total < kMinMessageBytes || total > limits_.max_message_bytes) {
      error_ = Status::data_loss("event-stream message length " + std::to_string(total) + " is out of range");
      return error_;
    }
    if (rest.size() < total) break;
    auto msg = decode_event_stream_message(rest.substr(0, total));
    if (!msg.ok()) {
      error_ = msg.error();
      return error_;
    }
    out.push_back(std::move(msg).value());
    at += total;
  }
  buffer_.erase(0, at);
  return Status{};
}

std::string encode_event_stream_message(const EventStreamMessage& message) {
  std::string headers;
  for (const auto& h : message.headers) {
    headers.push_back(static_cast<char>(h.name.size()));
    headers.append(h.name);
    headers.push_back(static_cast<char>(h.type));
    switch (h.type) {
      case EventHeaderType::kBoolTrue:
      case EventHeaderType::kBoolFalse: break;
      case EventHeaderType::kByte: put_uint(headers, static_cast<uint64_t>(h.number), 1); break;
      case EventHeaderType::kShort: put_uint(headers, static_cast<uint64_t>(h.number), 2); break;
      case EventHeaderType::kInt: put_uint(headers, static_cast<uint64_t>(h.number), 4); break;
      case EventHeaderType::kLong:
      case EventHeaderType::kTimestamp: put_uint(headers, static_cast<uint64_t>(h.number), 8); break;
      case EventHeaderType::kUuid: headers.append(h.text.substr(0, 16)); break;
      case EventHeaderType::kBytes:
      case EventHeaderType::kString:
        put_uint(headers, h.text.size(), 2);
        headers.append(h.text);
        break;
    }
  }
  const uint32_t total = static_cast<uint32_t>(kMinMessageBytes + headers.size() + message.payload.size());
  std::string out;
  put_uint(out, total, 4);
  put_uint(out, headers.size(), 4);
  put_uint(out, crc32(out), 4);
  out.append(headers);
  out.append(message.payload);
  put_uint(out, crc32(out), 4);
  return out;
}

EventHeader string_header(std::string name, std::string value) {
  EventHeader h;
  h.name = std::move(name);
  h.type = EventHeaderType::kString;
  h.text = std::move(value);
  return h;
}

}  // namespace atiende::net
