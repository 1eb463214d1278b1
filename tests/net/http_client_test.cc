#include <utility>

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <thread>

#include "net/http_client.h"
#include "net/http_stream.h"
#include "support/scripted_server.h"

namespace atiende::net {
namespace {

using std::chrono::milliseconds;
using testing::ScriptedHttpServer;
using testing::ScriptedResponse;

RequestOptions fast_options() {
  RequestOptions o;
  o.connect_timeout = milliseconds(2000);
  o.idle_timeout = milliseconds(5000);
  o.retry.initial_backoff = milliseconds(1);
  o.retry.max_backoff = milliseconds(5);
  return o;
}

TEST(HttpClient, BufferedGetSendsHostAndUserAgent) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "{\"ok\":true}"));
  HttpClient client;
  auto res = client.fetch({"GET", server.base_url() + "/v1/models?x=1", {{"X-Test", "1"}}, ""}, fast_options());
  ASSERT_TRUE(res.ok()) << res.status().to_string();
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->body, "{\"ok\":true}");
  EXPECT_EQ(find_header(res->headers, "content-type").value_or(""), "application/json");
  auto reqs = server.requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].target, "/v1/models?x=1");
  EXPECT_EQ(find_header(reqs[0].headers, "host").value_or(""), "127.0.0.1:" + std::to_string(server.port()));
  EXPECT_EQ(find_header(reqs[0].headers, "user-agent").value_or(""), "atiende/0.1");
  EXPECT_EQ(find_header(reqs[0].headers, "x-test").value_or(""), "1");
}

TEST(HttpClient, PostSendsBodyAndStreamsChunks) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("uno ").chunk("dos ").chunk("tres"));
  HttpClient client;
  std::string got;
  int pieces = 0;
  auto res = client.fetch({"POST", server.base_url() + "/echo", {{"Content-Type", "text/plain"}}, "hola"},
                          fast_options(), [&](std::string_view c) {
                            got += c;
                            ++pieces;
                            return true;
                          });
  ASSERT_TRUE(res.ok()) << res.status().to_string();
  EXPECT_EQ(got, "uno dos tres");
  EXPECT_GE(pieces, 1);
  EXPECT_TRUE(res->body.empty());
  EXPECT_EQ(server.requests().at(0).body, "hola");
  EXPECT_EQ(find_header(server.requests().at(0).headers, "content-length").value_or(""), "4");
}

// The server sends one chunk and then holds the connection: the chunk can only reach the callback
// if delivery is incremental. The callback cancels; the server must see the disconnect.
TEST(HttpClient, ChunkCallbackCancelClosesTheConnection) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("primero").stall());
  HttpClient client;
  std::string got;
  auto res = client.fetch({"GET", server.base_url() + "/s", {}, ""}, fast_options(), [&](std::string_view c) {
    got += c;
    return false;
  });
  EXPECT_EQ(res.status().code(), StatusCode::kCancelled);
  EXPECT_EQ(got, "primero");
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

TEST(HttpClient, IdleTimeoutBetweenChunks) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("a").stall());
  HttpClient client;
  RequestOptions o = fast_options();
  o.idle_timeout = milliseconds(150);
  std::string got;
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, o, [&](std::string_view c) {
    got += c;
    return true;
  });
  EXPECT_EQ(res.status().code(), StatusCode::kDeadlineExceeded) << res.status().to_string();
  EXPECT_EQ(got, "a");
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

TEST(HttpClient, TotalTimeoutWhileTheBodyStalls) {
  // The body watchdog also enforces the total deadline when it comes before the idle timeout.
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("a").chunk("b").stall());
  HttpClient client;
  RequestOptions o = fast_options();
  o.idle_timeout = milliseconds(5000);
  o.total_timeout = milliseconds(200);
  std::string got;
  const auto started = std::chrono::steady_clock::now();
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, o, [&](std::string_view c) {
    got += c;
    return true;
  });
  EXPECT_EQ(res.status().code(), StatusCode::kDeadlineExceeded) << res.status().to_string();
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(2000));
  EXPECT_EQ(got, "ab");
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

TEST(HttpClient, TotalTimeoutWhenTheServerNeverAnswers) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().stall_before_head());
  HttpClient client;
  RequestOptions o = fast_options();
  o.total_timeout = milliseconds(150);
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, o);
  EXPECT_EQ(res.status().code(), StatusCode::kDeadlineExceeded) << res.status().to_string();
}

TEST(HttpClient, CancellationTokenFromAnotherThread) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().stall_before_head());
  HttpClient client;
  CancellationToken token;
  Result<HttpResponse> res = Status::internal("unset");
  std::thread caller([&] { res = client.fetch({"GET", server.base_url() + "/", {}, ""}, fast_options(), {}, token); });
  ASSERT_TRUE(server.wait_for_requests(1, milliseconds(5000)));
  token.cancel();
  caller.join();
  EXPECT_EQ(res.status().code(), StatusCode::kCancelled) << res.status().to_string();
  EXPECT_TRUE(server.wait_for_disconnects(1, milliseconds(5000)));
}

TEST(HttpClient, RetriesIdempotentRequestsOn503) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(503, "busy"));
  server.enqueue(ScriptedResponse::full(200, "ok"));
  HttpClient client;
  RequestOptions o = fast_options();
  o.retry.max_attempts = 3;
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, o);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(res->attempts, 2);
  EXPECT_EQ(server.request_count(), 2u);
}

TEST(HttpClient, DoesNotRetryPostUnlessAsked) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(500, "{\"error\":\"boom\"}"));
  server.enqueue(ScriptedResponse::full(429, "slow down").header("Retry-After", "0"));
  server.enqueue(ScriptedResponse::full(200, "ok"));
  HttpClient client;
  RequestOptions o = fast_options();
  o.retry.max_attempts = 3;
  auto first = client.fetch({"POST", server.base_url() + "/", {}, "x"}, o);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->status, 500);  // an HTTP error status is a response, not an error Status
  EXPECT_EQ(first->body, "{\"error\":\"boom\"}");
  EXPECT_EQ(first->attempts, 1);
  o.retry.retry_non_idempotent = true;
  auto second = client.fetch({"POST", server.base_url() + "/", {}, "x"}, o);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);
  EXPECT_EQ(second->attempts, 2);
  EXPECT_EQ(server.request_count(), 3u);
}

TEST(HttpClient, GivesUpAfterMaxAttemptsWithTheLastResponse) {
  ScriptedHttpServer server;
  for (int i = 0; i < 3; ++i) server.enqueue(ScriptedResponse::full(502, "bad gateway " + std::to_string(i)));
  HttpClient client;
  RequestOptions o = fast_options();
  o.retry.max_attempts = 3;
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, o);
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 502);
  EXPECT_EQ(res->body, "bad gateway 2");
  EXPECT_EQ(res->attempts, 3);
}

TEST(HttpClient, ErrorBodyIsBufferedEvenWhenStreaming) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(401, "{\"error\":{\"message\":\"bad key\"}}"));
  HttpClient client;
  bool called = false;
  auto res = client.fetch({"POST", server.base_url() + "/", {}, "{}"}, fast_options(), [&](std::string_view) {
    called = true;
    return true;
  });
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->status, 401);
  EXPECT_NE(res->body.find("bad key"), std::string::npos);
  EXPECT_FALSE(called);
}

TEST(HttpClient, ConnectionRefusedIsUnavailableAndRetried) {
  uint16_t dead_port;
  {
    ScriptedHttpServer gone;
    dead_port = gone.port();
  }
  HttpClient client;
  RequestOptions o = fast_options();
  o.retry.max_attempts = 2;
  auto res = client.fetch({"GET", "http://127.0.0.1:" + std::to_string(dead_port) + "/", {}, ""}, o);
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable) << res.status().to_string();
}

TEST(HttpClient, BodyLimitAndBadUrl) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, std::string(1000, 'x')));
  HttpClient client;
  RequestOptions o = fast_options();
  o.max_body_bytes = 100;
  EXPECT_EQ(client.fetch({"GET", server.base_url() + "/", {}, ""}, o).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(client.fetch({"GET", "nope", {}, ""}, o).status().code(), StatusCode::kInvalidArgument);
}

TEST(HttpClient, AbruptCloseMidBodyIsAnError) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("partial").close());
  HttpClient client;
  auto res = client.fetch({"GET", server.base_url() + "/", {}, ""}, fast_options(), [](std::string_view) {
    return true;
  });
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable) << res.status().to_string();
}

TEST(HttpClient, HttpsToAPlainServerFailsTheHandshake) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "plain"));
  HttpClient client;
  auto res = client.fetch({"GET", "https://127.0.0.1:" + std::to_string(server.port()) + "/", {}, ""},
                          fast_options());
  EXPECT_EQ(res.status().code(), StatusCode::kUnavailable) << res.status().to_string();
  EXPECT_NE(res.status().message().find("TLS"), std::string::npos) << res.status().message();
}

// The coroutine API on a caller-owned io_context: two streams interleave on one thread.
TEST(HttpStream, CoroutinePullApiOnOneThread) {
  ScriptedHttpServer server;
  server.set_handler([](const testing::RecordedRequest& r) -> std::optional<ScriptedResponse> {
    return ScriptedResponse().chunk(r.target + ":1,").chunk(r.target + ":2");
  });
  HttpClient client;
  boost::asio::io_context ioc;
  std::vector<std::string> bodies(2);
  std::vector<Status> errors(2);
  for (int i = 0; i < 2; ++i) {
    boost::asio::co_spawn(
        ioc,
        [&, i]() -> Awaitable<void> {
          // GCC 12: never pass a braced temporary straight into a coroutine call (double free);
          // name it first.
          HttpRequest request{"GET", server.base_url() + "/s" + std::to_string(i), {}, ""};
          auto stream = co_await HttpStream::open(client, std::move(request), fast_options());
          if (!stream.ok()) {
            errors[i] = stream.status();
            co_return;
          }
          EXPECT_EQ((*stream)->head().status, 200);
          while (true) {
            auto piece = co_await (*stream)->next();
            if (!piece.ok()) {
              errors[i] = piece.status();
              co_return;
            }
            if (!*piece) break;
            bodies[i] += **piece;
          }
        },
        [](std::exception_ptr e) { ASSERT_FALSE(e); });
  }
  ioc.run();
  EXPECT_TRUE(errors[0].ok()) << errors[0].to_string();
  EXPECT_EQ(bodies[0], "/s0:1,/s0:2");
  EXPECT_EQ(bodies[1], "/s1:1,/s1:2");
}


// ---- keep-alive: finished connections are reused by the next call on the same io_context

/// Runs `calls` one after the other in a coroutine on one io_context; returns each call's body
/// (or its error as "error: ...").
std::vector<std::string> sequential_fetches(HttpClient& client, const std::vector<std::string>& urls,
                                            const RequestOptions& options = fast_options()) {
  boost::asio::io_context ioc;
  std::vector<std::string> bodies;
  boost::asio::co_spawn(
      ioc,
      [&]() -> Awaitable<void> {
        for (const std::string& url : urls) {
          HttpRequest request{"POST", url, {}, "{}"};
          auto response = co_await async_fetch(client, std::move(request), options);
          bodies.push_back(response.ok() ? response->body : "error: " + response.status().to_string());
        }
      },
      [](std::exception_ptr e) { ASSERT_FALSE(e); });
  ioc.run();
  return bodies;
}

TEST(HttpKeepAlive, TheNextCallReusesTheFinishedConnection) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("uno"));
  server.enqueue(ScriptedResponse::full(200, "dos"));
  server.enqueue(ScriptedResponse().chunk("tres"));
  HttpClient client;
  const std::string url = server.base_url() + "/v1/chat/completions";
  EXPECT_EQ(sequential_fetches(client, {url, url, url}), (std::vector<std::string>{"uno", "dos", "tres"}));
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connections(), 1u);
}

TEST(HttpKeepAlive, OffWhenTheIdleTimeIsZero) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "a"));
  server.enqueue(ScriptedResponse::full(200, "b"));
  ClientOptions options;
  options.keep_alive_idle = milliseconds(0);
  HttpClient client(options);
  const std::string url = server.base_url() + "/x";
  EXPECT_EQ(sequential_fetches(client, {url, url}), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpKeepAlive, ServerSaysCloseOrClosedItMeanwhile) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "a").header("Connection", "close"));  // not kept
  server.enqueue(ScriptedResponse::full(200, "b").close());  // kept, but the server closes it
  server.enqueue(ScriptedResponse::full(200, "c"));
  HttpClient client;
  const std::string url = server.base_url() + "/x";
  EXPECT_EQ(sequential_fetches(client, {url, url, url}), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(server.request_count(), 3u);  // the closed idle connection was noticed before use
  EXPECT_EQ(server.connections(), 3u);
}

TEST(HttpKeepAlive, RequestLostToARacingCloseIsSentAgainOnANewConnection) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "a"));
  server.enqueue(ScriptedResponse().close_before_head());  // the idle timeout fired as it arrived
  server.enqueue(ScriptedResponse::full(200, "b"));
  RequestOptions options = fast_options();
  options.retry.max_attempts = 1;  // not a retry: a POST is never retried by default either
  HttpClient client;
  const std::string url = server.base_url() + "/x";
  EXPECT_EQ(sequential_fetches(client, {url, url}, options), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_EQ(server.connections(), 2u);
}

TEST(HttpKeepAlive, AFreshConnectionClosedBeforeTheHeadIsStillAnError) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().close_before_head());
  RequestOptions options = fast_options();
  options.retry.max_attempts = 1;
  HttpClient client;
  auto bodies = sequential_fetches(client, {server.base_url() + "/x"}, options);
  ASSERT_EQ(bodies.size(), 1u);
  EXPECT_EQ(bodies[0].rfind("error: ", 0), 0u) << bodies[0];
  EXPECT_EQ(server.request_count(), 1u);
}

TEST(HttpKeepAlive, ClientsAndUnfinishedBodiesDoNotShare) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse::full(200, "a"));
  server.enqueue(ScriptedResponse::full(200, "b"));
  server.enqueue(ScriptedResponse().chunk("c1").chunk("c2"));
  server.enqueue(ScriptedResponse::full(200, "d"));
  HttpClient first;
  HttpClient second;
  const std::string url = server.base_url() + "/x";
  EXPECT_EQ(sequential_fetches(first, {url}), std::vector<std::string>{"a"});
  EXPECT_EQ(sequential_fetches(second, {url}), std::vector<std::string>{"b"});
  EXPECT_EQ(server.connections(), 2u);  // one io_context per call above: nothing to share anyway

  // On one io_context: a body abandoned with close() is not reused; a finished one is.
  boost::asio::io_context ioc;
  std::string got;
  boost::asio::co_spawn(
      ioc,
      [&]() -> Awaitable<void> {
        HttpRequest request{"GET", url, {}, ""};
        auto stream = co_await HttpStream::open(first, std::move(request), fast_options());
        if (!stream.ok()) co_return;
        auto piece = co_await (*stream)->next();
        if (piece.ok() && *piece) got += **piece;
        (*stream)->close();
        HttpRequest again{"GET", url, {}, ""};
        auto response = co_await async_fetch(first, std::move(again), fast_options());
        if (response.ok()) got += "," + response->body;
      },
      [](std::exception_ptr e) { ASSERT_FALSE(e); });
  ioc.run();
  EXPECT_EQ(got.rfind("c1", 0), 0u) << got;  // "c1" or "c1c2": pieces are as they arrived
  EXPECT_TRUE(got.ends_with(",d")) << got;
  EXPECT_EQ(server.connections(), 4u);
}

TEST(HttpKeepAlive, ReleaseReadsTheRestOfTheBodyThenKeepsTheConnection) {
  ScriptedHttpServer server;
  server.enqueue(ScriptedResponse().chunk("data: a\n\n").chunk("data: [DONE]\n\n").chunk("trailing bytes"));
  server.enqueue(ScriptedResponse::full(200, "next"));
  HttpClient client;
  const std::string url = server.base_url() + "/x";
  boost::asio::io_context ioc;
  std::string got;
  boost::asio::co_spawn(
      ioc,
      [&]() -> Awaitable<void> {
        HttpRequest request{"POST", url, {}, "{}"};
        auto stream = co_await HttpStream::open(client, std::move(request), fast_options());
        if (!stream.ok()) co_return;
        auto piece = co_await (*stream)->next();
        if (piece.ok() && *piece) got += **piece;
        (*stream)->release();
        auto after = co_await (*stream)->next();  // ends at once after release()
        EXPECT_TRUE(after.ok() && !*after);
        stream->reset();  // the drain goes on without the stream
        boost::asio::steady_timer pause(co_await boost::asio::this_coro::executor);
        for (int i = 0; i < 200 && server.request_count() < 2; ++i) {
          // Give the background drain its turns on this thread before the next call.
          pause.expires_after(milliseconds(5));
          co_await pause.async_wait(boost::asio::use_awaitable);
          HttpRequest again{"POST", url, {}, "{}"};
          auto response = co_await async_fetch(client, std::move(again), fast_options());
          if (response.ok()) got += "|" + response->body;
        }
      },
      [](std::exception_ptr e) { ASSERT_FALSE(e); });
  ioc.run();
  EXPECT_EQ(got.rfind("data: a\n\n", 0), 0u) << got;  // the first piece, maybe with more
  EXPECT_TRUE(got.ends_with("|next")) << got;
  EXPECT_EQ(server.connections(), 1u);
}

}  // namespace
}  // namespace atiende::net
