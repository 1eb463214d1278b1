// HTTP load generator for `POST /v1/search`: C keep-alive connections (Asio coroutines on one
// client thread) send the queries of a JSONL file round-robin; prints one JSON line with QPS and
// latency percentiles. Used by bench/http_search.sh.
//
//   build/bench/bench_http_load --port 8080 [--queries bench/out/queries.jsonl] [--concurrency 1]
//       [--requests 2000] [--warmup 200] [--k 10] [--mode bm25|vector|hybrid]
//       [--path /healthz]   (GET another path instead: the server's own overhead)

#include <utility>  // before Asio (Boost 1.74)

#include <algorithm>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "common/json.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using atiende::Json;

namespace {

struct Options {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string queries = "bench/out/queries.jsonl";
  int concurrency = 1;
  int requests = 2000;
  int warmup = 200;
  int k = 10;
  std::string mode = "bm25";
  std::string path = "/v1/search";  ///< another path is sent as a GET (e.g. /healthz: server overhead)
};

struct Shared {
  std::vector<std::string> bodies;
  int next = 0;
  int total = 0;
  int warmup = 0;
  std::vector<double> latencies_ms;
  int errors = 0;
  std::chrono::steady_clock::time_point measured_start;
  bool started = false;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const auto hi = static_cast<size_t>(std::ceil(rank));
  return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

asio::awaitable<void> client(Shared& shared, const Options& options) {
  auto executor = co_await asio::this_coro::executor;
  beast::tcp_stream stream(executor);
  boost::system::error_code ec;
  asio::ip::tcp::endpoint endpoint(asio::ip::make_address(options.host),
                                   static_cast<unsigned short>(options.port));
  co_await stream.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    std::cerr << "connect: " << ec.message() << "\n";
    ++shared.errors;
    co_return;
  }
  stream.socket().set_option(asio::ip::tcp::no_delay(true));
  beast::flat_buffer buffer;
  while (shared.next < shared.total) {
    const int i = shared.next++;
    if (i == shared.warmup) {
      shared.measured_start = std::chrono::steady_clock::now();
      shared.started = true;
    }
    const bool search = options.path == "/v1/search";
    bhttp::request<bhttp::string_body> request{search ? bhttp::verb::post : bhttp::verb::get,
                                               options.path, 11};
    request.set(bhttp::field::host, options.host);
    if (search) {
      request.set(bhttp::field::content_type, "application/json");
      request.body() = shared.bodies[static_cast<size_t>(i) % shared.bodies.size()];
      request.prepare_payload();
    }
    const auto start = std::chrono::steady_clock::now();
    co_await bhttp::async_write(stream, request, asio::redirect_error(asio::use_awaitable, ec));
    bhttp::response<bhttp::string_body> response;
    if (!ec) {
      co_await bhttp::async_read(stream, buffer, response,
                                 asio::redirect_error(asio::use_awaitable, ec));
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (ec || response.result_int() != 200) {
      ++shared.errors;
      if (ec) {
        std::cerr << "request failed: " << ec.message() << "\n";
        co_return;
      }
      continue;
    }
    if (i >= shared.warmup) shared.latencies_ms.push_back(ms);
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const std::string value = argv[i + 1];
    if (flag == "--host") options.host = value;
    else if (flag == "--port") options.port = std::stoi(value);
    else if (flag == "--queries") options.queries = value;
    else if (flag == "--concurrency") options.concurrency = std::max(1, std::stoi(value));
    else if (flag == "--requests") options.requests = std::max(1, std::stoi(value));
    else if (flag == "--warmup") options.warmup = std::max(0, std::stoi(value));
    else if (flag == "--k") options.k = std::stoi(value);
    else if (flag == "--mode") options.mode = value;
    else if (flag == "--path") options.path = value;
    else {
      std::cerr << "unknown flag " << flag << "\n";
      return 2;
    }
  }
  Shared shared;
  std::ifstream in(options.queries);
  if (!in) {
    std::cerr << options.queries << ": cannot open (run bench/gen_corpus.py)\n";
    return 1;
  }
  for (std::string line; std::getline(in, line);) {
    auto parsed = atiende::parse_json(line);
    if (!parsed.ok() || !parsed->contains("query")) continue;
    shared.bodies.push_back(atiende::dump_json(
        {{"query", (*parsed)["query"]}, {"k", options.k}, {"mode", options.mode}}));
  }
  if (shared.bodies.empty()) {
    std::cerr << options.queries << ": no queries\n";
    return 1;
  }
  shared.warmup = options.warmup;
  shared.total = options.warmup + options.requests;
  asio::io_context ioc(1);
  for (int c = 0; c < options.concurrency; ++c) {
    asio::co_spawn(ioc, client(shared, options), asio::detached);
  }
  ioc.run();
  const double seconds =
      shared.started ? std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                                     shared.measured_start)
                           .count()
                     : 0;
  Json out = {{"path", options.path},
              {"concurrency", options.concurrency},
              {"mode", options.mode},
              {"requests", shared.latencies_ms.size()},
              {"errors", shared.errors},
              {"seconds", seconds},
              {"qps", seconds > 0 ? static_cast<double>(shared.latencies_ms.size()) / seconds : 0},
              {"p50_ms", percentile(shared.latencies_ms, 50)},
              {"p90_ms", percentile(shared.latencies_ms, 90)},
              {"p99_ms", percentile(shared.latencies_ms, 99)}};
  std::cout << atiende::dump_json(out) << "\n";
  return shared.errors == 0 ? 0 : 1;
}
