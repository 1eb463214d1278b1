#pragma once
/// Server-sent events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html).
/// Use with Response::sse(): the start function receives a StreamSink; wrap it in an SseWriter.

#include <memory>
#include <string>
#include <string_view>

#include "http/types.h"

namespace atiende::http {

/// One event frame: "event: <event>\n" (omitted when empty), "id: <id>\n" (omitted when empty),
/// one "data: <line>\n" per line of `data` (split on \n, \r\n or \r), then a blank line.
/// Newlines in `event` or `id` are replaced by spaces (they would break framing).
std::string sse_event(std::string_view event, std::string_view data, std::string_view id = {});

/// A comment frame ": <text>\n\n" (clients ignore it; proxies see traffic).
std::string sse_comment(std::string_view text);

/// Writes SSE frames to a sink. Thread-safe as the sink is.
class SseWriter {
 public:
  explicit SseWriter(std::shared_ptr<StreamSink> sink) : sink_(std::move(sink)) {}
  /// False when the stream is closed or cancelled: stop producing.
  bool send(std::string_view event, std::string_view data, std::string_view id = {}) {
    return sink_->write(sse_event(event, data, id));
  }
  bool comment(std::string_view text) { return sink_->write(sse_comment(text)); }
  void close() { sink_->close(); }
  bool cancelled() const { return sink_->cancelled(); }
  StreamSink& sink() { return *sink_; }

 private:
  std::shared_ptr<StreamSink> sink_;
};

}  // namespace atiende::http
