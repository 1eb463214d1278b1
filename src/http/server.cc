#include "http/server_internal.h"

#include <csignal>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "common/log.h"
#include "common/threads.h"
#include "http/errors.h"

namespace atiende::http {

using detail::asio::redirect_error;
using detail::asio::use_awaitable;

Result<ServerOptions> server_options_from_config(const Config& config) {
  ServerOptions o;
  auto get_int = [&](std::string_view key, int64_t fallback, int64_t min,
                     int64_t max) -> Result<int64_t> {
    ATIENDE_ASSIGN_OR_RETURN(int64_t value, config.get_int(key, fallback));
    if (value < min || value > max) {
      return Status::invalid_argument("config " + std::string(key) + " = " +
                                      std::to_string(value) + " is out of range [" +
                                      std::to_string(min) + ", " + std::to_string(max) + "]");
    }
    return value;
  };
  ATIENDE_ASSIGN_OR_RETURN(o.host, config.get_string("http.host", o.host));
  ATIENDE_ASSIGN_OR_RETURN(int64_t port, get_int("http.port", o.port, 0, 65535));
  o.port = static_cast<uint16_t>(port);
  ATIENDE_ASSIGN_OR_RETURN(int64_t io, get_int("http.threads", o.io_threads, 1, 256));
  o.io_threads = static_cast<int>(io);
  ATIENDE_ASSIGN_OR_RETURN(int64_t workers,
                           get_int("http.worker_threads", o.worker_threads, 1, 256));
  o.worker_threads = static_cast<int>(workers);
  ATIENDE_ASSIGN_OR_RETURN(int64_t worker_nice, get_int("http.worker_nice", o.worker_nice, 0, 19));
  o.worker_nice = static_cast<int>(worker_nice);
  ATIENDE_ASSIGN_OR_RETURN(int64_t body, get_int("http.max_body_bytes",
                                                 static_cast<int64_t>(o.max_body_bytes), 1,
                                                 int64_t{1} << 34));
  o.max_body_bytes = static_cast<size_t>(body);
  ATIENDE_ASSIGN_OR_RETURN(int64_t header, get_int("http.max_header_bytes",
                                                   static_cast<int64_t>(o.max_header_bytes), 1024,
                                                   1 << 24));
  o.max_header_bytes = static_cast<size_t>(header);
  ATIENDE_ASSIGN_OR_RETURN(int64_t depth, get_int("http.max_json_depth",
                                                  static_cast<int64_t>(o.max_json_depth), 1, 10000));
  o.max_json_depth = static_cast<size_t>(depth);
  ATIENDE_ASSIGN_OR_RETURN(int64_t request_ms, get_int("http.request_timeout_ms",
                                                       o.request_timeout.count(), 1, 86'400'000));
  o.request_timeout = std::chrono::milliseconds(request_ms);
  ATIENDE_ASSIGN_OR_RETURN(int64_t idle_ms, get_int("http.idle_timeout_ms", o.idle_timeout.count(),
                                                    1, 86'400'000));
  o.idle_timeout = std::chrono::milliseconds(idle_ms);
  ATIENDE_ASSIGN_OR_RETURN(o.rate_limit_rps, config.get_double("http.rate_limit_rps", o.rate_limit_rps));
  ATIENDE_ASSIGN_OR_RETURN(o.rate_limit_burst,
                           config.get_double("http.rate_limit_burst", o.rate_limit_burst));
  ATIENDE_ASSIGN_OR_RETURN(o.rate_limit_loopback,
                           config.get_bool("http.rate_limit_loopback", o.rate_limit_loopback));
  ATIENDE_ASSIGN_OR_RETURN(o.trusted_proxies,
                           config.get_string_list("http.trusted_proxies", o.trusted_proxies));
  if (auto parsed = TrustedProxies::parse(o.trusted_proxies); !parsed.ok()) {
    return parsed.status().with_context("config key 'http.trusted_proxies'");
  }
  ATIENDE_ASSIGN_OR_RETURN(o.cors_origins, config.get_string_list("http.cors_origins", {}));
  ATIENDE_ASSIGN_OR_RETURN(int64_t max_conn,
                           get_int("http.max_connections",
                                   static_cast<int64_t>(o.max_connections), 1, 10'000'000));
  o.max_connections = static_cast<size_t>(max_conn);
  ATIENDE_ASSIGN_OR_RETURN(int64_t keepalive,
                           get_int("http.sse_keepalive_ms", o.sse_keepalive_ms, 0, 86'400'000));
  o.sse_keepalive_ms = static_cast<int>(keepalive);
  ATIENDE_ASSIGN_OR_RETURN(int64_t buffered,
                           get_int("http.stream_max_buffered_bytes",
                                   static_cast<int64_t>(o.stream_max_buffered_bytes), 1024,
                                   int64_t{1} << 34));
  o.stream_max_buffered_bytes = static_cast<size_t>(buffered);
  ATIENDE_ASSIGN_OR_RETURN(int64_t grace, get_int("http.shutdown_grace_ms",
                                                  o.shutdown_grace.count(), 0, 600'000));
  o.shutdown_grace = std::chrono::milliseconds(grace);
  ATIENDE_ASSIGN_OR_RETURN(o.access_log, config.get_bool("http.access_log", o.access_log));
  return o;
}

namespace detail {

void ServerCore::set_up_worker_thread() {
  thread_local bool set_up = false;  // a worker thread serves one server for its whole life
  if (set_up) return;
  set_up = true;
  const int index = workers_set_up.fetch_add(1);
  name_this_thread("worker", index);
  if (!lower_this_thread_priority(options.worker_nice)) {
    spdlog::warn("http: cannot lower the priority of thread worker-{} by {}", index, options.worker_nice);
  }
}

ServerCore::ServerCore(ServerOptions opts)
    : options(std::move(opts)),
      clock(options.clock ? options.clock : &system_clock()),
      random(options.random ? options.random : &system_random()),
      metrics(options.metrics ? options.metrics : &default_metrics()),
      rate_limiter(options.rate_limit_rps, options.rate_limit_burst, *clock),
      open_connections_gauge(&metrics->gauge("atiende_http_open_connections",
                                             "Open HTTP connections")),
      open_streams_gauge(&metrics->gauge("atiende_http_open_streams",
                                         "Open streamed responses (SSE and chunked)")),
      rejected_connections(&metrics->counter("atiende_http_rejected_connections_total",
                                             "Connections closed at once (max_connections)")),
      ioc(std::max(1, options.io_threads)) {}

ServerCore::~ServerCore() = default;

void ServerCore::record_request(const std::string& method, const std::string& route, int status,
                                double seconds) {
  const std::string& label = route.empty() ? std::string("unmatched") : route;
  metrics
      ->counter("atiende_http_requests_total", "HTTP requests by method, route and status",
                {{"method", method}, {"route", label}, {"status", std::to_string(status)}})
      .inc();
  metrics
      ->histogram("atiende_http_request_duration_seconds",
                  "Time from request headers received to response ready (handler included)",
                  default_latency_buckets_seconds(), {{"route", label}})
      .observe(seconds);
}

void ServerCore::register_connection(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(connections_mutex);
  connections[connection.get()] = connection;
}

void ServerCore::unregister_connection(Connection* connection) {
  {
    std::lock_guard lock(connections_mutex);
    connections.erase(connection);
  }
  {
    std::lock_guard lock(lifecycle_mutex);
    connection_count.fetch_sub(1);
  }
  open_connections_gauge->add(-1);
  lifecycle_cv.notify_all();
}

asio::awaitable<void> ServerCore::accept_loop() {
  while (!stopping.load()) {
    tcp::socket socket(asio::make_strand(ioc));
    boost::system::error_code ec;
    co_await acceptor->async_accept(socket, redirect_error(use_awaitable, ec));
    if (ec) {
      if (stopping.load() || ec == asio::error::operation_aborted) break;
      // EMFILE and friends: log and keep accepting (the next accept may succeed).
      spdlog::warn("http: accept failed: {}", ec.message());
      continue;
    }
    if (connection_count.load() >= options.max_connections) {
      rejected_connections->inc();
      socket.close(ec);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    {
      std::lock_guard lock(lifecycle_mutex);
      connection_count.fetch_add(1);
    }
    open_connections_gauge->add(1);
    auto connection = std::make_shared<Connection>(*this, std::move(socket));
    register_connection(connection);
    asio::co_spawn(connection->executor(),
                   [connection]() -> asio::awaitable<void> { co_await connection->run(); },
                   asio::detached);
  }
}

}  // namespace detail

struct Server::Impl : detail::ServerCore {
  explicit Impl(ServerOptions opts) : ServerCore(std::move(opts)) {}
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

Router& Server::router() { return impl_->router; }

uint16_t Server::port() const { return impl_->bound_port.load(); }

std::string Server::url() const {
  const std::string& host = impl_->options.host;
  const bool v6 = host.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port());
}

size_t Server::open_connections() const { return impl_->connection_count.load(); }
size_t Server::open_streams() const { return impl_->stream_count.load(); }

Status Server::start() {
  auto& core = *impl_;
  {
    std::lock_guard lock(core.lifecycle_mutex);
    if (core.started) return Status::failed_precondition("server already started");
  }
  ATIENDE_ASSIGN_OR_RETURN(core.trusted_proxies,
                           TrustedProxies::parse(core.options.trusted_proxies));
  // Built-in routes (kept when the application registered its own).
  MetricsRegistry* metrics = core.metrics;
  (void)core.router.add("GET", "/healthz", [](Request&) -> Result<Response> {
    return Response::text(200, R"({"status":"ok"})", "application/json");
  });
  (void)core.router.add("GET", "/metrics", [metrics](Request&) -> Result<Response> {
    return Response::text(200, metrics->render_prometheus(), "text/plain; version=0.0.4");
  });

  boost::system::error_code ec;
  auto address = detail::asio::ip::make_address(core.options.host, ec);
  if (ec) {
    return Status::invalid_argument("http.host '" + core.options.host +
                                    "' is not an IP address: " + ec.message());
  }
  const detail::tcp::endpoint endpoint(address, core.options.port);
  const std::string where = core.options.host + ":" + std::to_string(core.options.port);
  core.acceptor.emplace(core.ioc);
  core.acceptor->open(endpoint.protocol(), ec);
  if (!ec) core.acceptor->set_option(detail::asio::socket_base::reuse_address(true), ec);
  if (!ec) core.acceptor->bind(endpoint, ec);
  if (!ec) core.acceptor->listen(detail::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    core.acceptor.reset();
    return Status::unavailable("cannot listen on " + where + ": " + ec.message());
  }
  core.bound_port.store(core.acceptor->local_endpoint().port());

  const int worker_count = std::max(1, core.options.worker_threads);
  core.workers = std::make_unique<detail::asio::thread_pool>(static_cast<size_t>(worker_count));
  detail::asio::co_spawn(core.ioc, core.accept_loop(), detail::asio::detached);
  for (int i = 0; i < std::max(1, core.options.io_threads); ++i) {
    core.io_threads.emplace_back([&core, i] {
      name_this_thread("http-io", i);
      try {
        core.ioc.run();
      } catch (const std::exception& e) {
        spdlog::error("http: I/O thread stopped by an exception: {}", e.what());
      }
    });
  }
  {
    std::lock_guard lock(core.lifecycle_mutex);
    core.started = true;
  }
  spdlog::info("http: listening on {}", url());
  return Status::ok_status();
}

void Server::stop() {
  auto& core = *impl_;
  {
    std::unique_lock lock(core.lifecycle_mutex);
    if (!core.started || core.stopped) return;
    if (core.stop_in_progress) {
      core.lifecycle_cv.wait(lock, [&] { return core.stopped; });
      return;
    }
    core.stop_in_progress = true;
  }
  core.stopping.store(true);
  detail::asio::post(core.ioc, [&core] {
    boost::system::error_code ignored;
    if (core.acceptor) core.acceptor->close(ignored);
  });
  // Idle connections close, streams are cancelled, requests in a handler finish (their
  // connection is not reused).
  std::vector<std::shared_ptr<detail::Connection>> live;
  {
    std::lock_guard lock(core.connections_mutex);
    for (auto& [ptr, weak] : core.connections) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) detail::asio::post(c->executor(), [c] { c->on_shutdown(); });
  live.clear();
  {
    std::unique_lock lock(core.lifecycle_mutex);
    core.lifecycle_cv.wait_for(lock, core.options.shutdown_grace,
                               [&] { return core.connection_count.load() == 0; });
  }
  // Handlers still running finish (join waits for them); queued ones are dropped.
  if (core.workers) {
    core.workers->stop();
    core.workers->join();
  }
  core.ioc.stop();
  for (auto& thread : core.io_threads) {
    if (thread.joinable()) thread.join();
  }
  core.io_threads.clear();
  {
    std::lock_guard lock(core.lifecycle_mutex);
    core.stopped = true;
  }
  core.lifecycle_cv.notify_all();
  spdlog::info("http: stopped");
}

void Server::wait() {
  auto& core = *impl_;
  std::unique_lock lock(core.lifecycle_mutex);
  core.lifecycle_cv.wait(lock, [&] { return core.stopped || !core.started; });
}

void Server::run_until_signal() {
  auto& core = *impl_;
  bool signalled = false;
  detail::asio::signal_set signals(core.ioc, SIGINT, SIGTERM);
  signals.async_wait([&core, &signalled](const boost::system::error_code& ec, int) {
    if (ec) return;
    {
      std::lock_guard lock(core.lifecycle_mutex);
      signalled = true;
    }
    core.lifecycle_cv.notify_all();
  });
  {
    std::unique_lock lock(core.lifecycle_mutex);
    core.lifecycle_cv.wait(lock, [&] { return signalled || core.stopped || !core.started; });
  }
  spdlog::info("http: shutting down");
  stop();
}

}  // namespace atiende::http
