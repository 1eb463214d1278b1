#pragma once
/// Private to src/http: the Beast/Asio machinery behind Server. Never include outside src/http.

#include <utility>  // Boost 1.74's asio/awaitable.hpp misses it

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "common/metrics.h"
#include "http/limits.h"
#include "http/server.h"

namespace atiende::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

class Connection;

/// Shared state of one push stream: the producer side (StreamSink) and the connection side meet
/// here under one mutex. Holds no Asio object, so it may outlive the server (a producer keeping a
/// sink): once detached, writes are refused and nothing is posted.
///
/// Fast path: while the connection waits with nothing queued (`writer_idle`), a producer sends its
/// chunk straight to the socket (`direct_fd`, non-blocking `sendmsg` under `mutex`) with no
/// hand-off to the connection's thread. What the socket does not take is queued and the connection
/// woken to write it. The socket is closed only after detach(), which takes `mutex`, so a producer
/// never writes to a closed (or reused) descriptor.
struct StreamState {
  std::mutex mutex;
  std::string pending;  ///< wire bytes (chunk-framed), not yet handed to the socket
  size_t max_buffered = 0;
  bool closed = false;
  /// Written under `mutex`; read without it by cancelled() (asked for every streamed token).
  std::atomic<bool> cancelled{false};
  bool detached = false;
  bool wake_posted = false;
  bool writer_idle = false;  ///< the connection waits, nothing in flight: producers may send
  int direct_fd = -1;        ///< the connection's socket; -1 = always queue
  size_t payload_bytes = 0;  ///< body bytes accepted (before chunk framing)
  std::chrono::steady_clock::time_point last_write;  ///< last bytes handed to the socket
  std::vector<std::function<void()>> callbacks;
  /// Posts a wake-up to the connection's strand; called under `mutex`, only while not detached.
  std::function<void()> post_wake;

  /// Wakes the connection (if attached and not already woken). Requires `mutex` held.
  void wake_locked();
  /// Marks cancelled, wakes the connection and runs the callbacks on this thread. Idempotent.
  void cancel();
  /// The connection is done with the stream: refuse writes, drop callbacks. Idempotent.
  void detach();
};

/// Everything a Server owns. Connections keep a plain pointer: the server outlives them (stop()
/// drains connections, then the io_context, declared last, destroys what is left).
struct ServerCore {
  explicit ServerCore(ServerOptions opts);
  ~ServerCore();

  ServerOptions options;
  Router router;
  Clock* clock;
  Random* random;
  MetricsRegistry* metrics;
  RateLimiter rate_limiter;
  TrustedProxies trusted_proxies;  ///< parsed from options by Server::start()
  Gauge* open_connections_gauge;
  Gauge* open_streams_gauge;
  Counter* rejected_connections;

  std::atomic<bool> stopping{false};
  std::atomic<size_t> connection_count{0};
  std::atomic<size_t> stream_count{0};
  std::atomic<uint16_t> bound_port{0};

  std::mutex lifecycle_mutex;
  std::condition_variable lifecycle_cv;  ///< connection_count changes, stopped
  bool started = false;
  bool stopped = false;
  bool stop_in_progress = false;

  std::mutex connections_mutex;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections;

  std::vector<std::thread> io_threads;
  std::unique_ptr<asio::thread_pool> workers;
  std::atomic<int> workers_set_up{0};  ///< worker threads named so far

  /// Call first in every task run on `workers`: the first time on each worker thread, names it
  /// worker-N and lowers its priority by http.worker_nice.
  void set_up_worker_thread();
  // Declared last: destroyed first, while everything above is still alive for the handlers and
  // coroutine frames it destroys.
  asio::io_context ioc;
  std::optional<tcp::acceptor> acceptor;

  /// Counts a finished request in the metrics.
  void record_request(const std::string& method, const std::string& route, int status,
                      double seconds);
  asio::awaitable<void> accept_loop();
  void register_connection(const std::shared_ptr<Connection>& connection);
  void unregister_connection(Connection* connection);
};

/// One accepted TCP connection: a coroutine reading requests and writing responses on a strand.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ServerCore& core, tcp::socket socket);
  ~Connection();
  /// Runs until the connection closes.
  asio::awaitable<void> run();
  /// Called (via post to the strand) on server stop: closes an idle connection, cancels a stream.
  void on_shutdown();
  asio::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { kReading, kHandling, kWriting, kStreaming };
  struct Outcome {
    int status = 0;
    size_t bytes = 0;
    bool keep_alive = false;
  };

  asio::awaitable<Outcome> serve_one(Request& request, bool keep_alive);
  asio::awaitable<Outcome> write_response(Request& request, Response& response, bool keep_alive);
  /// Streams `response`; with `keep_alive` (the request allows it) the connection stays open for
  /// the next request when the stream ended normally.
  asio::awaitable<Outcome> write_stream(Request& request, Response& response, bool keep_alive);
  /// While a push stream runs: reads the socket to notice the client leaving (cancels `state`),
  /// keeping what the client sends meanwhile (its next request) in buffer_. Ends on EOF/error, on
  /// stop_watching_ plus stream_.cancel(), or when 64 KiB are kept; then watching_ is false and
  /// watch_done_ fires. All of it runs on the connection's strand.
  asio::awaitable<void> watch_disconnect(std::shared_ptr<StreamState> state);
  asio::awaitable<void> write_simple_error(int status, std::string_view code,
                                           std::string_view message);
  void add_common_headers(const Request& request, Response& response) const;
  double elapsed_seconds() const;  ///< since the current request's headers arrived

  ServerCore& core_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::string remote_;
  Phase phase_ = Phase::kReading;
  std::shared_ptr<StreamState> stream_state_;
  std::shared_ptr<ManualCancelSignal> request_cancel_;
  asio::steady_timer wake_timer_;
  bool watching_ = false;          ///< watch_disconnect runs (or is about to)
  bool stop_watching_ = false;     ///< asks watch_disconnect to end before its next read
  bool peer_closed_ = false;       ///< watch_disconnect saw the client's EOF or an error
  asio::steady_timer watch_done_;  ///< cancelled when watch_disconnect ends
  std::chrono::steady_clock::time_point request_started_;
};

}  // namespace atiende::http::detail
