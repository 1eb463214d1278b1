// Streamed responses (chunked transfer encoding): pull generators and push sinks, keep-alive
// comments, and client-disconnect detection that cancels the producer.

#include <utility>  // before Asio (Boost 1.74)

#include <sys/socket.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>

#include "common/log.h"
#include "http/server_internal.h"
#include "http/sse.h"

namespace atiende::http::detail {
namespace {

namespace bhttp = boost::beast::http;
using asio::redirect_error;
using asio::use_awaitable;
using error_code = boost::system::error_code;

/// One non-blocking `sendmsg` of `parts` in order; bytes sent, or -1 with errno set.
ssize_t send_parts(int fd, const std::string_view (&parts)[3]) {
  iovec iov[3];
  for (int i = 0; i < 3; ++i) {
    iov[i].iov_base = const_cast<char*>(parts[i].data());
    iov[i].iov_len = parts[i].size();
  }
  msghdr message{};
  message.msg_iov = iov;
  message.msg_iovlen = 3;
  return ::sendmsg(fd, &message, MSG_DONTWAIT | MSG_NOSIGNAL);
}

/// Appends `parts` to `out`, skipping their first `skip` bytes (already on the socket).
void append_unsent(std::string& out, const std::string_view (&parts)[3], size_t skip) {
  for (const auto part : parts) {
    const size_t drop = std::min(skip, part.size());
    out.append(part.substr(drop));
    skip -= drop;
  }
}

/// Writes the head of a `size`-byte chunk ("<hex size>\r\n") into `head`; returns its length.
size_t format_chunk_head(char (&head)[24], size_t size) {
  return static_cast<size_t>(std::snprintf(head, sizeof head, "%zx\r\n", size));
}

/// `data` as one chunk of a chunked body.
std::string chunk_frame(std::string_view data) {
  char head[24];
  std::string frame(head, format_chunk_head(head, data.size()));
  frame.append(data);
  frame += "\r\n";
  return frame;
}

/// The producer's end of a push stream.
class StreamSinkImpl final : public StreamSink {
 public:
  explicit StreamSinkImpl(std::shared_ptr<StreamState> state) : state_(std::move(state)) {}
  ~StreamSinkImpl() override { close(); }

  bool cancelled() const override { return state_->cancelled.load(std::memory_order_acquire); }

  void on_cancel(std::function<void()> callback) override {
    {
      std::lock_guard lock(state_->mutex);
      if (state_->detached && !state_->cancelled) return;  // ended normally: never cancelled
      if (!state_->cancelled) {
        state_->callbacks.push_back(std::move(callback));
        return;
      }
    }
    callback();
  }

  bool write(std::string_view data) override {
    bool failed = false;
    {
      std::lock_guard lock(state_->mutex);
      if (state_->closed || state_->cancelled || state_->detached) return false;
      if (data.empty()) return true;
      state_->payload_bytes += data.size();
      char head[24];
      const std::string_view parts[3] = {{head, format_chunk_head(head, data.size())}, data, "\r\n"};
      const size_t total = parts[0].size() + data.size() + parts[2].size();
      size_t sent = 0;
      if (state_->writer_idle && state_->pending.empty() && state_->direct_fd >= 0) {
        const ssize_t n = send_parts(state_->direct_fd, parts);
        if (n >= 0) {
          sent = static_cast<size_t>(n);
          state_->last_write = std::chrono::steady_clock::now();
          if (sent == total) return true;
        } else if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
          failed = true;  // the client is gone (EPIPE, ECONNRESET)
        }
      }
      if (!failed && state_->pending.size() + (total - sent) <= state_->max_buffered) {
        append_unsent(state_->pending, parts, sent);
        state_->writer_idle = false;
        state_->wake_locked();
        return true;
      }
    }
    if (!failed) {
      spdlog::warn("http: stream cancelled: client is not reading (over {} bytes buffered)",
                   state_->max_buffered);
    }
    state_->cancel();
    return false;
  }

  void close() override {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) return;
    state_->closed = true;
    state_->wake_locked();
  }

  size_t buffered_bytes() const override {
    std::lock_guard lock(state_->mutex);
    return state_->pending.size();
  }

 private:
  std::shared_ptr<StreamState> state_;
};


/// Detaches the stream state when the coroutine frame goes away (normally or destroyed).
struct DetachGuard {
  std::shared_ptr<StreamState> state;
  ~DetachGuard() { state->detach(); }
};

/// Keeps the open-streams count right whatever way the stream ends.
struct StreamCount {
  ServerCore& core;
  explicit StreamCount(ServerCore& c) : core(c) {
    core.stream_count.fetch_add(1);
    core.open_streams_gauge->add(1);
  }
  ~StreamCount() {
    core.stream_count.fetch_sub(1);
    core.open_streams_gauge->add(-1);
  }
};

}  // namespace

void StreamState::wake_locked() {
  if (detached || wake_posted || !post_wake) return;
  wake_posted = true;
  post_wake();
}

void StreamState::cancel() {
  std::vector<std::function<void()>> to_run;
  {
    std::lock_guard lock(mutex);
    if (cancelled || detached) return;
    cancelled = true;
    to_run.swap(callbacks);
    wake_locked();
  }
  for (auto& callback : to_run) {
    try {
      callback();
    } catch (const std::exception& e) {
      spdlog::error("http: stream cancel callback threw: {}", e.what());
    }
  }
}

void StreamState::detach() {
  std::vector<std::function<void()>> dropped;
  std::function<void()> dropped_wake;
  {
    std::lock_guard lock(mutex);
    detached = true;
    dropped.swap(callbacks);
    dropped_wake.swap(post_wake);
  }
  // Destroyed here, outside the lock: a callback may own the sink, whose destructor locks.
}

Connection::Connection(ServerCore& core, tcp::socket socket)
    : core_(core),
      stream_(std::move(socket)),
      wake_timer_(stream_.get_executor()),
      watch_done_(stream_.get_executor()) {
  error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  if (!ec) remote_ = endpoint.address().to_string();
}

asio::awaitable<void> Connection::watch_disconnect(std::shared_ptr<StreamState> state) {
  auto self = shared_from_this();
  constexpr size_t kMaxEarlyBytes = 64 * 1024;
  while (!stop_watching_ && buffer_.size() < kMaxEarlyBytes) {
    error_code ec;
    const size_t n = co_await stream_.async_read_some(
        buffer_.prepare(std::min<size_t>(4096, kMaxEarlyBytes - buffer_.size())), redirect_error(use_awaitable, ec));
    buffer_.commit(n);  // the client's next request, sent before this answer ended: kept
    if (ec) {
      if (ec != asio::error::operation_aborted) {
        // EOF or reset: the client left. (After a normal end the state is detached: no-op.)
        peer_closed_ = true;
        state->cancel();
      }
      break;
    }
  }
  watching_ = false;
  watch_done_.cancel();
}

asio::awaitable<Connection::Outcome> Connection::write_stream(Request& request,
                                                              Response& response, bool keep_alive) {
  phase_ = Phase::kStreaming;
  StreamCount count(core_);
  Outcome outcome;
  outcome.status = response.status;
  outcome.keep_alive = false;  // set once the stream ended normally

  bhttp::response<bhttp::empty_body> res{static_cast<bhttp::status>(response.status), 11};
  for (const auto& [name, value] : response.headers.fields()) res.insert(name, value);
  res.keep_alive(keep_alive);
  res.chunked(true);
  bhttp::response_serializer<bhttp::empty_body> serializer{res};
  core_.record_request(request.method, request.route, response.status, elapsed_seconds());
  error_code ec;
  stream_.expires_after(core_.options.request_timeout);
  co_await bhttp::async_write_header(stream_, serializer, redirect_error(use_awaitable, ec));
  stream_.expires_never();
  if (ec) co_return outcome;

  auto write_chunk = [this](std::string_view data, error_code& error) -> asio::awaitable<void> {
    co_await asio::async_write(stream_, bhttp::make_chunk(asio::buffer(data.data(), data.size())),
                               redirect_error(use_awaitable, error));
  };

  if (response.stream_next) {
    // Pull: the generator never blocks, so the loop simply alternates next() and write.
    std::string chunk;
    while (!core_.stopping.load()) {
      chunk.clear();
      bool more = false;
      try {
        more = response.stream_next(chunk);
      } catch (const std::exception& e) {
        spdlog::error("request {}: stream generator threw: {}", request.request_id, e.what());
        co_return outcome;  // no terminating chunk: the client sees a truncated body
      }
      if (!more) break;
      if (chunk.empty()) continue;
      outcome.bytes += chunk.size();
      co_await write_chunk(chunk, ec);
      if (ec) co_return outcome;
    }
    co_await asio::async_write(stream_, bhttp::make_chunk_last(), redirect_error(use_awaitable, ec));
    outcome.keep_alive = keep_alive && !ec && !core_.stopping.load();
    co_return outcome;
  }

  // Push: the producer sends from any thread, straight to the socket while we are idle, else into
  // StreamState::pending, waking us through the strand (see StreamState).
  auto state = std::make_shared<StreamState>();
  state->max_buffered = core_.options.stream_max_buffered_bytes;
  state->direct_fd = stream_.socket().native_handle();
  state->last_write = std::chrono::steady_clock::now();
  {
    std::weak_ptr<Connection> weak = shared_from_this();
    auto executor = stream_.get_executor();
    std::weak_ptr<StreamState> weak_state = state;
    state->post_wake = [weak, executor, weak_state] {
      asio::post(executor, [weak, weak_state] {
        if (auto s = weak_state.lock()) {
          std::lock_guard lock(s->mutex);
          s->wake_posted = false;
        }
        if (auto connection = weak.lock()) connection->wake_timer_.cancel();
      });
    };
  }
  stream_state_ = state;
  DetachGuard guard{state};
  watching_ = true;  // set here, not in the watcher: the stream may end before it first runs
  stop_watching_ = false;
  peer_closed_ = false;
  asio::co_spawn(stream_.get_executor(), watch_disconnect(state), asio::detached);

  {
    std::shared_ptr<StreamSink> sink = std::make_shared<StreamSinkImpl>(state);
    asio::post(*core_.workers,
               [this, start = std::move(response.stream_start), sink = std::move(sink),
                id = request.request_id]() mutable {
                 core_.set_up_worker_thread();
                 try {
                   start(sink);
                 } catch (const std::exception& e) {
                   spdlog::error("request {}: stream start threw: {}", id, e.what());
                   sink->close();
                 }
               });
  }

  const int keepalive_ms =
      response.keepalive_ms < 0 ? core_.options.sse_keepalive_ms : response.keepalive_ms;
  const auto keepalive = std::chrono::milliseconds(keepalive_ms);
  const std::string keepalive_frame = chunk_frame(sse_comment("keep-alive"));
  std::string out;
  bool ended_normally = false;
  while (true) {
    bool closed = false;
    bool cancelled = false;
    std::chrono::steady_clock::time_point last_write;
    out.clear();
    {
      std::lock_guard lock(state->mutex);
      out.swap(state->pending);
      closed = state->closed;
      cancelled = state->cancelled;
      // Nothing to write and more may come: producers may send straight to the socket.
      state->writer_idle = out.empty() && !closed && !cancelled;
      if (!out.empty()) state->last_write = std::chrono::steady_clock::now();
      last_write = state->last_write;
    }
    if (cancelled) break;
    if (!out.empty()) {
      co_await asio::async_write(stream_, asio::buffer(out), redirect_error(use_awaitable, ec));
      if (ec) {
        state->cancel();
        break;
      }
      continue;
    }
    if (closed) {
      co_await asio::async_write(stream_, bhttp::make_chunk_last(),
                                 redirect_error(use_awaitable, ec));
      ended_normally = !ec;
      break;
    }
    if (keepalive_ms > 0 && std::chrono::steady_clock::now() >= last_write + keepalive) {
      // Quiet for a whole interval: queue a comment frame for the next round to write.
      std::lock_guard lock(state->mutex);
      state->writer_idle = false;
      state->pending += keepalive_frame;
      continue;
    }
    // Wait for a wake-up (queued bytes, close, cancel) or the next keep-alive deadline. Chunks a
    // producer sends directly do not wake us.
    if (keepalive_ms > 0) {
      wake_timer_.expires_at(last_write + keepalive);
    } else {
      wake_timer_.expires_after(std::chrono::hours(24));
    }
    error_code wait_ec;
    co_await wake_timer_.async_wait(redirect_error(use_awaitable, wait_ec));
  }
  {
    std::lock_guard lock(state->mutex);
    outcome.bytes = state->payload_bytes;
  }
  state->detach();
  stream_state_.reset();
  if (keep_alive && ended_normally && !core_.stopping.load()) {
    // Stop the watcher (one read at a time on the socket) before reading the next request.
    stop_watching_ = true;
    if (watching_) {
      stream_.cancel();
      watch_done_.expires_at(std::chrono::steady_clock::time_point::max());
      error_code ignored;
      co_await watch_done_.async_wait(redirect_error(use_awaitable, ignored));
    }
    outcome.keep_alive = !peer_closed_ && !core_.stopping.load();
  }
  co_return outcome;
}

}  // namespace atiende::http::detail
