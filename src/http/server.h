#pragma once
/// The HTTP/1.1 server facade (Boost.Beast + Asio coroutines inside; none of it leaks here).
///
/// Threads: `io_threads` run all socket I/O (every connection is a coroutine on a strand; idle
/// keep-alive connections and open streams cost memory, not threads); `worker_threads` run route
/// handlers and stream start functions. The thread count is fixed at start(): thousands of
/// concurrent SSE streams run on these few threads.
///
/// Built in: request ids (X-Request-Id), access log (no bodies, no query strings), limits (body,
/// header, JSON depth, request read timeout, idle timeout, per-IP token-bucket rate limit,
/// connection cap), CORS allowlist, `GET /healthz`, `GET /metrics` (Prometheus text from a
/// MetricsRegistry, plus request counts by route and status, a latency histogram and gauges for
/// open connections and streams), graceful shutdown.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/config.h"
#include "common/metrics.h"
#include "common/status.h"
#include "http/router.h"

namespace atiende::http {

struct ServerOptions {
  std::string host = "127.0.0.1";  ///< http.host; IPv4 or IPv6 literal
  uint16_t port = 8080;            ///< http.port; 0 picks a free port (see Server::port())
  int io_threads = 2;              ///< http.threads
  int worker_threads = 4;          ///< http.worker_threads
  /// http.worker_nice (0..19): the worker threads' priority is lowered by this much, so per-turn
  /// work (handlers, retrieval, store writes) yields the CPUs to the I/O threads that relay
  /// streamed tokens when both want them. 0 keeps one priority for all threads.
  int worker_nice = 10;
  size_t max_body_bytes = 8 * 1024 * 1024;  ///< http.max_body_bytes; larger bodies get 413
  size_t max_header_bytes = 16 * 1024;      ///< http.max_header_bytes; larger headers get 431
  size_t max_json_depth = 64;               ///< http.max_json_depth (Request::max_json_depth)
  /// http.request_timeout_ms: reading one request (headers + body) must finish within this.
  std::chrono::milliseconds request_timeout{30'000};
  /// http.idle_timeout_ms: a keep-alive connection with no new request is closed after this.
  std::chrono::milliseconds idle_timeout{60'000};
  /// http.rate_limit_rps / http.rate_limit_burst: token bucket per client IP (see
  /// trusted_proxies); rps <= 0 disables. Exempt: /healthz, /metrics and, unless
  /// rate_limit_loopback, clients on this machine (127.0.0.0/8, ::1).
  double rate_limit_rps = 20;
  double rate_limit_burst = 60;
  bool rate_limit_loopback = false;  ///< http.rate_limit_loopback: limit local clients too
  /// http.trusted_proxies: IPs or CIDR networks whose X-Forwarded-For names the client (for rate
  /// limiting, the access log and Request::forwarded). Default: this machine's loopback, where a
  /// same-host reverse proxy connects from. Empty: the socket's peer is always the client.
  std::vector<std::string> trusted_proxies = {"127.0.0.1", "::1"};
  /// http.cors_origins: allowed Origins ("*" allows any). Empty: no CORS headers.
  std::vector<std::string> cors_origins;
  size_t max_connections = 10'000;  ///< http.max_connections; beyond it new connections close
  int sse_keepalive_ms = 15'000;    ///< http.sse_keepalive_ms (Response::sse streams)
  /// http.stream_max_buffered_bytes: a stream whose client does not read more than this is cancelled.
  size_t stream_max_buffered_bytes = 4 * 1024 * 1024;
  /// http.shutdown_grace_ms: on stop(), in-flight requests get this long before sockets close.
  std::chrono::milliseconds shutdown_grace{5'000};
  bool access_log = true;  ///< http.access_log: one info line per request

  Clock* clock = nullptr;              ///< rate limiting and latencies; null = system_clock()
  Random* random = nullptr;            ///< request ids; null = system_random()
  MetricsRegistry* metrics = nullptr;  ///< null = default_metrics()
};

/// Reads the http.* keys listed on ServerOptions; errors name the key.
Result<ServerOptions> server_options_from_config(const Config& config);

/// One server. Create, fill router(), start(), then wait() or run_until_signal().
class Server {
 public:
  explicit Server(ServerOptions options);
  ~Server();  ///< stops the server if running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Routes and static assets; modify only before start(). /healthz and /metrics are added by
  /// start() unless already registered.
  Router& router();

  /// Binds, listens and starts the threads. Errors: bad host, port in use (names the address),
  /// a trusted_proxies entry that is not an IP or CIDR network.
  Status start();
  /// The bound port (useful with port 0). 0 before start().
  uint16_t port() const;
  /// "http://host:port".
  std::string url() const;

  /// Graceful stop: stops accepting, cancels open streams (their producers see the cancel), lets
  /// in-flight requests finish for up to shutdown_grace, then closes everything and joins the
  /// threads. Idempotent; callable from any thread except the server's own.
  void stop();
  /// Blocks until stop() completes (from another thread or a signal).
  void wait();
  /// Installs SIGINT/SIGTERM handlers that call stop(), then waits. For `atiende serve`.
  void run_until_signal();

  /// Open connections and open streams right now (for tests and the concurrency bench).
  size_t open_connections() const;
  size_t open_streams() const;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace atiende::http
