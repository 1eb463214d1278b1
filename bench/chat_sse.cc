// Chat concurrency benchmark: N customers chatting at once over SSE with the real `atiende serve`
// binary, whose `openai` provider talks to a scripted upstream that streams `--rate` tokens per
// second per answer. Three processes besides the server, all on this machine:
//   - upstream (forked, one thread, Asio): an OpenAI-compatible /v1/chat/completions that streams
//     `--tokens` tokens per answer, each token carrying its send time (wall clock, shared by
//     all processes) and a citation "[1]" so the engine's grounding releases it at once;
//   - server: `atiende serve --port 0` on a fresh data dir with one FAQ, llm.provider = openai;
//   - client (forked, one thread, Asio): N chats, each creates a session, then asks question after
//     question (SSE), and measures every token's delay from the upstream's write to its read
//     (`delay_*`) and to its arrival at the client's socket (`socket_delay_*`, the kernel's
//     receive timestamp: without the client's own wait for a CPU it shares with the server).
// The parent samples the server's threads and RSS from /proc while all chats are streaming, the
// CPU time of the three processes (`cpu.*`) and of the whole machine by kind (`box_cores`: user,
// system, irq_softirq, steal, idle; loopback TCP work done in softirq belongs to no process).
//
//   build-p/bench/bench_chat_sse --binary build-p/atiende [--chats 2000] [--seconds 40]
//       [--warmup 15] [--rate 20] [--tokens 100] [--io-threads 2] [--workers 4] [--worker-nice 10]
//       [--llm-threads 2] [--tick-ms 1]
//       [--upstream-keep-alive 1] [--client-keep-alive 1] [--socket-times 0]

#include <utility>  // before Asio (Boost 1.74)

#include "net/draining_read.h"  // before the reads that use it

#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <queue>
#include <sstream>
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

extern char** environ;

namespace asio = boost::asio;
using asio::ip::tcp;
using atiende::Json;

namespace {

struct Args {
  std::string binary;
  int chats = 2000;
  int seconds = 40;  ///< whole client run
  int warmup = 15;   ///< seconds before delays count (sessions created, chats staggered in)
  int rate = 20;     ///< tokens per second per answer
  int tokens = 100;  ///< tokens per answer
  int io_threads = 2;
  int workers = 4;
  int worker_nice = 10;  ///< http.worker_nice: how much lower the worker threads' priority is
  int llm_threads = 2;
  int tick_ms = 1;  ///< upstream decode step: token send times rounded up to it (0 = exact)
  /// The upstream keeps connections open between answers (chunked bodies), as uvicorn (vLLM)
  /// and llama-server do; 0: one connection per answer ("Connection: close").
  int upstream_keep_alive = 1;
  /// Each chat asks its questions on one kept connection, as a browser does; 0: a new connection
  /// per question ("Connection: close").
  int client_keep_alive = 1;
  /// Also time each token's arrival at the client's socket (kernel receive timestamps, read with
  /// recvmsg: about 1 µs more client CPU per token).
  int socket_times = 0;
};

using atiende::bench::now_us;
using atiende::bench::percentile;

/// Wall-clock microseconds (CLOCK_REALTIME): the clock of the kernel's receive timestamps
/// (SO_TIMESTAMPNS), so tokens are stamped with it too.
int64_t wall_us() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

/// A field ("Threads", "VmRSS", "VmHWM") of /proc/<pid>/status, as a number (kB for memory).
double proc_status(pid_t pid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(key + ":", 0) == 0) return std::stod(line.substr(key.size() + 1));
  }
  return 0;
}

/// CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat.
/// CPU seconds of the whole machine so far, by kind (/proc/stat's "cpu" line). Interrupt and
/// softirq time (on loopback: the TCP receive work of every segment) is in no process's figure.
struct BoxCpu {
  double user = 0, system = 0, irq = 0, steal = 0, idle = 0;
};

BoxCpu box_cpu_seconds() {
  std::ifstream in("/proc/stat");
  std::string label;
  in >> label;  // "cpu"
  double v[8] = {};  // user nice system idle iowait irq softirq steal
  for (double& x : v) in >> x;
  const double hz = static_cast<double>(sysconf(_SC_CLK_TCK));
  return {(v[0] + v[1]) / hz, v[2] / hz, (v[5] + v[6]) / hz, v[7] / hz, (v[3] + v[4]) / hz};
}

double cpu_seconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t paren = stat.rfind(')');
  if (paren == std::string::npos) return 0;
  std::istringstream fields(stat.substr(paren + 2));
  std::string field;
  double ticks = 0;
  for (int i = 3; fields >> field && i <= 15; ++i) {
    if (i == 14 || i == 15) ticks += std::stod(field);  // utime, stime
  }
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// Reads an HTTP request head (and a Content-Length body) from `socket`; false on EOF/error.
asio::awaitable<bool> read_request(tcp::socket& socket, std::string& buffer) {
  boost::system::error_code ec;
  char data[4096];
  while (true) {
    const size_t head_end = buffer.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      size_t length = 0;
      if (const size_t at = buffer.find("Content-Length: "); at != std::string::npos && at < head_end) {
        length = std::strtoul(buffer.c_str() + at + 16, nullptr, 10);
      }
      if (buffer.size() >= head_end + 4 + length) {
        buffer.erase(0, head_end + 4 + length);
        co_return true;
      }
    }
    const size_t n = co_await socket.async_read_some(asio::buffer(data),
                                                     asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return false;
    buffer.append(data, n);
  }
}

// ---------------------------------------------------------------- upstream (child process)

std::string upstream_frame(const std::string& content) {
  return "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"choices\":"
         "[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
}

/// `bytes` as one chunk of a chunked body.
std::string as_chunk(std::string_view bytes) {
  char head[24];
  const int n = std::snprintf(head, sizeof head, "%zx\r\n", bytes.size());
  std::string out(head, static_cast<size_t>(n));
  out.append(bytes);
  out += "\r\n";
  return out;
}

class DecodeLoop;
asio::awaitable<void> upstream_answer(tcp::socket socket, DecodeLoop& decoder, bool keep_alive);

/// `t` rounded up to the next multiple of `tick_ms` of the steady clock (0: `t` itself). A model
/// server emits tokens at decode steps, every running answer at once (vLLM, llama.cpp batch all
/// sequences per step), so answers' tokens leave in bursts, not at evenly spread instants.
std::chrono::steady_clock::time_point on_tick(std::chrono::steady_clock::time_point t, int tick_ms) {
  if (tick_ms <= 0) return t;
  const auto tick = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::milliseconds(tick_ms));
  const auto since = t.time_since_epoch();
  return std::chrono::steady_clock::time_point(((since + tick - std::chrono::nanoseconds(1)) / tick) * tick);
}

/// The scripted model server's decode loop: one timer for every answer in flight. At each decode
/// step it writes the next frame of every answer whose token is due, the way a batching model
/// server (vLLM, llama.cpp) emits one token of every running sequence per step. (One timer and
/// coroutine per answer cost this process about a quarter more CPU, taken from the server's cores.)
class DecodeLoop {
 public:
  DecodeLoop(asio::io_context& ioc, const Args& args)
      : timer_(ioc), args_(args),
        period_(std::chrono::microseconds(1'000'000 / std::max(1, args.rate))) {}

  /// Streams an answer on `socket`, whose response head was written.
  void add(tcp::socket socket) {
    auto answer = std::make_unique<Answer>(std::move(socket));
    boost::system::error_code ec;
    answer->socket.non_blocking(true, ec);
    // Model servers send each token at once (uvicorn, llama.cpp's server set TCP_NODELAY); with
    // Nagle a token written while the previous one awaits its (delayed) ACK waits up to 40 ms.
    answer->socket.set_option(tcp::no_delay(true), ec);
    due_.push({std::chrono::steady_clock::now() + period_, answer.get()});
    answers_.push_back(std::move(answer));
    arm();
  }

 private:
  using Clock = std::chrono::steady_clock;
  struct Answer {
    explicit Answer(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    int sent = 0;
    std::string unsent;  ///< bytes the socket did not take yet (sent first at the next step)
    bool closed = false;
  };
  struct Due {
    Clock::time_point at;
    Answer* answer;
    bool operator>(const Due& other) const { return at > other.at; }
  };

  void arm() {
    if (due_.empty()) return;
    const Clock::time_point at = on_tick(due_.top().at, args_.tick_ms);
    if (armed_ && at >= armed_at_) return;
    armed_ = true;
    armed_at_ = at;
    timer_.expires_at(at);
    timer_.async_wait([this](boost::system::error_code ec) {
      if (ec == asio::error::operation_aborted) return;
      armed_ = false;
      step();
      arm();
    });
  }

  /// Writes `bytes` after what is still unsent; false when the connection is gone.
  static bool send(Answer& a, std::string_view bytes) {
    a.unsent.append(bytes);
    boost::system::error_code ec;
    const size_t n = a.socket.write_some(asio::buffer(a.unsent), ec);
    if (ec && ec != asio::error::would_block && ec != asio::error::try_again) return false;
    a.unsent.erase(0, n);
    return true;
  }

  void step() {
    const Clock::time_point now = Clock::now();
    while (!due_.empty() && due_.top().at <= now) {
      Due due = due_.top();
      due_.pop();
      Answer& a = *due.answer;
      bool ok = true;
      if (a.sent < args_.tokens) {
        const std::string frame = upstream_frame(std::to_string(wall_us()) + " [1] ");
        ok = send(a, args_.upstream_keep_alive ? as_chunk(frame) : frame);
        ++a.sent;
        if (ok) due_.push({due.at + period_, due.answer});
      } else if (!a.unsent.empty() || a.sent == args_.tokens) {
        static const std::string tail =
            "data: {\"id\":\"b\",\"object\":\"chat.completion.chunk\",\"model\":\"bench\",\"choices\":"
            "[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        static const std::string chunked_tail = as_chunk(tail) + "0\r\n\r\n";
        const std::string_view last = args_.upstream_keep_alive ? chunked_tail : tail;
        ok = send(a, a.sent == args_.tokens ? last : std::string_view());
        a.sent = args_.tokens + 1;
        if (ok && !a.unsent.empty()) due_.push({now + std::chrono::milliseconds(1), due.answer});
      }
      if (!ok || (a.sent > args_.tokens && a.unsent.empty())) {
        a.closed = true;
        if (ok && args_.upstream_keep_alive) {  // wait for the connection's next request
          asio::co_spawn(timer_.get_executor(), upstream_answer(std::move(a.socket), *this, true),
                         asio::detached);
        }
      }
    }
    // Drop finished answers (none of them is in due_ any more).
    std::erase_if(answers_, [](const std::unique_ptr<Answer>& a) { return a->closed; });
  }

  asio::steady_timer timer_;
  Args args_;
  Clock::duration period_;
  bool armed_ = false;
  Clock::time_point armed_at_;
  std::vector<std::unique_ptr<Answer>> answers_;
  std::priority_queue<Due, std::vector<Due>, std::greater<Due>> due_;
};

/// Reads a request on `socket` and hands the answer to the decode loop (which, with keep-alive,
/// calls this again for the connection's next request when the answer is done).
asio::awaitable<void> upstream_answer(tcp::socket socket, DecodeLoop& decoder, bool keep_alive) {
  std::string buffer;  // the client sends its next request only after this answer's end
  if (!co_await read_request(socket, buffer)) co_return;
  boost::system::error_code ec;
  static const std::string close_head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
  static const std::string chunked_head =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string& head = keep_alive ? chunked_head : close_head;
  co_await asio::async_write(socket, asio::buffer(head), asio::redirect_error(asio::use_awaitable, ec));
  if (!ec) decoder.add(std::move(socket));
}

asio::awaitable<void> upstream_accept(tcp::acceptor& acceptor, DecodeLoop& decoder, bool keep_alive) {
  while (true) {
    boost::system::error_code ec;
    tcp::socket socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    asio::co_spawn(acceptor.get_executor(), upstream_answer(std::move(socket), decoder, keep_alive),
                   asio::detached);
  }
}

int run_upstream(int port_fd, const Args& args) {
  asio::io_context ioc(1);
  tcp::acceptor acceptor(ioc, {asio::ip::make_address("127.0.0.1"), 0});
  acceptor.listen(4096);
  const uint16_t port = acceptor.local_endpoint().port();
  if (write(port_fd, &port, sizeof port) != sizeof port) return 1;
  DecodeLoop decoder(ioc, args);
  asio::co_spawn(ioc, upstream_accept(acceptor, decoder, args.upstream_keep_alive != 0), asio::detached);
  ioc.run();  // until the parent kills this process
  return 0;
}

// ---------------------------------------------------------------- client (child process)

struct ClientStats {
  std::vector<double> delays_ms;         ///< upstream write -> this client's read of the token
  std::vector<double> socket_delays_ms;  ///< upstream write -> arrival at this client's socket
  std::vector<double> first_token_ms;    ///< question sent -> its answer's first token read
  int sessions = 0;
  int failed = 0;
  int turns = 0;
  int errors = 0;
  int tokens = 0;
};

/// One request on `socket` (connected first when it is not open), calling `on_data(bytes,
/// arrived_us)` with the response bytes as they arrive (head included). `arrived_us` is when the
/// kernel received the newest of those bytes (SO_TIMESTAMPNS, wall clock; 0 if it gave none): the
/// time they reached this customer's socket, before this process (on the same 2 vCPUs) got to
/// run. With `keep_alive` the response ends at the last chunk of its chunked body and the socket
/// stays open for the next request; else at EOF. False when the request could not be sent.
/// True when `bytes`, after the earlier bytes' end kept in `tail`, complete the last chunk of a
/// chunked body (the answer ended, the connection stays open).
bool at_last_chunk(std::string& tail, std::string_view bytes) {
  static constexpr std::string_view kLastChunk = "\r\n0\r\n\r\n";
  tail.append(bytes);
  if (tail.find(kLastChunk) != std::string::npos) return true;
  if (tail.size() > kLastChunk.size()) tail.erase(0, tail.size() - kLastChunk.size());
  return false;
}

template <typename OnData>
asio::awaitable<bool> exchange(tcp::socket& socket, uint16_t port, const std::string& request, bool keep_alive,
                               bool socket_times, OnData on_data) {
  boost::system::error_code ec;
  if (!socket.is_open()) {
    co_await socket.async_connect({asio::ip::make_address("127.0.0.1"), port},
                                  asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      socket.close(ec);
      co_return false;
    }
    const int on = 1;
    if (socket_times) setsockopt(socket.native_handle(), SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof on);
    atiende::net::enable_drain_hints(socket.native_handle());
  }
  co_await asio::async_write(socket, asio::buffer(request), asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    socket.close(ec);
    co_return false;
  }
  const int fd = socket.native_handle();
  std::string tail;  // the end of the bytes so far, to find the last chunk across reads
  char data[4096];
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(timespec)) * 2];
  while (true) {
    if (!socket_times) {  // Asio's read: no receive timestamps, a little cheaper
      // One recv per arrival, as the server reads its upstream (net/draining_read.h).
      const size_t got = co_await socket.async_read_some(atiende::net::DrainingRead{asio::buffer(data)},
                                                         asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        socket.close(ec);
        break;
      }
      on_data(std::string_view(data, got), int64_t{0});
      if (keep_alive && at_last_chunk(tail, std::string_view(data, got))) break;
      continue;
    }
    // Read what is there (as Asio's speculative read does), else wait for readability.
    iovec iov{data, sizeof data};
    msghdr message{};
    message.msg_iov = &iov;
    message.msg_iovlen = 1;
    message.msg_control = control;
    message.msg_controllen = sizeof control;
    const ssize_t n = ::recvmsg(fd, &message, MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
      co_await socket.async_wait(tcp::socket::wait_read, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      continue;
    }
    if (n <= 0) {  // the server closed (end of the response) or the connection failed
      socket.close(ec);
      break;
    }
    int64_t arrived = 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&message); c != nullptr; c = CMSG_NXTHDR(&message, c)) {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
        timespec ts{};
        std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
        arrived = static_cast<int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
      }
    }
    on_data(std::string_view(data, static_cast<size_t>(n)), arrived);
    if (keep_alive && at_last_chunk(tail, std::string_view(data, static_cast<size_t>(n)))) break;
  }
  co_return true;
}

std::string post(const std::string& target, const std::string& body, bool sse, bool keep_alive = false) {
  return "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + (keep_alive ? "" : "Connection: close\r\n") +
         (sse ? "Accept: text/event-stream\r\n" : "") +
         "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
         "\r\n\r\n" + body;
}

asio::awaitable<void> chat(uint16_t port, int index, const Args& args, ClientStats& stats,
                           int64_t measure_from_us, int64_t stop_at_us) {
  // Stagger the chats over the first half of the warmup, like customers arriving.
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(std::chrono::microseconds(static_cast<int64_t>(args.warmup) * 500'000 * index /
                                                std::max(1, args.chats)));
  co_await timer.async_wait(asio::use_awaitable);
  std::string created;
  tcp::socket socket(co_await asio::this_coro::executor);
  co_await exchange(socket, port, post("/v1/chat/sessions", "{}", false), false, false,
                    [&](std::string_view d, int64_t) { created.append(d); });
  const size_t at = created.find("\"session_id\":\"");
  if (at == std::string::npos) {
    ++stats.failed;
    co_return;
  }
  ++stats.sessions;
  const std::string session = created.substr(at + 14, created.find('"', at + 14) - at - 14);
  const bool keep_alive = args.client_keep_alive != 0;
  const std::string ask = post("/v1/chat/sessions/" + session + "/messages",
                               R"({"text":"¿Cómo activo la eSIM?"})", true, keep_alive);
  static const std::string kTokenData = "data: {\"text\":\"";
  while (now_us() < stop_at_us) {
    std::string carry;
    bool done = false;
    const int64_t asked_at = now_us();
    bool first = true;
    co_await exchange(socket, port, ask, keep_alive, args.socket_times != 0, [&](std::string_view d, int64_t arrived) {
      const int64_t now = now_us();  // steady: the measuring window
      const int64_t read_at = wall_us();
      carry.append(d);
      size_t start = 0;
      for (size_t end; (end = carry.find('\n', start)) != std::string::npos; start = end + 1) {
        if (carry.compare(start, kTokenData.size(), kTokenData) == 0) {
          const int64_t sent = std::strtoll(carry.c_str() + start + kTokenData.size(), nullptr, 10);
          if (first && asked_at >= measure_from_us && now < stop_at_us) {
            stats.first_token_ms.push_back(static_cast<double>(now - asked_at) / 1000.0);
          }
          first = false;
          if (sent > 0 && now >= measure_from_us && now < stop_at_us) {
            stats.delays_ms.push_back(static_cast<double>(read_at - sent) / 1000.0);
            if (arrived > 0) stats.socket_delays_ms.push_back(static_cast<double>(arrived - sent) / 1000.0);
          }
          ++stats.tokens;
        } else if (carry.compare(start, 11, "event: done") == 0) {
          done = true;
        } else if (carry.compare(start, 12, "event: error") == 0) {
          ++stats.errors;
        }
      }
      carry.erase(0, start);
    });
    if (done) ++stats.turns;
    else ++stats.errors;
  }
}

int run_client(int read_fd, int write_fd, const Args& args) {
  uint16_t port = 0;
  if (read(read_fd, &port, sizeof port) != sizeof port) return 1;
  ClientStats stats;
  asio::io_context ioc(1);
  const int64_t start = now_us();
  const int64_t measure_from = start + static_cast<int64_t>(args.warmup) * 1'000'000;
  const int64_t stop_at = start + static_cast<int64_t>(args.seconds) * 1'000'000;
  for (int i = 0; i < args.chats; ++i) {
    asio::co_spawn(ioc, chat(port, i, args, stats, measure_from, stop_at), asio::detached);
  }
  ioc.run();
  Json out = {{"sessions", stats.sessions},
              {"sessions_failed", stats.failed},
              {"turns_done", stats.turns},
              {"turn_errors", stats.errors},
              {"tokens_received", stats.tokens},
              {"tokens_measured", stats.delays_ms.size()},
              {"measured_seconds", args.seconds - args.warmup},
              {"delay_p50_ms", percentile(stats.delays_ms, 50)},
              {"delay_p90_ms", percentile(stats.delays_ms, 90)},
              {"delay_p99_ms", percentile(stats.delays_ms, 99)},
              {"delay_max_ms", percentile(stats.delays_ms, 100)},
              {"first_token_p50_ms", percentile(stats.first_token_ms, 50)},
              {"first_token_p99_ms", percentile(stats.first_token_ms, 99)},
              {"socket_delay_p50_ms", percentile(stats.socket_delays_ms, 50)},
              {"socket_delay_p90_ms", percentile(stats.socket_delays_ms, 90)},
              {"socket_delay_p99_ms", percentile(stats.socket_delays_ms, 99)},
              {"socket_delay_max_ms", percentile(stats.socket_delays_ms, 100)}};
  const std::string text = atiende::dump_json(out);
  if (write(write_fd, text.data(), text.size()) < 0) return 1;
  return 0;
}

// ---------------------------------------------------------------- parent

int run_command(const std::vector<std::string>& args, const std::vector<std::string>& env,
                int stdout_fd, pid_t* pid_out) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (stdout_fd >= 0) posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_strings = env;
  for (char** e = environ; *e; ++e) env_strings.emplace_back(*e);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  if (pid_out) {
    *pid_out = pid;
    return 0;
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool parse_args(int argc, char** argv, Args& args) {
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--binary") args.binary = value;
    else if (flag == "--chats") args.chats = std::stoi(value);
    else if (flag == "--seconds") args.seconds = std::stoi(value);
    else if (flag == "--warmup") args.warmup = std::stoi(value);
    else if (flag == "--rate") args.rate = std::stoi(value);
    else if (flag == "--tokens") args.tokens = std::stoi(value);
    else if (flag == "--io-threads") args.io_threads = std::stoi(value);
    else if (flag == "--workers") args.workers = std::stoi(value);
    else if (flag == "--worker-nice") args.worker_nice = std::stoi(value);
    else if (flag == "--llm-threads") args.llm_threads = std::stoi(value);
    else if (flag == "--tick-ms") args.tick_ms = std::stoi(value);
    else if (flag == "--upstream-keep-alive") args.upstream_keep_alive = std::stoi(value);
    else if (flag == "--client-keep-alive") args.client_keep_alive = std::stoi(value);
    else if (flag == "--socket-times") args.socket_times = std::stoi(value);
    else return false;
  }
  return !args.binary.empty() && args.warmup < args.seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (!parse_args(argc, argv, args)) {
    std::cerr << "usage: bench_chat_sse --binary PATH/atiende [--chats N] [--seconds S] "
                 "[--warmup S] [--rate TOK/S] [--tokens N] [--io-threads N] [--workers N] "
                 "[--worker-nice 0-19] [--llm-threads N] [--tick-ms 1] [--upstream-keep-alive 1|0] [--client-keep-alive 1|0] [--socket-times 1|0]\n";
    return 2;
  }
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("atiende-bench-chat-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "faq.jsonl")
      << R"({"id":"faq-esim","type":"faq","title":"¿Cómo activo la eSIM?","text":"Escanea el código QR desde Ajustes > Datos móviles > Añadir eSIM; queda activa en pocos minutos."})"
      << "\n";
  const std::string data = (dir / "data").string();
  const int quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (run_command({args.binary, "--data", data, "ingest", (dir / "faq.jsonl").string()}, {}, quiet,
                  nullptr) != 0) {
    std::cerr << "ingest failed\n";
    return 1;
  }

  // Fork the upstream and the client before this process starts any thread.
  // Close-on-exec pipes: the server must not hold their ends (the parent waits for EOF).
  int up_pipe[2], to_client[2], to_parent[2];
  if (pipe2(up_pipe, O_CLOEXEC) != 0 || pipe2(to_client, O_CLOEXEC) != 0 ||
      pipe2(to_parent, O_CLOEXEC) != 0) {
    return 1;
  }
  const pid_t upstream = fork();
  if (upstream == 0) {
    close(to_parent[1]);
    _exit(run_upstream(up_pipe[1], args));
  }
  const pid_t client = fork();
  if (client == 0) _exit(run_client(to_client[0], to_parent[1], args));
  close(to_parent[1]);
  uint16_t upstream_port = 0;
  if (read(up_pipe[0], &upstream_port, sizeof upstream_port) != sizeof upstream_port) return 1;

  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return 1;
  pid_t server = 0;
  const std::vector<std::string> env = {
      "ATIENDE_LLM_PROVIDER=openai",
      "ATIENDE_LLM_BASE_URL=http://127.0.0.1:" + std::to_string(upstream_port) + "/v1",
      "ATIENDE_LLM_MODEL=bench",
      "ATIENDE_LLM_IO_THREADS=" + std::to_string(args.llm_threads),
      "ATIENDE_HTTP_THREADS=" + std::to_string(args.io_threads),
      "ATIENDE_HTTP_WORKER_THREADS=" + std::to_string(args.workers),
      "ATIENDE_HTTP_WORKER_NICE=" + std::to_string(args.worker_nice),
      "ATIENDE_HTTP_MAX_CONNECTIONS=" + std::to_string(args.chats * 2 + 100),
      "ATIENDE_HTTP_ACCESS_LOG=false"};
  if (run_command({args.binary, "serve", "--port", "0", "--data", data}, env, out_pipe[1], &server) != 0) {
    std::cerr << "could not start " << args.binary << "\n";
    return 1;
  }
  close(out_pipe[1]);
  std::string line;
  for (char c; read(out_pipe[0], &c, 1) == 1 && c != '\n';) line += c;
  const std::string prefix = "listening on http://127.0.0.1:";
  if (line.rfind(prefix, 0) != 0) {
    std::cerr << "unexpected first line from the server: " << line << "\n";
    return 1;
  }
  const uint16_t port = static_cast<uint16_t>(std::stoi(line.substr(prefix.size())));
  const double rss_idle_kb = proc_status(server, "VmRSS");
  if (write(to_client[1], &port, sizeof port) != sizeof port) return 1;

  // Sample the server while every chat is streaming (the measured window).
  // CPU time of each process over the same window tells the cost per token whatever the load.
  double threads_max = 0, rss_max_kb = 0;
  const auto sample_from = std::chrono::steady_clock::now() + std::chrono::seconds(args.warmup);
  const auto sample_to = std::chrono::steady_clock::now() + std::chrono::seconds(args.seconds - 1);
  bool window_started = false;
  double cpu_from[3] = {0, 0, 0}, cpu_to[3] = {0, 0, 0};
  BoxCpu box_from, box_to;
  auto box_from_at = std::chrono::steady_clock::now(), box_to_at = box_from_at;
  const pid_t measured_pids[3] = {server, upstream, client};
  while (std::chrono::steady_clock::now() < sample_to) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // sampling interval
    if (std::chrono::steady_clock::now() < sample_from) continue;
    for (int i = 0; i < 3; ++i) {
      cpu_to[i] = cpu_seconds(measured_pids[i]);
      if (!window_started) cpu_from[i] = cpu_to[i];
    }
    box_to = box_cpu_seconds();
    box_to_at = std::chrono::steady_clock::now();
    if (!window_started) {
      box_from = box_to;
      box_from_at = box_to_at;
    }
    window_started = true;
    threads_max = std::max(threads_max, proc_status(server, "Threads"));
    rss_max_kb = std::max(rss_max_kb, proc_status(server, "VmRSS"));
  }
  const double window_s =
      std::max(1.0, static_cast<double>(args.seconds - 1 - args.warmup) - 0.5);
  std::string result;
  char buffer[4096];
  for (ssize_t n; (n = read(to_parent[0], buffer, sizeof buffer)) > 0;) result.append(buffer, n);
  int status = 0;
  waitpid(client, &status, 0);
  const double hwm_kb = proc_status(server, "VmHWM");
  kill(server, SIGTERM);
  waitpid(server, &status, 0);
  kill(upstream, SIGKILL);
  waitpid(upstream, &status, 0);
  fs::remove_all(dir);
  auto measured = atiende::parse_json(result);
  // Tokens delivered per second in the window, to turn CPU seconds into microseconds per token.
  double tokens_per_s = 0;
  if (measured.ok() && measured->contains("tokens_measured")) {
    tokens_per_s = (*measured)["tokens_measured"].get<double>() /
                   std::max(1, args.seconds - args.warmup);
  }
  auto cpu_json = [&](int i) {
    const double cores = (cpu_to[i] - cpu_from[i]) / window_s;
    return Json{{"cores", cores},
                {"us_per_token", tokens_per_s > 0 ? cores * 1e6 / tokens_per_s : 0.0}};
  };
  const double box_s = std::max(1e-3, std::chrono::duration<double>(box_to_at - box_from_at).count());
  const Json box_json = {{"user", (box_to.user - box_from.user) / box_s},
                         {"system", (box_to.system - box_from.system) / box_s},
                         {"irq_softirq", (box_to.irq - box_from.irq) / box_s},
                         {"steal", (box_to.steal - box_from.steal) / box_s},
                         {"idle", (box_to.idle - box_from.idle) / box_s}};
  Json out = {{"chats", args.chats},
              {"rate_tokens_per_s_per_chat", args.rate},
              {"upstream_tick_ms", args.tick_ms},
              {"upstream_keep_alive", args.upstream_keep_alive != 0},
              {"client_keep_alive", args.client_keep_alive != 0},
              {"socket_times", args.socket_times != 0},
              {"llm_io_threads", args.llm_threads},
              {"worker_nice", args.worker_nice},
              {"tokens_per_answer", args.tokens},
              {"seconds", args.seconds},
              {"warmup_seconds", args.warmup},
              {"server_threads_max", threads_max},
              {"server_rss_idle_mb", rss_idle_kb / 1024.0},
              {"server_rss_max_mb", rss_max_kb / 1024.0},
              {"server_rss_peak_mb", hwm_kb / 1024.0},
              {"cpu", {{"server", cpu_json(0)}, {"upstream", cpu_json(1)}, {"client", cpu_json(2)}}},
              {"box_cores", box_json},
              {"client", measured.ok() ? *measured : Json(result)}};
  std::cout << atiende::dump_json(out, 2) << "\n";
  return 0;
}
