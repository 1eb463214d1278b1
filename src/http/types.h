#pragma once
/// Plain request/response types of the HTTP facade. Nothing here includes Beast or Asio, so route
/// code (src/app/routes_*.cc) compiles fast and never sees the HTTP library.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace atiende::http {

/// Header fields, in arrival order. Names compare ASCII case-insensitively; values are kept as
/// sent (bytes). Not thread-safe for concurrent mutation.
class Headers {
 public:
  /// The first value of `name`, or std::nullopt. The view lives as long as the field.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  /// Every value of `name` joined with "," in arrival order (RFC 9110 list semantics), or
  /// std::nullopt when there is none.
  std::optional<std::string> get_joined(std::string_view name) const;
  /// Replaces every field called `name` with one field.
  void set(std::string_view name, std::string_view value);
  /// Appends a field (keeps existing fields of the same name).
  void add(std::string_view name, std::string_view value);
  void remove(std::string_view name);
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

/// A cancellation flag shared between the HTTP layer and a producer. The HTTP layer cancels it when
/// the client disconnects, a write fails, the stream buffers too much, or the server shuts down.
/// Thread-safe.
class CancelSignal {
 public:
  virtual ~CancelSignal() = default;
  /// True once cancelled (never goes back to false).
  virtual bool cancelled() const = 0;
  /// Runs `callback` once when cancelled; at once (on the calling thread) when already cancelled.
  /// Callbacks run on an I/O thread: they must be quick and must not block (e.g. set a flag, cancel
  /// an upstream socket).
  virtual void on_cancel(std::function<void()> callback) = 0;
};

/// A cancel signal that only the owner triggers (for tests and for producers that want their own).
class ManualCancelSignal final : public CancelSignal {
 public:
  ManualCancelSignal();
  ~ManualCancelSignal() override;
  bool cancelled() const override;
  void on_cancel(std::function<void()> callback) override;
  /// Cancels and runs the callbacks on this thread. Idempotent.
  void cancel();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

/// One parsed request. Handlers receive it by reference; it lives until the handler returns
/// (copy what a stream producer needs later).
struct Request {
  std::string method;   ///< upper-case, e.g. "GET"
  std::string target;   ///< raw request target, e.g. "/v1/documents?limit=10"
  std::string path;     ///< percent-decoded path without the query, e.g. "/v1/documents/a b"
  std::map<std::string, std::string> path_params;  ///< from the route pattern, percent-decoded
  /// Decoded query parameters in order ('+' means space); repeated names appear repeatedly.
  std::vector<std::pair<std::string, std::string>> query_params;
  Headers headers;
  std::string body;            ///< bytes; at most ServerOptions::max_body_bytes
  /// The client's IP, e.g. "127.0.0.1": the socket's peer, or the address a trusted proxy
  /// (http.trusted_proxies) names in X-Forwarded-For (then `forwarded` is true).
  std::string remote_address;
  std::string peer_address;  ///< the socket's peer IP (the proxy, when forwarded)
  bool forwarded = false;    ///< remote_address came from a trusted proxy's X-Forwarded-For
  std::string request_id;      ///< from a sane X-Request-Id header, else generated ("req_...")
  std::string route;           ///< the matched route pattern, e.g. "/v1/documents/{id}"
  size_t max_json_depth = 64;  ///< limit for parse_json_body (http/json.h)
  /// Cancelled when the server shuts down (and, for streams, see StreamSink). Never null inside a
  /// handler.
  std::shared_ptr<CancelSignal> cancel;

  /// The first query value of `name`, or std::nullopt.
  std::optional<std::string> query(std::string_view name) const;
  /// A path parameter ("" when the route has no such parameter).
  std::string param(std::string_view name) const;
};

/// The write end of a streamed response body (push style). Get one by returning
/// Response::stream(...) from a handler; the HTTP layer calls your start function with it after
/// the status line and headers are sent (chunked transfer encoding).
///
/// Thread-safe: write() and close() may be called from any thread, including after the client
/// left (they then return false / do nothing). Data is buffered and written by the connection's
/// I/O thread in order. The stream ends when close() is called or the sink is cancelled; a sink
/// dropped without close() is closed by its destructor.
class StreamSink : public CancelSignal {
 public:
  /// Queues `data` for sending. Returns false when the stream is closed or cancelled (stop
  /// producing). Buffering more than ServerOptions::stream_max_buffered_bytes (a client that does
  /// not read) cancels the stream.
  virtual bool write(std::string_view data) = 0;
  /// Ends the response after everything queued is sent. Idempotent.
  virtual void close() = 0;
  /// Bytes queued and not yet handed to the socket.
  virtual size_t buffered_bytes() const = 0;
};

/// Called once with the sink, on a worker thread, after the headers are sent. It should return
/// quickly and keep producing from elsewhere (an async upstream call, a timer); a short blocking
/// producer (milliseconds) is acceptable, a long one occupies a worker thread.
using StreamStart = std::function<void(std::shared_ptr<StreamSink> sink)>;

/// Pull style: called repeatedly on the connection's I/O thread; set `chunk` and return true to
/// send it, return false to end the body. Must not block (use StreamStart for data that arrives
/// later).
using StreamNext = std::function<bool(std::string& chunk)>;

/// A response: a complete body, or a stream (push or pull).
struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  StreamStart stream_start;  ///< set for a push stream (body is ignored)
  StreamNext stream_next;    ///< set for a pull stream (body is ignored)
  /// For streams: send an SSE comment (": keep-alive") after this many ms without data; 0 = never,
  /// -1 = ServerOptions::sse_keepalive_ms.
  int keepalive_ms = 0;

  bool is_stream() const { return static_cast<bool>(stream_start) || static_cast<bool>(stream_next); }

  /// `body` with the given Content-Type.
  static Response text(int status, std::string body,
                       std::string_view content_type = "text/plain; charset=utf-8");
  /// A push stream with the given Content-Type.
  static Response stream(StreamStart start, std::string_view content_type);
  /// A pull stream with the given Content-Type.
  static Response pull(StreamNext next, std::string_view content_type);
  /// Server-sent events: Content-Type text/event-stream, no caching, keep-alive comments every
  /// ServerOptions::sse_keepalive_ms (write frames with http/sse.h).
  static Response sse(StreamStart start);
};

/// Handler of a route: returns the response or an error Status. The router's wrapper turns an
/// error Status (or an exception) into `{"error":{"code","message"}}` with the HTTP status from
/// http_status_for() (http/errors.h). Runs on a worker thread; may block briefly (store, search).
using Handler = std::function<Result<Response>(Request& request)>;

}  // namespace atiende::http
