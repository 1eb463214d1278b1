#pragma once
/// Coroutine API of the HTTP client, for code that runs on an Asio executor (the HTTP server's
/// handlers). Nothing here blocks a thread: every wait is an Asio async operation on the
/// executor of the calling coroutine, so thousands of upstream streams share a few threads.
///
///   auto stream = co_await HttpStream::open(client, request, options, cancel);
///   if (!stream.ok()) ...;
///   while (true) {
///     auto piece = co_await (*stream)->next();     // Result<std::optional<std::string_view>>
///     if (!piece.ok()) ...;                        // timeout, reset, cancelled
///     if (!*piece) break;                          // end of body
///     consume(**piece);
///   }
///
/// Cancellation: CancellationToken::cancel() from any thread closes the connection; the pending
/// operation then ends with a cancelled Status. Destroying the stream also closes it.

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "net/async.h"
#include "net/http_client.h"

namespace atiende::net {

class HttpStream {
 public:
  /// Connects, sends the request and reads the response head, with the retries and timeouts of
  /// `options` (see http_client.h). An HTTP error status (>= 400) after retries is not an error
  /// Status: head().status tells, head().body holds the (bounded) error body, next() ends at once.
  static Awaitable<Result<std::unique_ptr<HttpStream>>> open(HttpClient& client, HttpRequest request,
                                                             RequestOptions options,
                                                             CancellationToken cancel = CancellationToken());
  ~HttpStream();
  HttpStream(const HttpStream&) = delete;
  HttpStream& operator=(const HttpStream&) = delete;

  /// Status and headers (body only for error statuses).
  const HttpResponse& head() const;

  /// The next piece of the body as it arrived (any size >= 1 byte), or nullopt at its end. The
  /// view is valid until the next call to next() or close(), or the stream's destruction (no
  /// copy per piece: a token stream reads thousands of them). The idle timeout applies to each
  /// wait; the total timeout to the whole call.
  Awaitable<Result<std::optional<std::string_view>>> next();

  /// Closes the connection now. Call on the stream's executor.
  void close();

  /// The caller needs no more of the body (e.g. an SSE stream after its last event). What is
  /// left of it (at most 64 KiB, 2 s) is read in the background and the connection then joins
  /// the keep-alive pool (see http_client.h); when the response cannot be reused it is closed
  /// at once, as close() does. next() ends after this. Call on the stream's executor.
  void release();

  struct Impl;

 private:
  explicit HttpStream(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

/// Coroutine form of HttpClient::fetch with the same contract (`on_chunk` runs on the caller's
/// executor; returning false cancels).
Awaitable<Result<HttpResponse>> async_fetch(HttpClient& client, HttpRequest request, RequestOptions options,
                                            ChunkCallback on_chunk = {},
                                            CancellationToken cancel = CancellationToken());

}  // namespace atiende::net
