// SSE concurrency smoke: N concurrent streams on the real http::Server (2 I/O threads), each fed
// `--rate` tokens per second by one producer thread (the HTTP layer alone; bench/chat_sse.cc
// measures the whole chat path with an LLM provider). A forked client process holds the N
// connections and measures the per-token delay (producer write -> client read). Prints the server
// process's threads and RSS.
//
//   build/bench/bench_http_sse [--streams 2000] [--seconds 20] [--rate 20] [--io-threads 2]

#include <utility>  // before Asio (Boost 1.74)

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <dirent.h>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/json.h"
#include "sse_bench_util.h"
#include "http/server.h"
#include "http/sse.h"

namespace asio = boost::asio;
using atiende::Json;

namespace {

using atiende::bench::now_us;
using atiende::bench::percentile;

size_t thread_count() {
  size_t count = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* entry = readdir(dir)) count += entry->d_name[0] != '.';
    closedir(dir);
  }
  return count;
}

/// "VmRSS" or "VmHWM" of this process in MB.
double proc_status_mb(const std::string& key) {
  std::ifstream in("/proc/self/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1)) / 1024.0;
  }
  return 0;
}

// ---------------------------------------------------------------- client (child process)

struct ClientStats {
  std::vector<double> delays_ms;
  int connected = 0;
  int failed = 0;
};

asio::awaitable<void> sse_client(uint16_t port, ClientStats& stats, int64_t stop_at_us) {
  auto executor = co_await asio::this_coro::executor;
  asio::ip::tcp::socket socket(executor);
  boost::system::error_code ec;
  co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) {
    static const std::string request =
        "GET /sse HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";
    co_await asio::async_write(socket, asio::buffer(request),
                               asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec) {
    ++stats.failed;
    co_return;
  }
  ++stats.connected;
  std::string carry;
  char data[2048];
  while (now_us() < stop_at_us) {
    const size_t n = co_await socket.async_read_some(asio::buffer(data),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
    const int64_t received = now_us();
    carry.append(data, n);
    size_t start = 0;
    for (size_t end; (end = carry.find('\n', start)) != std::string::npos; start = end + 1) {
      if (carry.compare(start, 6, "data: ") == 0) {
        const int64_t sent = std::strtoll(carry.c_str() + start + 6, nullptr, 10);
        if (sent > 0) stats.delays_ms.push_back(static_cast<double>(received - sent) / 1000.0);
      }
    }
    carry.erase(0, start);
  }
  socket.close(ec);
}

int run_client(int read_fd, int write_fd, int streams, int seconds) {
  uint16_t port = 0;
  if (read(read_fd, &port, sizeof port) != sizeof port) return 1;
  ClientStats stats;
  asio::io_context ioc(1);
  const int64_t stop_at = now_us() + static_cast<int64_t>(seconds) * 1'000'000;
  for (int i = 0; i < streams; ++i) asio::co_spawn(ioc, sse_client(port, stats, stop_at), asio::detached);
  ioc.run();
  Json out = {{"connected", stats.connected},
              {"failed", stats.failed},
              {"tokens", stats.delays_ms.size()},
              {"delay_p50_ms", percentile(stats.delays_ms, 50)},
              {"delay_p99_ms", percentile(stats.delays_ms, 99)},
              {"delay_max_ms", percentile(stats.delays_ms, 100)}};
  const std::string text = atiende::dump_json(out);
  if (write(write_fd, text.data(), text.size()) < 0) return 1;
  return 0;
}

// ---------------------------------------------------------------- server (parent process)

/// One producer thread: every tick, writes a token (its send time) to each open sink.
class Ticker {
 public:
  void add(std::shared_ptr<atiende::http::StreamSink> sink) {
    std::lock_guard lock(mutex_);
    sinks_.push_back(std::move(sink));
  }
  void run(int rate, std::atomic<bool>& stop) {
    const auto period = std::chrono::microseconds(1'000'000 / std::max(1, rate));
    constexpr int kSlices = 10;  // spread the writes over the period, like independent chats
    auto next = std::chrono::steady_clock::now();
    int slice = 0;
    while (!stop.load()) {
      next += period / kSlices;
      std::this_thread::sleep_until(next);  // pacing the synthetic producer, not synchronization
      std::lock_guard lock(mutex_);
      for (size_t i = static_cast<size_t>(slice); i < sinks_.size(); i += kSlices) {
        if (sinks_[i] && !sinks_[i]->write(atiende::http::sse_event("token", std::to_string(now_us())))) {
          sinks_[i].reset();
        }
      }
      slice = (slice + 1) % kSlices;
    }
    std::lock_guard lock(mutex_);
    for (auto& sink : sinks_) {
      if (sink) sink->close();
    }
  }

 private:
  std::mutex mutex_;
  std::vector<std::shared_ptr<atiende::http::StreamSink>> sinks_;
};

}  // namespace

int main(int argc, char** argv) {
  int streams = 2000;
  int seconds = 20;
  int rate = 20;
  int io_threads = 2;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--streams") streams = value;
    else if (flag == "--seconds") seconds = value;
    else if (flag == "--rate") rate = value;
    else if (flag == "--io-threads") io_threads = value;
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  // Fork before any thread exists.
  int to_child[2];
  int to_parent[2];
  if (pipe(to_child) != 0 || pipe(to_parent) != 0) return 1;
  const pid_t child = fork();
  if (child == 0) {
    close(to_child[1]);
    close(to_parent[0]);
    _exit(run_client(to_child[0], to_parent[1], streams, seconds));
  }
  close(to_child[0]);
  close(to_parent[1]);

  atiende::http::ServerOptions options;
  options.port = 0;
  options.io_threads = io_threads;
  options.access_log = false;
  options.max_connections = static_cast<size_t>(streams) + 100;
  atiende::http::Server server(options);
  Ticker ticker;
  (void)server.router().add("GET", "/sse", [&ticker](atiende::http::Request&) {
    return atiende::Result<atiende::http::Response>(atiende::http::Response::sse(
        [&ticker](std::shared_ptr<atiende::http::StreamSink> sink) { ticker.add(std::move(sink)); }));
  });
  if (auto status = server.start(); !status.ok()) {
    std::cerr << status.to_string() << "\n";
    return 1;
  }
  const double rss_idle_mb = proc_status_mb("VmRSS");
  std::atomic<bool> stop{false};
  std::thread producer([&] { ticker.run(rate, stop); });
  const uint16_t port = server.port();
  if (write(to_child[1], &port, sizeof port) != sizeof port) return 1;

  // Sample once all streams are open (or after half the run).
  const auto sample_at = std::chrono::steady_clock::now() + std::chrono::seconds(seconds) / 2;
  size_t peak_streams = 0;
  while (std::chrono::steady_clock::now() < sample_at) {
    peak_streams = std::max(peak_streams, server.open_streams());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // sampling interval
  }
  const size_t threads = thread_count();
  const double rss_mb = proc_status_mb("VmRSS");
  std::string result;
  char buffer[4096];
  for (ssize_t n; (n = read(to_parent[0], buffer, sizeof buffer)) > 0;) result.append(buffer, n);
  int status = 0;
  waitpid(child, &status, 0);
  stop = true;
  producer.join();
  server.stop();
  auto client = atiende::parse_json(result);
  Json out = {{"streams", streams},
              {"rate_tokens_per_s", rate},
              {"seconds", seconds},
              {"open_streams_peak", peak_streams},
              {"server_threads", threads},
              {"server_rss_idle_mb", rss_idle_mb},
              {"server_rss_mb", rss_mb},
              {"server_rss_peak_mb", proc_status_mb("VmHWM")},
              {"client", client.ok() ? *client : Json(result)}};
  std::cout << atiende::dump_json(out) << "\n";
  return 0;
}
