// HttpClient and HttpStream on Boost.Beast/Asio. The only translation unit of net/ that sees Beast.

#include <utility>  // before Asio (Boost 1.74)

#include "net/draining_read.h"  // before the reads that use it

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <deque>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "net/http_stream.h"
#include "net/url.h"

namespace atiende::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr size_t kErrorBodyMax = 64 * 1024;
/// What HttpStream::release() reads of an unfinished body, at most, to reuse its connection.
constexpr size_t kDrainMaxBytes = 64 * 1024;
constexpr milliseconds kDrainMaxWait{2'000};

namespace {

std::atomic<uint64_t> g_next_client_id{1};

/// A connection to an origin: plain TCP, or TLS over TCP.
struct Connection {
  std::unique_ptr<beast::tcp_stream> tcp;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  Clock::time_point idle_since;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
  explicit operator bool() const { return tcp || tls; }
};

/// Finished keep-alive connections of one io_context, by client and origin. An Asio service, so
/// the connections die with their io_context and are only ever used by the threads running it.
class IdleConnections final : public asio::execution_context::service {
 public:
  static asio::execution_context::id id;
  explicit IdleConnections(asio::execution_context& context) : service(context) {}

  /// Keeps `connection` for the next take() of `origin_key`; drops the oldest beyond `max`, and those idle
  /// longer than `max_idle`.
  void put(const std::string& origin_key, Connection connection, size_t max, Clock::duration max_idle) {
    std::deque<Connection> dropped;  // closed outside the lock
    std::lock_guard lock(mutex_);
    auto& idle = idle_[origin_key];
    const auto now = Clock::now();
    while (!idle.empty() && (idle.size() >= max || now - idle.front().idle_since > max_idle)) {
      dropped.push_back(std::move(idle.front()));
      idle.pop_front();
    }
    if (max == 0) return;
    connection.idle_since = now;
    idle.push_back(std::move(connection));
  }

  /// The most recently used connection of `origin_key` that is still open and idle for at most
  /// `max_idle`, or an empty one. A connection the server closed (or sent anything on, which a
  /// server never does between responses) is dropped.
  Connection take(const std::string& origin_key, Clock::duration max_idle) {
    std::deque<Connection> dropped;
    std::lock_guard lock(mutex_);
    auto found = idle_.find(origin_key);
    if (found == idle_.end()) return {};
    auto& idle = found->second;
    const auto now = Clock::now();
    while (!idle.empty()) {
      Connection c = std::move(idle.back());
      idle.pop_back();
      if (now - c.idle_since > max_idle) {
        dropped.push_back(std::move(c));
        dropped.insert(dropped.end(), std::make_move_iterator(idle.begin()), std::make_move_iterator(idle.end()));
        idle.clear();  // older still
        break;
      }
      char byte;
      const ssize_t n = ::recv(c.lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return c;
      dropped.push_back(std::move(c));
    }
    return {};
  }

 private:
  void shutdown() override {
    std::lock_guard lock(mutex_);
    idle_.clear();
  }

  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<Connection>> idle_;
};

asio::execution_context::id IdleConnections::id;

}  // namespace

struct HttpClient::Impl {
  explicit Impl(ClientOptions o)
      : options(std::move(o)), tls(asio::ssl::context::tls_client), id(g_next_client_id.fetch_add(1)) {
    boost::system::error_code ec;
    tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1,
                    ec);
    if (!options.ca_file.empty()) {
      tls.load_verify_file(options.ca_file, ec);
      if (ec) tls_error = "cannot load CA file '" + options.ca_file + "': " + ec.message();
    } else {
      tls.set_default_verify_paths(ec);
      if (ec) tls_error = "cannot load the system CA store: " + ec.message();
    }
    tls.set_verify_mode(options.verify_tls ? asio::ssl::verify_peer : asio::ssl::verify_none, ec);
  }
  Random& random() { return options.random ? *options.random : system_random(); }

  ClientOptions options;
  asio::ssl::context tls;
  std::string tls_error;
  const uint64_t id;  ///< tells this client's pooled connections from another's
};

HttpClient::HttpClient(ClientOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
HttpClient::~HttpClient() = default;

struct HttpStream::Impl : std::enable_shared_from_this<HttpStream::Impl> {
  Impl(HttpClient::Impl& c, Executor e) : client(c), ex(std::move(e)) {}
  ~Impl() {
    if (cancel_id != 0) cancel.remove(cancel_id);
  }

  HttpClient::Impl& client;
  Executor ex;
  Url url;
  HttpRequest request;
  RequestOptions options;
  CancellationToken cancel;
  uint64_t cancel_id = 0;
  Clock::time_point deadline = Clock::time_point::max();

  std::unique_ptr<beast::tcp_stream> tcp;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  bool reused = false;    ///< the connection came from the idle pool
  bool draining = false;  ///< released: drain_then_pool owns the connection now
  asio::steady_timer* sleeping = nullptr;
  // Body reads are timed by one watchdog per stream (watch_body) instead of Beast's per-operation
  // timer: a token stream reads every few tens of milliseconds, and arming that timer for each
  // read cost a timer start, a cancel and an extra handler per token.
  std::unique_ptr<asio::steady_timer> watchdog;
  bool watching = false;
  bool beast_timer_armed = false;  ///< arm() set an expiry on the stream since the last body read
  bool body_timed_out = false;
  Clock::time_point body_wait_started;
  beast::flat_buffer buffer;
  std::optional<http::response_parser<http::buffer_body>> parser;
  HttpResponse head;
  bool done = false;
  char piece[16 * 1024];

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *tcp; }
  bool connected() const { return tcp || tls; }

  void close_now() {
    if (sleeping) sleeping->cancel();
    if (watchdog) watchdog->cancel();
    watching = false;  // the cancelled watchdog ends; the next body read starts a fresh one
    if (!connected()) return;
    boost::system::error_code ignored;
    lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    lowest().close();
  }
  void reset_connection() {
    close_now();
    tls.reset();
    tcp.reset();
    parser.reset();
    buffer.consume(buffer.size());
  }

  // Sets the expiry of the next operation: `limit`, clipped by the total deadline.
  Status arm(milliseconds limit, const char* what) {
    auto until = Clock::now() + limit;
    if (deadline < until) until = deadline;
    if (until <= Clock::now()) return Status::deadline_exceeded("HTTP total timeout exceeded " + std::string(what));
    lowest().expires_at(until);
    beast_timer_armed = true;
    return Status{};
  }

  Status io_error(const boost::system::error_code& ec, const std::string& what) const {
    if (cancel.cancelled()) return Status::cancelled("HTTP call cancelled " + what);
    if (ec == beast::error::timeout) {
      return Status::deadline_exceeded("HTTP timeout " + what + " (" + url.origin() + ")");
    }
    return Status::unavailable("HTTP error " + what + " (" + url.origin() + "): " + ec.message());
  }

  bool keep_alive_on() const { return client.options.keep_alive_idle.count() > 0; }
  std::string pool_key() const { return std::to_string(client.id) + ' ' + url.origin(); }
  IdleConnections& pool() { return asio::use_service<IdleConnections>(asio::query(ex, asio::execution::context)); }
  /// After the whole response was read: the connection goes to the idle pool when both sides
  /// allow it, else it is closed.
  void keep_or_close();

  /// `may_reuse`: take an idle pooled connection to the origin when there is one.
  Awaitable<Status> connect(bool may_reuse);
  Awaitable<Status> send_and_read_head();
  Awaitable<Result<size_t>> read_piece();
  Awaitable<Status> read_error_body();
  /// Starts watch_body once per connection; Beast's own timer is switched off for body reads.
  void watch_body_reads();
};

namespace {

/// Closes the connection when a body read waits longer than the idle timeout (or past the total
/// deadline). Sleeps until the current wait would expire, so it wakes about once per idle period
/// however many pieces arrive in between.
Awaitable<void> watch_body(std::weak_ptr<HttpStream::Impl> weak) {
  while (true) {
    asio::steady_timer* timer = nullptr;
    {
      auto impl = weak.lock();
      if (!impl || impl->done || !impl->connected()) {
        if (impl) impl->watching = false;
        co_return;
      }
      Clock::time_point due = impl->body_wait_started + impl->options.idle_timeout;
      if (impl->deadline < due) due = impl->deadline;
      if (Clock::now() >= due) {
        impl->watching = false;
        impl->body_timed_out = true;
        impl->close_now();
        co_return;
      }
      timer = impl->watchdog.get();
      timer->expires_at(due);
    }
    boost::system::error_code ec;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec == asio::error::operation_aborted) co_return;  // closed (close_now reset `watching`)
  }
}

}  // namespace

void HttpStream::Impl::watch_body_reads() {
  if (beast_timer_armed) {  // once per response: body reads come by the thousand
    lowest().expires_never();
    beast_timer_armed = false;
  }
  if (watching) return;
  if (!watchdog) watchdog = std::make_unique<asio::steady_timer>(ex);
  watching = true;
  asio::co_spawn(ex, watch_body(weak_from_this()), asio::detached);
}

#define NET_CO_RETURN_IF_ERROR(expr)   \
  do {                                 \
    ::atiende::Status net_s_ = (expr); \
    if (!net_s_.ok()) co_return net_s_; \
  } while (false)

namespace {

template <typename Stream, typename Message>
Awaitable<boost::system::error_code> write_message(Stream& s, Message& m) {
  boost::system::error_code ec;
  co_await http::async_write(s, m, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

template <typename Stream, typename Parser>
Awaitable<boost::system::error_code> read_head(Stream& s, beast::flat_buffer& b, Parser& p) {
  boost::system::error_code ec;
  co_await http::async_read_header(s, b, p, asio::redirect_error(asio::use_awaitable, ec));
  co_return ec;
}

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  asio::ip::make_address(host, ec);
  return !ec;
}

}  // namespace

void HttpStream::Impl::keep_or_close() {
  done = true;
  const bool reusable = keep_alive_on() && connected() && parser && parser->is_done() && parser->keep_alive() &&
                        buffer.size() == 0 && !body_timed_out && !cancel.cancelled();
  if (!reusable) {
    close_now();
    return;
  }
  if (watchdog) watchdog->cancel();
  watching = false;
  if (beast_timer_armed) {
    lowest().expires_never();
    beast_timer_armed = false;
  }
  Connection idle{std::move(tcp), std::move(tls), {}};
  parser.reset();
  pool().put(pool_key(), std::move(idle), client.options.max_idle_per_origin, client.options.keep_alive_idle);
}

Awaitable<Status> HttpStream::Impl::connect(bool may_reuse) {
  if (!client.tls_error.empty() && url.tls()) co_return Status::unavailable(client.tls_error);
  reused = false;
  if (may_reuse && keep_alive_on()) {
    if (Connection idle = pool().take(pool_key(), client.options.keep_alive_idle)) {
      tcp = std::move(idle.tcp);
      tls = std::move(idle.tls);
      reused = true;
      co_return Status{};
    }
  }
  // The endpoints first (an IP literal needs no resolver, whose getaddrinfo runs on a helper
  // thread per call), then one connect that tries them in order.
  boost::system::error_code ec;
  std::vector<tcp::endpoint> endpoints;
  if (const asio::ip::address literal = asio::ip::make_address(url.host, ec); !ec) {
    endpoints.emplace_back(literal, url.port);
  } else {
    ec = {};
    tcp::resolver resolver(ex);
    auto results = co_await resolver.async_resolve(url.host, std::to_string(url.port),
                                                   asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return io_error(ec, "resolving " + url.host);
    if (cancel.cancelled()) co_return Status::cancelled("HTTP call cancelled");
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  tcp = std::make_unique<beast::tcp_stream>(ex);
  NET_CO_RETURN_IF_ERROR(arm(options.connect_timeout, "while connecting"));
  co_await tcp->async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return io_error(ec, "connecting");
  if (!url.tls()) {
    enable_drain_hints(tcp->socket().native_handle());  // best effort (net/draining_read.h)
    co_return Status{};
  }

  tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*tcp), client.tls);
  tcp.reset();
  if (!is_ip_literal(url.host) && !SSL_set_tlsext_host_name(tls->native_handle(), url.host.c_str())) {
    co_return Status::unavailable("TLS: cannot set SNI host name " + url.host);
  }
  if (client.options.verify_tls) tls->set_verify_callback(asio::ssl::host_name_verification(url.host));
  NET_CO_RETURN_IF_ERROR(arm(options.connect_timeout, "during the TLS handshake"));
  co_await tls->async_handshake(asio::ssl::stream_base::client, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) co_return io_error(ec, "in the TLS handshake");
  co_return Status{};
}

Awaitable<Status> HttpStream::Impl::send_and_read_head() {
  http::request<http::string_body> req;
  const http::verb verb = http::string_to_verb(request.method);
  if (verb == http::verb::unknown) {
    req.method_string(request.method);
  } else {
    req.method(verb);
  }
  req.target(url.target());
  req.version(11);
  for (const auto& h : request.headers) req.insert(h.name, h.value);
  if (!find_header(request.headers, "host")) req.set(http::field::host, url.host_header());
  if (!find_header(request.headers, "user-agent")) req.set(http::field::user_agent, client.options.user_agent);
  req.body() = request.body;
  if (!request.body.empty() || verb == http::verb::post || verb == http::verb::put || verb == http::verb::patch) {
    req.content_length(request.body.size());
  }

  boost::system::error_code ec;
  NET_CO_RETURN_IF_ERROR(arm(options.idle_timeout, "while sending"));
  // GCC 12 miscompiles co_await inside ?: — keep these as if/else.
  if (tls) {
    ec = co_await write_message(*tls, req);
  } else {
    ec = co_await write_message(*tcp, req);
  }
  if (ec) co_return io_error(ec, "sending the request");

  parser.emplace();
  // Boost 1.74 compares the length with an empty optional as "exceeded": use a huge limit.
  parser->body_limit(std::numeric_limits<std::uint64_t>::max());
  NET_CO_RETURN_IF_ERROR(arm(options.idle_timeout, "waiting for the response"));
  if (tls) {
    ec = co_await read_head(*tls, buffer, *parser);
  } else {
    ec = co_await read_head(*tcp, buffer, *parser);
  }
  if (ec) co_return io_error(ec, "reading the response head");
  const auto& res = parser->get();
  head.status = static_cast<int>(res.result_int());
  head.headers.clear();
  for (const auto& field : res) {
    head.headers.push_back({std::string(field.name_string()), std::string(field.value())});
  }
  co_return Status{};
}

Awaitable<Result<size_t>> HttpStream::Impl::read_piece() {
  // Beast's parser is driven here directly: what is buffered is parsed in place, eagerly (the end
  // of a chunk, the next chunk's header and its data in one call), and the socket is read only
  // when the parser needs more. http::async_read_some parses one step per call, so a chunked
  // token stream (uvicorn, llama-server) went two or three times through the event loop per token.
  parser->eager(true);
  while (true) {
    if (parser->is_done()) co_return size_t{0};
    boost::system::error_code ec;
    if (buffer.size() > 0) {
      parser->get().body().data = piece;
      parser->get().body().size = sizeof piece;
      const size_t used = parser->put(buffer.data(), ec);
      buffer.consume(used);
      const size_t n = sizeof piece - parser->get().body().size;
      if (ec == http::error::need_buffer) ec = {};  // `piece` is full: hand it out
      if (ec && ec != http::error::need_more) co_return io_error(ec, "reading the response body");
      if (n > 0) co_return n;
      if (used > 0 && !ec && buffer.size() > 0) continue;
    }
    if (parser->is_done()) co_return size_t{0};
    if (deadline <= Clock::now()) {
      co_return Status::deadline_exceeded("HTTP total timeout exceeded waiting for body data");
    }
    body_wait_started = Clock::now();
    watch_body_reads();
    const auto space = buffer.prepare(sizeof piece);
    size_t got = 0;
    // Awaited here, not through a helper coroutine: one coroutine frame less per piece. Plain TCP
    // reads go to the socket itself: Beast's stream timer is off for body reads (watch_body times
    // them), so its per-operation wrapper would only add work per token.
    if (tls) {
      got = co_await tls->async_read_some(space, asio::redirect_error(asio::use_awaitable, ec));
    } else {
      // One recv per arriving token, not two (net/draining_read.h).
      got = co_await tcp->socket().async_read_some(DrainingRead{space},
                                                   asio::redirect_error(asio::use_awaitable, ec));
    }
    buffer.commit(got);
    if (got > 0) continue;
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      // The server closed: the end of a body that runs to EOF, else a truncated one.
      boost::system::error_code at_eof;
      parser->put_eof(at_eof);
      if (!at_eof && parser->is_done()) co_return size_t{0};
      if (at_eof) ec = at_eof;
    }
    if (!ec) continue;
    if (body_timed_out && !cancel.cancelled()) {
      co_return Status::deadline_exceeded("HTTP timeout reading the response body (" + url.origin() + ")");
    }
    co_return io_error(ec, "reading the response body");
  }
}

Awaitable<Status> HttpStream::Impl::read_error_body() {
  while (true) {
    auto n = co_await read_piece();
    if (!n.ok()) co_return n.status();
    if (*n == 0) break;
    if (head.body.size() < kErrorBodyMax) head.body.append(piece, std::min(*n, kErrorBodyMax - head.body.size()));
  }
  done = true;
  co_return Status{};
}

HttpStream::HttpStream(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpStream::~HttpStream() {
  if (impl_) {
    if (impl_->cancel_id != 0) {
      impl_->cancel.remove(impl_->cancel_id);
      impl_->cancel_id = 0;
    }
    if (!impl_->draining) impl_->close_now();
  }
}

const HttpResponse& HttpStream::head() const { return impl_->head; }

void HttpStream::close() {
  impl_->close_now();
  impl_->done = true;
}

namespace {

/// Reads what is left of a released body (bounded in bytes and time), then pools the connection.
Awaitable<void> drain_then_pool(std::shared_ptr<HttpStream::Impl> impl) {
  const auto until = Clock::now() + kDrainMaxWait;
  if (until < impl->deadline) impl->deadline = until;
  size_t budget = kDrainMaxBytes;
  while (true) {
    auto n = co_await impl->read_piece();
    if (!n.ok() || *n > budget) {
      impl->done = true;
      impl->close_now();
      co_return;
    }
    if (*n == 0) break;
    budget -= *n;
  }
  impl->keep_or_close();
}

}  // namespace

void HttpStream::release() {
  Impl& impl = *impl_;
  if (impl.done || !impl.parser) return;
  if (impl.cancel_id != 0) {  // what happens to the turn no longer concerns this connection
    impl.cancel.remove(impl.cancel_id);
    impl.cancel_id = 0;
  }
  if (impl.parser->is_done()) {
    impl.keep_or_close();
    return;
  }
  if (!impl.keep_alive_on() || !impl.parser->keep_alive() || impl.cancel.cancelled()) {
    close();
    return;
  }
  impl.done = true;  // to the caller; the drain reads on through the Impl it shares
  impl.draining = true;
  asio::co_spawn(impl.ex, drain_then_pool(impl_), asio::detached);
}

Awaitable<Result<std::unique_ptr<HttpStream>>> HttpStream::open(HttpClient& client, HttpRequest request,
                                                                RequestOptions options, CancellationToken cancel) {
  auto url = parse_url(request.url);
  if (!url.ok()) co_return url.status();
  auto impl = std::make_shared<Impl>(client.impl(), co_await asio::this_coro::executor);
  impl->url = std::move(url).value();
  impl->request = std::move(request);
  impl->options = options;
  impl->cancel = cancel;
  if (options.total_timeout.count() > 0) impl->deadline = Clock::now() + options.total_timeout;
  // cancel() may come from any thread: hop onto our executor to close the socket.
  std::weak_ptr<Impl> weak = impl;
  impl->cancel_id = cancel.on_cancel([weak, ex = impl->ex] {
    asio::post(ex, [weak] {
      if (auto strong = weak.lock()) strong->close_now();
    });
  });
  auto stream = std::unique_ptr<HttpStream>(new HttpStream(impl));
  if (cancel.cancelled()) co_return Status::cancelled("HTTP call cancelled before it started");

  const RetryPolicy& retry = options.retry;
  const bool may_retry = is_idempotent_method(impl->request.method) || retry.retry_non_idempotent;
  const int attempts = std::max(1, retry.max_attempts);
  for (int attempt = 1;; ++attempt) {
    impl->head.attempts = attempt;
    Status s = co_await impl->connect(/*may_reuse=*/true);
    if (s.ok()) s = co_await impl->send_and_read_head();
    if (!s.ok() && impl->reused && s.code() == StatusCode::kUnavailable && !cancel.cancelled()) {
      // The server closed the idle connection as the request went out: it never saw the
      // request, so send it once more on a new connection (not counted as an attempt).
      impl->reset_connection();
      impl->head = HttpResponse{};
      s = co_await impl->connect(/*may_reuse=*/false);
      if (s.ok()) s = co_await impl->send_and_read_head();
    }
    const bool last = attempt >= attempts || !may_retry;
    if (s.ok()) {
      const int status = impl->head.status;
      if (status < 400) co_return stream;
      const bool retry_status = retry.retry_on_status && is_retryable_status(status);
      if (!retry_status || last) {
        Status body = co_await impl->read_error_body();
        if (!body.ok() && body.code() == StatusCode::kCancelled) co_return body;
        impl->reset_connection();
        co_return stream;
      }
    } else if (s.code() == StatusCode::kCancelled || s.code() == StatusCode::kInvalidArgument || last) {
      co_return s;
    } else if (impl->deadline != Clock::time_point::max() && Clock::now() >= impl->deadline) {
      co_return s;
    }
    // Retry: drop the connection, wait a jittered backoff (or Retry-After), go again.
    milliseconds delay = backoff_delay(retry, attempt, client.impl().random());
    if (s.ok()) {
      if (auto after = find_header(impl->head.headers, "retry-after")) {
        if (auto secs = parse_int64(trim(*after)); secs && *secs >= 0) {
          delay = std::min<milliseconds>(milliseconds(*secs * 1000), retry.max_backoff);
        }
      }
    }
    if (spdlog::should_log(spdlog::level::debug)) {
      spdlog::debug("net: retrying {} {} (attempt {} of {}, status {}, after {} ms): {}", impl->request.method,
                    impl->url.origin(), attempt + 1, attempts, impl->head.status, delay.count(),
                    s.ok() ? "" : s.message());
    }
    impl->reset_connection();
    impl->head = HttpResponse{};
    if (delay.count() > 0) {
      asio::steady_timer timer(impl->ex);
      timer.expires_after(delay);
      impl->sleeping = &timer;
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      impl->sleeping = nullptr;
    }
    if (cancel.cancelled()) co_return Status::cancelled("HTTP call cancelled while waiting to retry");
  }
}

Awaitable<Result<std::optional<std::string_view>>> HttpStream::next() {
  Impl& impl = *impl_;
  if (impl.done || !impl.parser) co_return std::optional<std::string_view>();
  auto n = co_await impl.read_piece();
  if (!n.ok()) {
    impl.done = true;
    impl.close_now();
    co_return n.status();
  }
  if (*n == 0) {
    impl.keep_or_close();
    co_return std::optional<std::string_view>();
  }
  co_return std::optional<std::string_view>(std::string_view(impl.piece, *n));
}

Awaitable<Result<HttpResponse>> async_fetch(HttpClient& client, HttpRequest request, RequestOptions options,
                                            ChunkCallback on_chunk, CancellationToken cancel) {
  auto opened = co_await HttpStream::open(client, std::move(request), options, cancel);
  if (!opened.ok()) co_return opened.status();
  std::unique_ptr<HttpStream> stream = std::move(opened).value();
  HttpResponse response = stream->head();
  if (response.status >= 400) co_return response;
  while (true) {
    auto piece = co_await stream->next();
    if (!piece.ok()) co_return piece.status();
    if (!*piece) break;
    if (on_chunk) {
      if (!on_chunk(**piece)) {
        stream->close();
        co_return Status::cancelled("HTTP call cancelled by the body receiver");
      }
      if (cancel.cancelled()) co_return Status::cancelled("HTTP call cancelled");
      continue;
    }
    if (response.body.size() + (*piece)->size() > options.max_body_bytes) {
      co_return Status::resource_exhausted("HTTP response body exceeds " + std::to_string(options.max_body_bytes) +
                                           " bytes");
    }
    response.body += **piece;
  }
  co_return response;
}

Result<HttpResponse> HttpClient::fetch(const HttpRequest& request, const RequestOptions& options,
                                       const ChunkCallback& on_chunk, const CancellationToken& cancel) {
  asio::io_context ioc;
  Result<HttpResponse> result = Status::internal("HTTP call did not run");
  asio::co_spawn(
      ioc,
      [&]() -> Awaitable<void> { result = co_await async_fetch(*this, request, options, on_chunk, cancel); },
      [&](std::exception_ptr e) {
        if (e) result = Status::internal("HTTP call failed with an exception");
      });
  ioc.run();
  return result;
}

}  // namespace atiende::net
