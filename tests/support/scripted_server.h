#pragma once
/// A scripted HTTP/1.1 server on 127.0.0.1 for tests: it plays back scripted responses (streamed
/// chunks, statuses, stalls, abrupt closes, malformed frames), records every request it got and
/// notices when a client disconnects. Runs on its own thread; the API is thread-safe.
///
///   ScriptedHttpServer server;                       // listens on 127.0.0.1:<ephemeral>
///   server.enqueue(ScriptedResponse().chunk("data: a\n\n").stall());
///   ... client calls server.base_url() ...
///   EXPECT_TRUE(server.wait_for_disconnects(1, 5s));
///   EXPECT_EQ(server.requests()[0].target, "/v1/chat/completions");

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "net/http_types.h"

namespace atiende::testing {

/// A request as the server received it.
struct RecordedRequest {
  std::string method;
  std::string target;  ///< path and query as sent
  net::Headers headers;
  std::string body;
};

/// A response script: a status and headers, then steps played in order.
class ScriptedResponse {
 public:
  enum class StepKind { kChunk, kRaw, kStall, kClose };
  struct Step {
    StepKind kind;
    std::string bytes;
  };

  /// A complete response with Content-Length.
  static ScriptedResponse full(int status, std::string body, std::string content_type = "application/json");

  ScriptedResponse& status(int code);
  ScriptedResponse& header(std::string name, std::string value);
  /// Streams `bytes` as one chunk of a chunked body (the client sees it as one piece).
  ScriptedResponse& chunk(std::string bytes);
  /// Writes raw bytes on the socket (after the head), bypassing chunked framing.
  ScriptedResponse& raw(std::string bytes);
  /// Holds the connection open, sending nothing, until the client disconnects or the server stops.
  ScriptedResponse& stall();
  /// Closes the connection at this point without finishing the response.
  ScriptedResponse& close();
  /// Holds the request before sending the head (a server that never answers).
  ScriptedResponse& stall_before_head();
  /// Closes the connection as soon as the request is read, answering nothing (a keep-alive
  /// server whose idle timeout fired as the request arrived).
  ScriptedResponse& close_before_head();

  int status_code() const { return status_; }
  const net::Headers& headers() const { return headers_; }
  const std::vector<Step>& steps() const { return steps_; }
  const std::optional<std::string>& full_body() const { return full_body_; }
  bool stalls_before_head() const { return stall_before_head_; }
  bool closes_before_head() const { return close_before_head_; }

 private:
  int status_ = 200;
  net::Headers headers_;
  std::vector<Step> steps_;
  std::optional<std::string> full_body_;
  bool stall_before_head_ = false;
  bool close_before_head_ = false;
};

class ScriptedHttpServer {
 public:
  /// Given a request, a response, or nullopt to use the queue.
  using Handler = std::function<std::optional<ScriptedResponse>(const RecordedRequest&)>;

  ScriptedHttpServer();
  ~ScriptedHttpServer();
  ScriptedHttpServer(const ScriptedHttpServer&) = delete;
  ScriptedHttpServer& operator=(const ScriptedHttpServer&) = delete;

  uint16_t port() const;
  /// "http://127.0.0.1:<port>"
  std::string base_url() const;

  /// Responses are served in FIFO order; with an empty queue the server answers 500 "unscripted".
  void enqueue(ScriptedResponse response);
  /// Consulted first for every request.
  void set_handler(Handler handler);

  std::vector<RecordedRequest> requests() const;
  size_t request_count() const;
  /// Connections the client closed while the server was stalling or writing.
  size_t disconnects() const;
  /// Connections accepted so far (a keep-alive client sends several requests on one).
  size_t connections() const;
  /// Waits (condition variable, no polling) until `count` disconnects were seen.
  bool wait_for_disconnects(size_t count, std::chrono::milliseconds timeout) const;
  /// Waits until `count` requests were received.
  bool wait_for_requests(size_t count, std::chrono::milliseconds timeout) const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace atiende::testing
