#pragma once
/// Incremental Server-Sent Events parser (WHATWG "event stream interpretation").
///
/// Feed it the response body in whatever pieces the network delivers; it returns every event
/// completed by those bytes. Frames may be split anywhere (even inside a CRLF). Lines end in
/// CRLF, LF or CR. Comments (":" lines) are keep-alives and are counted, not returned.
/// Multi-line `data:` fields are joined with "\n". The sentinel "[DONE]" is NOT special here:
/// it arrives as an ordinary event with data "[DONE]" and the caller decides.
/// Not thread-safe; one parser per stream.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace atiende::net {

/// One dispatched event.
struct SseEvent {
  std::string event;  ///< the `event:` field; empty means the default "message"
  std::string data;   ///< `data:` lines joined with '\n' (no trailing newline)
  std::string id;     ///< the last event id seen so far in the stream (sticky, per spec)
  std::optional<int64_t> retry_ms;  ///< a `retry:` field in this event, when present
};

/// Limits against a hostile or broken upstream.
struct SseLimits {
  size_t max_line_bytes = 1 << 20;   ///< a single line longer than this is an error
  size_t max_event_bytes = 8 << 20;  ///< accumulated data of one event
};

class SseParser {
 public:
  explicit SseParser(SseLimits limits = {}) : limits_(limits) {}

  /// Consumes `bytes` and appends every completed event to `out`. An error (a limit exceeded)
  /// is sticky: later calls return it again.
  Status feed(std::string_view bytes, std::vector<SseEvent>& out);

  /// Convenience: feed and return the events, or the error.
  Result<std::vector<SseEvent>> feed(std::string_view bytes);

  /// End of stream. Per spec an event without its terminating blank line is dropped; lenient
  /// callers can call this to get it anyway (many servers end with a single "\n").
  std::optional<SseEvent> finish();

  /// Number of comment lines seen (keep-alives).
  size_t comments_seen() const { return comments_; }
  /// The sticky last event id.
  const std::string& last_event_id() const { return last_id_; }

 private:
  void process_line(std::string_view line, std::vector<SseEvent>& out);
  void dispatch(std::vector<SseEvent>& out);

  SseLimits limits_;
  std::string line_;
  bool pending_cr_ = false;  // previous chunk ended in CR: skip a leading LF
  bool bom_checked_ = false;
  std::string data_;
  bool has_data_ = false;
  std::string event_;
  std::optional<int64_t> retry_;
  std::string last_id_;
  size_t comments_ = 0;
  Status error_;
};

}  // namespace atiende::net
