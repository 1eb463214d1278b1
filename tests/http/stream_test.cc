// Streamed responses on the real server: SSE arrives incrementally, a client disconnect cancels
// the producer, thousands of idle streams need no extra threads, shutdown cancels streams.

#include <gtest/gtest.h>

#include <dirent.h>

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "http/server.h"
#include "http/sse.h"
#include "http/test_client.h"

namespace atiende::http {
namespace {

using atiende::testing::TestClient;
constexpr auto kWait = std::chrono::seconds(20);

/// Collects the sinks of started streams, in start order, for the test thread to drive.
class SinkBox {
 public:
  void put(std::shared_ptr<StreamSink> sink) {
    {
      std::lock_guard lock(mutex_);
      sinks_.push_back(std::move(sink));
    }
    cv_.notify_all();
  }
  /// Waits until `count` sinks arrived; false on timeout.
  bool wait_for(size_t count) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, kWait, [&] { return sinks_.size() >= count; });
  }
  std::shared_ptr<StreamSink> at(size_t i) {
    std::lock_guard lock(mutex_);
    return sinks_.at(i);
  }
  std::vector<std::shared_ptr<StreamSink>> all() {
    std::lock_guard lock(mutex_);
    return sinks_;
  }
  void clear() {
    std::lock_guard lock(mutex_);
    sinks_.clear();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<StreamSink>> sinks_;
};

size_t thread_count() {
  size_t count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* entry = readdir(dir)) {
      if (entry->d_name[0] != '.') ++count;
    }
    closedir(dir);
  }
  return count;
}

/// Polls `predicate` until true or the deadline (for counters updated on server threads).
template <typename Predicate>
bool eventually(Predicate predicate) {
  const auto deadline = std::chrono::steady_clock::now() + kWait;
  while (std::chrono::steady_clock::now() < deadline) {
    if (predicate()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling, not ordering
  }
  return predicate();
}

class StreamTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.metrics = &metrics_;
    options.access_log = false;
    server_ = std::make_unique<Server>(options);
    ASSERT_TRUE(server_->router()
                    .add("POST", "/v1/stream",
                         [this](Request&) -> Result<Response> {
                           return Response::sse([this](std::shared_ptr<StreamSink> sink) {
                             box_.put(std::move(sink));
                           });
                         })
                    .ok());
    ASSERT_TRUE(server_->router()
                    .add("GET", "/v1/quiet",
                         [](Request&) -> Result<Response> {
                           Response response = Response::stream(
                               [](std::shared_ptr<StreamSink> sink) {
                                 // Keep the sink open (never write): only keep-alives flow.
                                 static std::vector<std::shared_ptr<StreamSink>> held;
                                 static std::mutex mutex;
                                 std::lock_guard lock(mutex);
                                 held.push_back(std::move(sink));
                               },
                               "text/event-stream");
                           response.keepalive_ms = 20;
                           return response;
                         })
                    .ok());
    ASSERT_TRUE(server_->router()
                    .add("GET", "/v1/pull",
                         [](Request&) -> Result<Response> {
                           auto n = std::make_shared<int>(0);
                           return Response::pull(
                               [n](std::string& chunk) {
                                 if (*n == 3) return false;
                                 chunk = "part" + std::to_string((*n)++) + ";";
                                 return true;
                               },
                               "text/plain");
                         })
                    .ok());
    ASSERT_TRUE(server_->start().ok());
    port_ = server_->port();
  }

  void TearDown() override {
    if (server_) server_->stop();
  }

  MetricsRegistry metrics_;
  std::unique_ptr<Server> server_;
  SinkBox box_;
  uint16_t port_ = 0;
};

TEST_F(StreamTest, SseArrivesIncrementally) {
  start();
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}");
  auto head = client.read_header();
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.header("content-type").rfind("text/event-stream", 0), 0u);
  EXPECT_EQ(head.header("cache-control"), "no-cache");
  EXPECT_EQ(head.header("transfer-encoding"), "chunked");
  ASSERT_TRUE(box_.wait_for(1));
  SseWriter writer(box_.at(0));
  ASSERT_TRUE(writer.send("token", "Hola"));
  // The first event is readable while the producer has not produced the second one yet.
  EXPECT_EQ(client.read_until("\n\n"), "event: token\ndata: Hola\n\n");
  EXPECT_FALSE(client.stream_done());
  EXPECT_EQ(server_->open_streams(), 1u);
  ASSERT_TRUE(writer.send("done", "{\"ok\":true}"));
  writer.close();
  EXPECT_EQ(client.read_until("never-appears"), "event: done\ndata: {\"ok\":true}\n\n");
  EXPECT_TRUE(client.stream_done());
  EXPECT_TRUE(eventually([&] { return server_->open_streams() == 0; }));
  EXPECT_FALSE(writer.send("late", "x"));  // closed: the producer learns to stop
}

TEST_F(StreamTest, ConnectionStaysOpenAfterAStreamForTheNextRequest) {
  start();
  TestClient client(port_);
  for (int round = 0; round < 2; ++round) {
    client.send("POST", "/v1/stream", "{}");
    auto head = client.read_header();
    EXPECT_EQ(head.header("connection"), "");  // HTTP/1.1: keep-alive unless "close"
    ASSERT_TRUE(box_.wait_for(round + 1));
    SseWriter writer(box_.at(round));
    ASSERT_TRUE(writer.send("done", std::to_string(round)));
    writer.close();
    EXPECT_EQ(client.read_until("never-appears"), "event: done\ndata: " + std::to_string(round) + "\n\n");
    EXPECT_TRUE(client.stream_done());
  }
  auto pulled = client.request("GET", "/v1/pull");  // and a plain response after them
  EXPECT_EQ(pulled.body, "part0;part1;part2;");
  EXPECT_EQ(server_->open_connections(), 1u);
}

TEST_F(StreamTest, RequestSentWhileAStreamRunsIsAnsweredAfterIt) {
  start();
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}");
  client.read_header();
  ASSERT_TRUE(box_.wait_for(1));
  SseWriter writer(box_.at(0));
  ASSERT_TRUE(writer.send("token", "a"));
  EXPECT_EQ(client.read_until("\n\n"), "event: token\ndata: a\n\n");
  client.send("GET", "/v1/pull");  // pipelined: the stream has not ended
  ASSERT_TRUE(eventually([&] { return server_->open_streams() == 1; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));  // let the watcher read it early
  ASSERT_TRUE(writer.send("done", "{}"));
  writer.close();
  client.read_until("never-appears");
  ASSERT_TRUE(client.stream_done());
  auto pulled = client.read_header();  // the pipelined request's answer follows on the socket
  EXPECT_EQ(pulled.status, 200);
  EXPECT_EQ(client.read_until("never-appears"), "part0;part1;part2;");
}

TEST_F(StreamTest, StreamForAConnectionCloseRequestEndsTheConnection) {
  start();
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}", {{"Connection", "close"}});
  auto head = client.read_header();
  EXPECT_EQ(head.header("connection"), "close");
  ASSERT_TRUE(box_.wait_for(1));
  SseWriter writer(box_.at(0));
  writer.close();
  client.read_until("never-appears");
  EXPECT_TRUE(client.stream_done());
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(StreamTest, ClientDisconnectCancelsTheProducer) {
  start();
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}");
  client.read_header();
  ASSERT_TRUE(box_.wait_for(1));
  auto sink = box_.at(0);
  std::promise<void> cancelled;
  sink->on_cancel([&cancelled] { cancelled.set_value(); });
  ASSERT_TRUE(sink->write(sse_event("token", "a")));
  client.read_until("\n\n");
  client.close();
  ASSERT_EQ(cancelled.get_future().wait_for(kWait), std::future_status::ready);
  EXPECT_TRUE(sink->cancelled());
  EXPECT_FALSE(sink->write(sse_event("token", "b")));
  EXPECT_TRUE(eventually([&] { return server_->open_streams() == 0; }));
  EXPECT_TRUE(eventually([&] { return server_->open_connections() == 0; }));
}

TEST_F(StreamTest, KeepAliveCommentsFlowWhileIdle) {
  start();
  TestClient client(port_);
  client.send("GET", "/v1/quiet");
  client.read_header();
  EXPECT_NE(client.read_until(": keep-alive\n\n").find(": keep-alive\n\n"), std::string::npos);
}

TEST_F(StreamTest, PullGeneratorStreamsAllChunks) {
  start();
  TestClient client(port_);
  auto response = client.request("GET", "/v1/pull");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "part0;part1;part2;");
}

TEST_F(StreamTest, ManyIdleStreamsOnTwoIoThreadsNeedNoExtraThreads) {
  start();
  constexpr size_t kStreams = 300;
  const size_t threads_before = thread_count();
  std::vector<std::unique_ptr<TestClient>> clients;
  for (size_t i = 0; i < kStreams; ++i) {
    clients.push_back(std::make_unique<TestClient>(port_));
    clients.back()->send("POST", "/v1/stream", "{}");
  }
  for (auto& client : clients) EXPECT_EQ(client->read_header().status, 200);
  ASSERT_TRUE(box_.wait_for(kStreams));
  EXPECT_EQ(server_->open_streams(), kStreams);
  EXPECT_EQ(thread_count(), threads_before);  // no thread per connection or stream
  for (auto& sink : box_.all()) ASSERT_TRUE(sink->write(sse_event("token", "hola")));
  for (auto& client : clients) EXPECT_EQ(client->read_until("\n\n"), "event: token\ndata: hola\n\n");
  for (auto& sink : box_.all()) sink->close();
  for (auto& client : clients) {
    client->read_until("never-appears");
    EXPECT_TRUE(client->stream_done());
  }
  EXPECT_TRUE(eventually([&] { return server_->open_streams() == 0; }));
}

TEST_F(StreamTest, ClientThatDoesNotReadGetsCancelled) {
  ServerOptions options;
  options.stream_max_buffered_bytes = 64 * 1024;
  start(options);
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}");
  client.read_header();
  ASSERT_TRUE(box_.wait_for(1));
  auto sink = box_.at(0);
  const std::string block(16 * 1024, 'x');
  size_t written = 0;
  while (written < (512u << 20) && sink->write(block)) written += block.size();
  EXPECT_TRUE(sink->cancelled());
  EXPECT_LT(written, 512u << 20);
}

// Producers send straight to the socket while the connection is idle and queue once the socket
// is full (the client reads nothing until both threads are done): every frame still arrives, whole
// and in each producer's order, and the stream ends cleanly.
TEST_F(StreamTest, BurstsBeyondTheSocketBufferFromTwoThreadsArriveWholeAndInOrder) {
  ServerOptions options;
  options.stream_max_buffered_bytes = 64u << 20;
  start(options);
  TestClient client(port_, kWait, /*receive_buffer_bytes=*/4096);
  client.send("POST", "/v1/stream", "{}");
  client.read_header();
  ASSERT_TRUE(box_.wait_for(1));
  auto sink = box_.at(0);
  // 2 x 3000 x ~1 KB = 6 MB: more than the server's send buffer grows to (tcp_wmem max 4 MB).
  constexpr int kFrames = 3000;
  const std::string padding(1000, 'p');
  auto produce = [&](char name) {
    for (int i = 0; i < kFrames; ++i) {
      ASSERT_TRUE(sink->write(sse_event("t", std::string(1, name) + std::to_string(i) + padding)));
    }
  };
  std::thread a(produce, 'a');
  std::thread b(produce, 'b');
  a.join();
  b.join();
  sink->close();
  const std::string body = client.read_until("never-appears");
  EXPECT_TRUE(client.stream_done());
  int next_a = 0;
  int next_b = 0;
  size_t at = 0;
  while (at < body.size()) {
    const size_t end = body.find("\n\n", at);
    ASSERT_NE(end, std::string::npos) << "truncated frame at byte " << at;
    const std::string frame = body.substr(at, end - at);
    at = end + 2;
    ASSERT_EQ(frame.rfind("event: t\ndata: ", 0), 0u) << frame.substr(0, 40);
    const std::string data = frame.substr(15);
    ASSERT_EQ(data.size() - data.find('p'), padding.size()) << data.substr(0, 20);
    const int number = std::stoi(data.substr(1));
    int& expected = data[0] == 'a' ? next_a : next_b;
    ASSERT_EQ(number, expected) << "frame out of order from producer " << data[0];
    ++expected;
  }
  EXPECT_EQ(next_a, kFrames);
  EXPECT_EQ(next_b, kFrames);
}

TEST_F(StreamTest, StopCancelsOpenStreams) {
  start();
  TestClient client(port_);
  client.send("POST", "/v1/stream", "{}");
  client.read_header();
  ASSERT_TRUE(box_.wait_for(1));
  std::promise<void> cancelled;
  box_.at(0)->on_cancel([&cancelled] { cancelled.set_value(); });
  std::thread stopper([this] { server_->stop(); });
  EXPECT_EQ(cancelled.get_future().wait_for(kWait), std::future_status::ready);
  stopper.join();
  EXPECT_FALSE(box_.at(0)->write("x"));
  EXPECT_EQ(server_->open_connections(), 0u);
}

}  // namespace
}  // namespace atiende::http
