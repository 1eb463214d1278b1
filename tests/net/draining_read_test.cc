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

/// Connects a client socket to a one-shot listener; `peer` receives the server's end.
tcp::socket connected_pair(asio::io_context& ioc, tcp::socket& peer) {
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  tcp::socket client(ioc);
  client.connect(acceptor.local_endpoint());
  peer = acceptor.accept();
  return client;
}

class DrainingReadTest : public ::testing::TestWithParam<bool> {};

TEST_P(DrainingReadTest, AFinThatCameWithTheLastBytesStillEndsTheRead) {
  asio::io_context ioc(1);
  tcp::socket peer(ioc);
  tcp::socket client = connected_pair(ioc, peer);
  if (GetParam()) {
    ASSERT_TRUE(enable_drain_hints(client.native_handle()));
  }
  ReadResult result;
  asio::co_spawn(ioc, read_all(client, result), asio::detached);
  ioc.poll();  // the reader found nothing and now waits for epoll
  // Bytes and FIN arrive together: one epoll event for both, none after.
  asio::write(peer, asio::buffer(std::string("hola, ")));
  asio::write(peer, asio::buffer(std::string("mundo")));
  peer.shutdown(tcp::socket::shutdown_send);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the FIN land
  ioc.run_for(std::chrono::seconds(3));  // a lost EOF would stop only here
  EXPECT_EQ(result.bytes, "hola, mundo");
  EXPECT_TRUE(result.eof);
}

TEST_P(DrainingReadTest, BytesAndFinQueuedBeforeTheFirstReadAreRead) {
  asio::io_context ioc(1);
  tcp::socket peer(ioc);
  tcp::socket client = connected_pair(ioc, peer);
  if (GetParam()) {
    ASSERT_TRUE(enable_drain_hints(client.native_handle()));
  }
  asio::write(peer, asio::buffer(std::string("adiós")));
  peer.shutdown(tcp::socket::shutdown_send);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ReadResult result;
  asio::co_spawn(ioc, read_all(client, result), asio::detached);
  ioc.run_for(std::chrono::seconds(3));
  EXPECT_EQ(result.bytes, "adiós");
  EXPECT_TRUE(result.eof);
}

TEST_P(DrainingReadTest, BytesArrivingWhileTheReaderWaitsAreAllRead) {
  asio::io_context ioc(1);
  tcp::socket peer(ioc);
  tcp::socket client = connected_pair(ioc, peer);
  if (GetParam()) {
    ASSERT_TRUE(enable_drain_hints(client.native_handle()));
  }
  ReadResult result;
  asio::co_spawn(ioc, read_all(client, result), asio::detached);
  std::thread writer([&peer] {
    for (int i = 0; i < 20; ++i) {
      const std::string token = "token " + std::to_string(i) + "\n";
      asio::write(peer, asio::buffer(token));
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
