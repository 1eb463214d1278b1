#pragma once
/// Outbound HTTP/1.1 client (http and https) with streaming bodies, timeouts, retries with
/// jittered backoff and cancellation. This header is the blocking API and carries no Asio or
/// Beast; the coroutine API for code running on an Asio executor is in net/http_stream.h.
///
/// Keep-alive: a coroutine call (net/http_stream.h) whose response was read to its end, on a
/// connection the server keeps open, leaves that connection idle in a pool of its io_context
/// (ClientOptions::keep_alive_idle); the next call to the same origin from the same io_context
/// takes it instead of connecting (and for https, handshaking) again. A pooled connection the
/// server closed meanwhile is noticed before use, or, when the close races the request, the
/// request is sent again once on a fresh connection (nothing of a response had arrived). The
/// blocking fetch() runs on a private io_context, so its connections are never reused.
///
/// TLS uses the system CA store, SNI and host-name verification. A request is retried (a fresh
/// connection each time) when it failed before any response byte arrived, or got 408/429/5xx,
/// and either its method is idempotent or RetryPolicy::retry_non_idempotent is set. Retry-After
/// (seconds) is honoured up to max_backoff.

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "net/cancel.h"
#include "net/http_types.h"
#include "net/retry.h"

namespace atiende::net {

/// Per-client settings.
struct ClientOptions {
  bool verify_tls = true;        ///< verify the peer certificate chain and host name
  std::string ca_file;           ///< PEM bundle to trust instead of the system store (tests)
  std::string user_agent = "atiende/0.1";
  Random* random = nullptr;      ///< backoff jitter; null means system_random(). Not owned.
  /// How long a finished keep-alive connection may wait idle for the next call; 0 turns reuse
  /// off. Stay under the servers' own idle limits (uvicorn and llama-server close after 5 s).
  std::chrono::milliseconds keep_alive_idle{4'000};
  size_t max_idle_per_origin = 256;  ///< idle connections kept per origin and io_context
};

/// Per-request settings.
struct RequestOptions {
  std::chrono::milliseconds connect_timeout{10'000};  ///< DNS + TCP connect + TLS handshake
  /// Longest wait for the next bytes: the response head, then each body piece ("between tokens").
  std::chrono::milliseconds idle_timeout{60'000};
  std::chrono::milliseconds total_timeout{0};  ///< whole call including retries; 0 = no limit
  size_t max_body_bytes = 64u << 20;           ///< cap for a buffered body (bytes)
  RetryPolicy retry;
};

/// Receives body bytes as they arrive. Return false to cancel: the connection is closed at once
/// and the call ends with a cancelled Status.
using ChunkCallback = std::function<bool(std::string_view chunk)>;

/// Thread-safe: one client may serve many concurrent calls.
class HttpClient {
 public:
  explicit HttpClient(ClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  /// Blocking call on a private io_context. With `on_chunk`, a 2xx/3xx body is streamed to it
  /// and `body` stays empty; error bodies (>= 400) are always buffered into `body` (<= 64 KiB).
  /// Without it the body is buffered up to max_body_bytes. `cancel` may fire from any thread.
  /// Errors: invalid_argument (bad URL), unavailable (connect/reset/TLS), deadline_exceeded,
  /// cancelled, resource_exhausted (body too big). An HTTP error status is NOT an error Status.
  Result<HttpResponse> fetch(const HttpRequest& request, const RequestOptions& options = {},
                             const ChunkCallback& on_chunk = {},
                             const CancellationToken& cancel = CancellationToken());

  /// Internal state shared with net/http_stream.h.
  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace atiende::net
