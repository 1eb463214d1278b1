#pragma once
/// One `recv` per arrival on a stream socket read again and again (a token stream), instead of
/// Boost.Asio 1.74's two.
///
/// Asio's reactor reads a socket "speculatively" when a read starts: after a token has been read
/// and handled, the next read tries `recv` at once, finds the socket empty (EAGAIN), and only then
/// waits for epoll. On a stream of small messages that is one wasted `recv` per message (about
/// 40,000 syscalls a second at 2,000 chats x 20 tokens/s). Asio skips the speculative attempt when
/// the previous read reported the socket "exhausted", but 1.74 reports that only at EOF. Reading
/// into a `DrainingRead` reports it also when `recv` returned less than the buffer could take: the
/// kernel had nothing more queued, so the next read waits for epoll directly. No notification can
/// be lost: new bytes raise a new edge-triggered event, which sets Asio's flag back (both under
/// the descriptor's lock), and the next read then tries `recv` first again.
///
/// Include this header before any Asio header in the translation unit that reads with it, and
/// only for plain sockets on Linux's epoll reactor (Asio 1.74, which has no io_uring backend).
///
///     got = co_await socket.async_read_some(net::DrainingRead{buffer.prepare(n)}, token);

#include <utility>  // before Asio (Boost 1.74)

#include <boost/asio/buffer.hpp>
#include <boost/asio/socket_base.hpp>
#include <boost/asio/detail/reactive_socket_recv_op.hpp>
#include <boost/asio/detail/socket_ops.hpp>
#include <boost/version.hpp>

static_assert(BOOST_VERSION / 100 == 1074,
              "net/draining_read.h specializes a Boost.Asio 1.74 internal; check it against this Boost");

namespace atiende::net {

/// A single mutable buffer, as a buffer sequence of its own type (see the file comment).
struct DrainingRead {
  boost::asio::mutable_buffer buffer;
  const boost::asio::mutable_buffer* begin() const { return &buffer; }
  const boost::asio::mutable_buffer* end() const { return &buffer + 1; }
};

}  // namespace atiende::net

namespace boost::asio::detail {

/// Asio's receive operation for a DrainingRead: the same `recv` as for any single buffer, plus
/// "exhausted" when it drained the socket (fewer bytes than asked for) or met EOF.
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
    if (!socket_ops::non_blocking_recv1(o->socket_, o->buffer_.data(), o->buffer_.size(), o->flags_,
                                        stream, o->ec_, o->bytes_transferred_)) {
      return not_done;  // nothing to read yet: wait for epoll
    }
    if (stream && !o->ec_ && o->bytes_transferred_ < o->buffer_.size()) return done_and_exhausted;
    if (stream && o->bytes_transferred_ == 0) return done_and_exhausted;  // EOF, as Asio does
    return done;
  }

 private:
  socket_type socket_;
  socket_ops::state_type state_;
  boost::asio::mutable_buffer buffer_;
  socket_base::message_flags flags_;
};

}  // namespace boost::asio::detail
