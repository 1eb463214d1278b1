// One HTTP/1.1 connection: read a request, run its handler on the worker pool, write the response
// (complete, pull-streamed or push-streamed), repeat while keep-alive.

#include <utility>  // before Asio (Boost 1.74)

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"
#include "http/errors.h"
#include "http/server_internal.h"

namespace atiende::http::detail {
namespace {

namespace bhttp = boost::beast::http;
using asio::redirect_error;
using asio::use_awaitable;
using error_code = boost::system::error_code;

/// Runs `fn` on `pool` and resumes the awaiting coroutine on its own executor with the result.
template <typename Fn>
asio::awaitable<std::invoke_result_t<Fn>> run_on(asio::thread_pool& pool, Fn fn) {
  using R = std::invoke_result_t<Fn>;
  co_return co_await asio::async_initiate<decltype(use_awaitable), void(R)>(
      [&pool, fn = std::move(fn)](auto handler) mutable {
        auto ex = asio::get_associated_executor(handler);
        asio::post(pool, [fn = std::move(fn), handler = std::move(handler), ex]() mutable {
          R result = fn();
          asio::post(ex, [handler = std::move(handler), result = std::move(result)]() mutable {
            std::move(handler)(std::move(result));
          });
        });
      },
      use_awaitable);
}

std::string_view to_std(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_' || c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

bool is_http_parse_error(const error_code& ec) {
  return &ec.category() == &bhttp::make_error_code(bhttp::error::bad_method).category() &&
         ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
}

template <typename Message>
void copy_headers(const Headers& headers, Message& message) {
  for (const auto& [name, value] : headers.fields()) message.insert(name, value);
}

}  // namespace

double Connection::elapsed_seconds() const {
  return std::chrono::duration<double>(core_.clock->steady_now() - request_started_).count();
}

Connection::~Connection() {
  if (stream_state_) stream_state_->detach();
  core_.unregister_connection(this);
}

void Connection::on_shutdown() {
  switch (phase_) {
    case Phase::kReading:
      stream_.cancel();
      break;
    case Phase::kHandling:
    case Phase::kWriting:
      if (request_cancel_) request_cancel_->cancel();
      break;
    case Phase::kStreaming:
      if (request_cancel_) request_cancel_->cancel();
      if (stream_state_) {
        stream_state_->cancel();
      } else {
        stream_.cancel();
      }
      break;
  }
}

asio::awaitable<void> Connection::write_simple_error(int status, std::string_view code,
                                                     std::string_view message) {
  Response response = error_response(status, code, message);
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(status), 11};
  copy_headers(response.headers, res);
  res.keep_alive(false);
  res.body() = std::move(response.body);
  res.prepare_payload();
  core_.record_request("-", "unmatched", status, 0);
  error_code ec;
  stream_.expires_after(std::chrono::seconds(5));
  co_await bhttp::async_write(stream_, res, redirect_error(use_awaitable, ec));
  // Let the client read the error before the close: stop sending, then drain what it still sends
  // (closing with unread input would reset the connection and lose the response).
  if (!ec) {
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    char sink[4096];
    size_t drained = 0;
    while (!ec && drained < (16u << 20)) {
      drained += co_await stream_.async_read_some(asio::buffer(sink), redirect_error(use_awaitable, ec));
    }
  }
}

asio::awaitable<void> Connection::run() {
  auto self = shared_from_this();
  const ServerOptions& options = core_.options;
  bool keep_alive = true;
  bool first = true;
  while (keep_alive && !core_.stopping.load()) {
    phase_ = Phase::kReading;
    bhttp::request_parser<bhttp::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(options.max_header_bytes));
    parser.body_limit(options.max_body_bytes);
    stream_.expires_after(first ? options.request_timeout : options.idle_timeout);
    first = false;
    error_code ec;
    co_await bhttp::async_read_header(stream_, buffer_, parser, redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == bhttp::error::header_limit) {
        co_await write_simple_error(431, "header_too_large",
                                    "request headers exceed " +
                                        std::to_string(options.max_header_bytes) + " bytes");
      } else if (ec == bhttp::error::body_limit) {  // Content-Length over the limit
        co_await write_simple_error(413, "payload_too_large",
                                    "request body exceeds the limit of " +
                                        std::to_string(options.max_body_bytes) + " bytes");
      } else if (is_http_parse_error(ec)) {
        co_await write_simple_error(400, "bad_request", "malformed HTTP request: " + ec.message());
      }
      break;
    }
    request_started_ = core_.clock->steady_now();
    if (auto length = parser.content_length(); length && *length > options.max_body_bytes) {
      co_await write_simple_error(413, "payload_too_large",
                                  "request body of " + std::to_string(*length) +
                                      " bytes exceeds the limit of " +
                                      std::to_string(options.max_body_bytes) + " bytes");
      break;
    }
    if (auto expect = parser.get()[bhttp::field::expect];
        !expect.empty() && iequals_ascii(to_std(expect), "100-continue")) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      co_await asio::async_write(stream_, asio::buffer(kContinue.data(), kContinue.size()),
                                 redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    stream_.expires_after(options.request_timeout);
    co_await bhttp::async_read(stream_, buffer_, parser, redirect_error(use_awaitable, ec));
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        co_await write_simple_error(413, "payload_too_large",
                                    "request body exceeds the limit of " +
                                        std::to_string(options.max_body_bytes) + " bytes");
      } else if (is_http_parse_error(ec)) {
        co_await write_simple_error(400, "bad_request", "malformed HTTP request: " + ec.message());
      }
      break;
    }
    stream_.expires_never();

    auto& message = parser.get();
    Request request;
    request.method = std::string(to_std(message.method_string()));
    request.target = std::string(to_std(message.target()));
    std::string_view target = request.target;
    std::string_view raw_path = target.substr(0, target.find('?'));
    request.path = percent_decode(raw_path);
    if (auto q = target.find('?'); q != std::string_view::npos) {
      request.query_params = parse_query(target.substr(q + 1));
    }
    for (const auto& field : message) request.headers.add(to_std(field.name_string()), to_std(field.value()));
    request.body = std::move(message.body());
    request.peer_address = remote_;
    const std::optional<std::string> forwarded_for = request.headers.get_joined("X-Forwarded-For");
    ClientAddress client = client_address(
        remote_, forwarded_for ? std::optional<std::string_view>(*forwarded_for) : std::nullopt,
        core_.trusted_proxies);
    request.remote_address = std::move(client.address);
    request.forwarded = client.forwarded;
    request.max_json_depth = options.max_json_depth;
    auto incoming_id = request.headers.get("X-Request-Id");
    request.request_id = incoming_id && sane_request_id(*incoming_id) ? std::string(*incoming_id)
                                                                      : new_id(*core_.random, "req");

    Outcome outcome = co_await serve_one(request, message.keep_alive());
    const double seconds = elapsed_seconds();
    if (options.access_log && spdlog::should_log(spdlog::level::info)) {
      // A route with parameters is logged by its pattern: session ids, which let whoever holds
      // one talk as that customer, stay out of the log (the request id links to the rest).
      const bool has_params = request.route.find('{') != std::string::npos;
      spdlog::info("http {} {} {} {} {}B {:.2f}ms {}", request.request_id, request.method,
                   has_params ? request.route : request.path, outcome.status, outcome.bytes,
                   seconds * 1000, request.remote_address);
    }
    keep_alive = outcome.keep_alive;
  }
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.close();
}

void Connection::add_common_headers(const Request& request, Response& response) const {
  response.headers.set("X-Request-Id", request.request_id);
  // Browser hardening for the web chat and admin pages (harmless on JSON): no MIME sniffing, no
  // Referer (a "?token=" demo URL must not leak to other sites), scripts and connections only
  // from this origin, and framing only by this origin or the http.cors_origins sites that embed
  // the chat through /widget.js.
  response.headers.set("X-Content-Type-Options", "nosniff");
  response.headers.set("Referrer-Policy", "no-referrer");
  std::string ancestors = "'self'";
  for (const auto& allowed : core_.options.cors_origins) {
    if (allowed.find_first_of("; ,'\t\r\n") == std::string::npos) ancestors += " " + allowed;
  }
  response.headers.set("Content-Security-Policy",
                       "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
                           ancestors);
  if (!core_.options.cors_origins.empty()) {
    auto origin = request.headers.get("Origin");
    if (origin) {
      if (auto allowed = cors_allowed_origin(*origin, core_.options.cors_origins)) {
        response.headers.set("Access-Control-Allow-Origin", *allowed);
        response.headers.set("Access-Control-Expose-Headers", "X-Request-Id");
      }
      response.headers.add("Vary", "Origin");
    }
  }
}

asio::awaitable<Connection::Outcome> Connection::serve_one(Request& request, bool keep_alive) {
  phase_ = Phase::kHandling;
  request_cancel_ = std::make_shared<ManualCancelSignal>();
  request.cancel = request_cancel_;
  Response response;
  const auto origin = request.headers.get("Origin");
  const auto preflight_method = request.headers.get("Access-Control-Request-Method");
  if (request.method == "OPTIONS" && origin && preflight_method) {
    response.status = 204;
    if (cors_allowed_origin(*origin, core_.options.cors_origins)) {
      response.headers.set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
      auto asked = request.headers.get("Access-Control-Request-Headers");
      response.headers.set("Access-Control-Allow-Headers",
                           asked ? *asked : "Content-Type, Authorization, X-Request-Id");
      response.headers.set("Access-Control-Max-Age", "600");
    }
    request.route = "cors_preflight";
  } else if (core_.rate_limiter.enabled() && request.path != "/healthz" &&
             request.path != "/metrics" &&
             (core_.options.rate_limit_loopback || !is_loopback_address(request.remote_address)) &&
             !core_.rate_limiter.allow(request.remote_address)) {
    response = error_response(429, "rate_limited", "too many requests from this client; retry later");
    response.headers.set("Retry-After", "1");
    request.route = "rate_limited";
  } else {
    const Router& router = core_.router;
    response = co_await run_on(*core_.workers, [this, &router, &request] {
      core_.set_up_worker_thread();
      return router.handle(request);
    });
  }
  add_common_headers(request, response);
  if (response.is_stream() && request.method != "HEAD") {
    co_return co_await write_stream(request, response, keep_alive && !core_.stopping.load());
  }
  co_return co_await write_response(request, response, keep_alive && !core_.stopping.load());
}

asio::awaitable<Connection::Outcome> Connection::write_response(Request& request,
                                                                Response& response,
                                                                bool keep_alive) {
  phase_ = Phase::kWriting;
  Outcome outcome;
  outcome.status = response.status;
  bhttp::response<bhttp::string_body> res{static_cast<bhttp::status>(response.status), 11};
  copy_headers(response.headers, res);
  res.keep_alive(keep_alive);
  if (request.method == "HEAD") {
    res.content_length(response.body.size());
  } else {
    outcome.bytes = response.body.size();
    res.body() = std::move(response.body);
    res.prepare_payload();
  }
  // Counted before the write, so a client that saw the response also sees it in /metrics.
  core_.record_request(request.method, request.route, response.status, elapsed_seconds());
  error_code ec;
  stream_.expires_after(core_.options.request_timeout);
  co_await bhttp::async_write(stream_, res, redirect_error(use_awaitable, ec));
  stream_.expires_never();
  outcome.keep_alive = keep_alive && !ec;
  co_return outcome;
}

}  // namespace atiende::http::detail
