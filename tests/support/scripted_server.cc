#include <utility>  // before Asio (Boost 1.74)

#include "support/scripted_server.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace atiende::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

ScriptedResponse ScriptedResponse::full(int status, std::string body, std::string content_type) {
  ScriptedResponse r;
  r.status_ = status;
  r.headers_.push_back({"Content-Type", std::move(content_type)});
  r.full_body_ = std::move(body);
  return r;
}
ScriptedResponse& ScriptedResponse::status(int code) { status_ = code; return *this; }
ScriptedResponse& ScriptedResponse::header(std::string name, std::string value) {
  headers_.push_back({std::move(name), std::move(value)});
  return *this;
}
ScriptedResponse& ScriptedResponse::chunk(std::string bytes) {
  steps_.push_back({StepKind::kChunk, std::move(bytes)});
  return *this;
}
ScriptedResponse& ScriptedResponse::raw(std::string bytes) {
  steps_.push_back({StepKind::kRaw, std::move(bytes)});
  return *this;
}
ScriptedResponse& ScriptedResponse::stall() {
  steps_.push_back({StepKind::kStall, ""});
  return *this;
}
ScriptedResponse& ScriptedResponse::close() {
  steps_.push_back({StepKind::kClose, ""});
  return *this;
}
ScriptedResponse& ScriptedResponse::stall_before_head() {
  stall_before_head_ = true;
  return *this;
}
ScriptedResponse& ScriptedResponse::close_before_head() {
  close_before_head_ = true;
  return *this;
}

struct ScriptedHttpServer::Impl {
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread thread;
  uint16_t port = 0;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::deque<ScriptedResponse> queue;
  Handler handler;
  std::vector<RecordedRequest> requests;
  size_t disconnects = 0;
  size_t connections = 0;

  void note_disconnect() {
    {
      std::lock_guard lock(mutex);
      ++disconnects;
    }
    changed.notify_all();
  }

  ScriptedResponse next_response(const RecordedRequest& req) {
    Handler h;
    {
      std::lock_guard lock(mutex);
      requests.push_back(req);
      h = handler;
    }
    changed.notify_all();
    if (h) {
      if (auto r = h(req)) return *r;
    }
    std::lock_guard lock(mutex);
    if (queue.empty()) return ScriptedResponse::full(500, "{\"error\":{\"message\":\"unscripted request\"}}");
    ScriptedResponse r = std::move(queue.front());
    queue.pop_front();
    return r;
  }

  // Waits until the peer closes (or the server stops). True when the peer closed.
  asio::awaitable<bool> hold(tcp::socket& socket) {
    char byte;
    boost::system::error_code ec;
    while (true) {
      co_await socket.async_read_some(asio::buffer(&byte, 1), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return ec != asio::error::operation_aborted;
    }
  }

  asio::awaitable<bool> write_all(tcp::socket& socket, const std::string& bytes) {
    boost::system::error_code ec;
    co_await asio::async_write(socket, asio::buffer(bytes), asio::redirect_error(asio::use_awaitable, ec));
    co_return !ec;
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::flat_buffer buffer;
    while (true) {
      http::request<http::string_body> req;
      boost::system::error_code ec;
      co_await http::async_read(socket, buffer, req, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      RecordedRequest rec;
      rec.method = std::string(req.method_string());
      rec.target = std::string(req.target());
      for (const auto& f : req) rec.headers.push_back({std::string(f.name_string()), std::string(f.value())});
      rec.body = req.body();
      ScriptedResponse response = next_response(rec);
      if (response.closes_before_head()) {
        boost::system::error_code ignored;
        socket.shutdown(tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        co_return;
      }
      if (response.stalls_before_head()) {
        if (co_await hold(socket)) note_disconnect();
        co_return;
      }
      std::ostringstream head;
      head << "HTTP/1.1 " << response.status_code() << " "
           << http::obsolete_reason(static_cast<http::status>(response.status_code())) << "\r\n";
      for (const auto& h : response.headers()) head << h.name << ": " << h.value << "\r\n";
      const bool streamed = !response.full_body().has_value();
      if (streamed) {
        head << "Transfer-Encoding: chunked\r\n\r\n";
      } else {
        head << "Content-Length: " << response.full_body()->size() << "\r\n\r\n" << *response.full_body();
      }
      if (!co_await write_all(socket, head.str())) {
        note_disconnect();
        co_return;
      }
      bool closed = false;
      for (const auto& step : response.steps()) {
        switch (step.kind) {
          case ScriptedResponse::StepKind::kChunk: {
            std::ostringstream c;
            c << std::hex << step.bytes.size() << "\r\n" << step.bytes << "\r\n";
            if (step.bytes.empty()) break;  // an empty chunk would end the body
            if (!co_await write_all(socket, c.str())) {
              note_disconnect();
              co_return;
            }
            break;
          }
          case ScriptedResponse::StepKind::kRaw:
            if (!co_await write_all(socket, step.bytes)) {
              note_disconnect();
              co_return;
            }
            break;
          case ScriptedResponse::StepKind::kStall:
            if (co_await hold(socket)) note_disconnect();
            co_return;
          case ScriptedResponse::StepKind::kClose: {
            boost::system::error_code ignored;
            socket.shutdown(tcp::socket::shutdown_both, ignored);
            socket.close(ignored);
            closed = true;
            break;
          }
        }
        if (closed) co_return;
      }
      if (streamed && !co_await write_all(socket, "0\r\n\r\n")) {
        note_disconnect();
        co_return;
      }
    }
  }

  asio::awaitable<void> accept_loop() {
    while (true) {
      boost::system::error_code ec;
      tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      {
        std::lock_guard lock(mutex);
        ++connections;
      }
      asio::co_spawn(ioc, session(std::move(socket)), asio::detached);
    }
  }
};

ScriptedHttpServer::ScriptedHttpServer() : impl_(std::make_unique<Impl>()) {
  tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(endpoint.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(endpoint);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->ioc, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->ioc.run(); });
}

ScriptedHttpServer::~ScriptedHttpServer() {
  impl_->ioc.stop();
  impl_->thread.join();
}

uint16_t ScriptedHttpServer::port() const { return impl_->port; }
std::string ScriptedHttpServer::base_url() const { return "http://127.0.0.1:" + std::to_string(impl_->port); }

void ScriptedHttpServer::enqueue(ScriptedResponse response) {
  std::lock_guard lock(impl_->mutex);
  impl_->queue.push_back(std::move(response));
}

void ScriptedHttpServer::set_handler(Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->handler = std::move(handler);
}

std::vector<RecordedRequest> ScriptedHttpServer::requests() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests;
}

size_t ScriptedHttpServer::request_count() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->requests.size();
}

size_t ScriptedHttpServer::disconnects() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->disconnects;
}

size_t ScriptedHttpServer::connections() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->connections;
}

bool ScriptedHttpServer::wait_for_disconnects(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->disconnects >= count; });
}

bool ScriptedHttpServer::wait_for_requests(size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(impl_->mutex);
  return impl_->changed.wait_for(lock, timeout, [&] { return impl_->requests.size() >= count; });
}

}  // namespace atiende::testing
