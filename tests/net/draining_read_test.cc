// DrainingRead on real loopback TCP, with and without the kernel's hint: every byte arrives, and a
// FIN that came with the last bytes still ends the read loop. (The syscalls saved are counted in
// bench/, with perf: docs/PERFORMANCE.md.)

#include <utility>  // before Asio (Boost 1.74)

#include "net/draining_read.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include <chrono>
#include <string>
#include <thread>

namespace atiende::net {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

struct ReadResult {
  std::string bytes;
  int reads = 0;       ///< completed reads with data
  bool eof = false;
};

/// Reads `socket` with DrainingRead until EOF or an error.
asio::awaitable<void> read_all(tcp::socket& socket, ReadResult& result) {
  char data[4096];
  while (true) {
    boost::system::error_code ec;
    const size_t got = co_await socket.async_read_some(DrainingRead{asio::buffer(data)},
                                                       asio::redirect_error(asio::use_awaitable, ec));
    if (got > 0) {
      result.bytes.append(data, got);
      ++result.reads;
    }
    if (ec == asio::error::eof) result.eof = true;
    if (ec) co_return;
  }
}

/// A connected loopback pair: `client` reads with DrainingRead (with the kernel's hint when the
/// parameter is true), `peer` writes.
class DrainingReadTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
    client.connect(acceptor.local_endpoint());
    peer = acceptor.accept();
    if (GetParam()) {
      ASSERT_TRUE(enable_drain_hints(client.native_handle()));
    }
  }

  /// Starts the reader coroutine (it runs when `ioc` does).
  void start_reading() { asio::co_spawn(ioc, read_all(client, result), asio::detached); }

  /// Writes `bytes` and then a FIN from the peer, and waits for them to land.
  void send_and_close(const std::string& bytes) {
    asio::write(peer, asio::buffer(bytes));
    peer.shutdown(tcp::socket::shutdown_send);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }

  asio::io_context ioc{1};
  tcp::socket client{ioc};
  tcp::socket peer{ioc};
  ReadResult result;
};

TEST_P(DrainingReadTest, AFinThatCameWithTheLastBytesStillEndsTheRead) {
  start_reading();
  ioc.poll();  // the reader found nothing and now waits for epoll
  asio::write(peer, asio::buffer(std::string("hola, ")));
  send_and_close("mundo");  // bytes and FIN together: one epoll event for both, none after
  ioc.run_for(std::chrono::seconds(3));  // a lost EOF would stop only here
  EXPECT_EQ(result.bytes, "hola, mundo");
  EXPECT_TRUE(result.eof);
}

TEST_P(DrainingReadTest, BytesAndFinQueuedBeforeTheFirstReadAreRead) {
  send_and_close("adiós");
  start_reading();
  ioc.run_for(std::chrono::seconds(3));
  EXPECT_EQ(result.bytes, "adiós");
  EXPECT_TRUE(result.eof);
}

TEST_P(DrainingReadTest, BytesArrivingWhileTheReaderWaitsAreAllRead) {
  start_reading();
  std::thread writer([this] {
    for (int i = 0; i < 20; ++i) {
      asio::write(peer, asio::buffer("token " + std::to_string(i) + "\n"));
      std::this_thread::sleep_for(std::chrono::milliseconds(i % 3 == 0 ? 0 : 2));
    }
    peer.shutdown(tcp::socket::shutdown_send);
  });
  ioc.run_for(std::chrono::seconds(5));
  writer.join();
  std::string expected;
  for (int i = 0; i < 20; ++i) expected += "token " + std::to_string(i) + "\n";
  EXPECT_EQ(result.bytes, expected);
  EXPECT_TRUE(result.eof);
  EXPECT_GE(result.reads, 1);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutHints, DrainingReadTest, ::testing::Bool());

}  // namespace
}  // namespace atiende::net
