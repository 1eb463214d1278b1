#pragma once
/// One `recv` per arrival on a stream socket read again and again (a token stream), instead of
/// Boost.Asio 1.74's two.
///
/// Asio's reactor reads a socket "speculatively" when a read starts: after a token has been read
/// and handled, the next read tries `recv` at once, finds the socket empty (EAGAIN), and only then
/// waits for epoll. On a stream of small messages that is one wasted `recv` per message (about
/// 40,000 syscalls a second at 2,000 chats x 20 tokens/s). Asio skips the speculative attempt when
/// the previous read reported the socket "exhausted", but 1.74 reports that only at EOF.
///
/// A read into a `DrainingRead` also reports it when the kernel says nothing is left: on a socket
/// where `enable_drain_hints` turned on TCP_INQ, each read returns how many bytes are still
/// queued, and a FIN already received counts as one (a short read alone is not enough: a FIN that
/// came with the last bytes raises no new epoll event, and the reader would wait forever for an
/// EOF that already arrived). Without the hint (not enabled, not TCP) it behaves as Asio does. No
/// notification can be lost: bytes arriving later raise a new edge-triggered event, which sets
/// Asio's flag back (both under the descriptor's lock), and the next read then tries first again.
///
/// Include this header before any Asio header in the translation unit that reads with it. Plain
/// sockets on Linux's epoll reactor only (Asio 1.74 has no io_uring backend).
///
///     enable_drain_hints(socket.native_handle());  // once, after connect
///     got = co_await socket.async_read_some(net::DrainingRead{buffer.prepare(n)}, token);

#include <utility>  // before Asio (Boost 1.74)

#include <boost/asio/buffer.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/detail/reactive_socket_recv_op.hpp>
#include <boost/asio/detail/socket_ops.hpp>
#include <boost/version.hpp>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

static_assert(BOOST_VERSION / 100 == 1074,
              "net/draining_read.h specializes a Boost.Asio 1.74 internal; check it against this Boost");

namespace atiende::net {

/// A single mutable buffer, as a buffer sequence of its own type (see the file comment).
struct DrainingRead {
  boost::asio::mutable_buffer buffer;
  const boost::asio::mutable_buffer* begin() const { return &buffer; }
  const boost::asio::mutable_buffer* end() const { return &buffer + 1; }
};

/// Asks the kernel to report, with each read of TCP socket `fd`, how many bytes remain queued
/// (TCP_INQ, Linux 4.18+). False if it refused (reads then behave as Asio's own).
inline bool enable_drain_hints(int fd) {
  const int on = 1;
  return setsockopt(fd, IPPROTO_TCP, TCP_INQ, &on, sizeof on) == 0;
}

}  // namespace atiende::net

namespace boost::asio::detail {

/// Asio's receive operation for a DrainingRead: Asio's single-buffer `recv` (as recvmsg, to get
/// the TCP_INQ hint), reporting "exhausted" when nothing is left queued, or at EOF.
template <>
class reactive_socket_recv_op_base<atiende::net::DrainingRead> : public reactor_op {
 public:
  reactive_socket_recv_op_base(const boost::system::error_code& success_ec, socket_type socket,
                               socket_ops::state_type state, const atiende::net::DrainingRead& buffers,
                               socket_base::message_flags flags, func_type complete_func)
      : reactor_op(success_ec, &reactive_socket_recv_op_base::do_perform, complete_func),
        socket_(socket),
        state_(state),
        buffer_(buffers.buffer),
        flags_(flags) {}

  static status do_perform(reactor_op* base) {
    auto* o = static_cast<reactive_socket_recv_op_base*>(base);
    const bool stream = (o->state_ & socket_ops::stream_oriented) != 0;
    iovec iov{o->buffer_.data(), o->buffer_.size()};
    alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))];
    while (true) {
      msghdr message{};
      message.msg_iov = &iov;
      message.msg_iovlen = 1;
      message.msg_control = control;
      message.msg_controllen = sizeof control;
      const ssize_t n = ::recvmsg(o->socket_, &message, o->flags_);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) return not_done;  // wait for epoll
        o->ec_ = boost::system::error_code(errno, boost::asio::error::get_system_category());
        o->bytes_transferred_ = 0;
        return done;
      }
      if (stream && n == 0) {
        o->ec_ = boost::asio::error::eof;
        return done_and_exhausted;  // as Asio does
      }
      o->ec_ = boost::system::error_code();
      o->bytes_transferred_ = static_cast<size_t>(n);
      for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
        if (c->cmsg_level == IPPROTO_TCP && c->cmsg_type == TCP_CM_INQ) {
          int queued = 0;
          std::memcpy(&queued, CMSG_DATA(c), sizeof queued);
          return queued == 0 ? done_and_exhausted : done;  // a received FIN counts as 1
        }
      }
      return done;  // no hint: the next read tries first, as Asio's own does
    }
  }

 private:
  socket_type socket_;
  socket_ops::state_type state_;
  boost::asio::mutable_buffer buffer_;
  socket_base::message_flags flags_;
};

}  // namespace boost::asio::detail
