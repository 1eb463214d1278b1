// The real server on 127.0.0.1, port 0, with a test-only router.

#include "http/server.h"

#include <gtest/gtest.h>

#include <sys/resource.h>

#include <algorithm>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <spdlog/sinks/ostream_sink.h>

#include "common/clock.h"
#include "common/json.h"
#include "common/log.h"
#include "common/threads.h"
#include "http/json.h"
#include "http/test_client.h"

namespace atiende::http {
namespace {

using atiende::testing::http_request;
using atiende::testing::TestClient;

class ServerTest : public ::testing::Test {
 protected:
  void start(ServerOptions options = {}) {
    options.host = "127.0.0.1";
    options.port = 0;
    options.io_threads = 2;
    options.worker_threads = 2;
    options.metrics = &metrics_;
    options.access_log = access_log_;
    server_ = std::make_unique<Server>(options);
    Router& router = server_->router();
    ASSERT_TRUE(router
                    .add("GET", "/v1/items/{id}",
                         [](Request& request) -> Result<Response> {
                           Json body = {{"id", request.param("id")},
                                        {"q", request.query("q").value_or("")},
                                        {"request_id", request.request_id},
                                        {"route", request.route}};
                           return json_response(body);
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add("POST", "/v1/echo",
                         [](Request& request) -> Result<Response> {
                           ATIENDE_ASSIGN_OR_RETURN(Json body, parse_json_body(request));
                           return json_response(body, 201);
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add("GET", "/v1/fail/{code}",
                         [](Request& request) -> Result<Response> {
                           const std::string code = request.param("code");
                           if (code == "not_found") return Status::not_found("no such thing");
                           if (code == "unavailable") return Status::unavailable("upstream down");
                           if (code == "invalid") return Status::invalid_argument("bad 'k'");
                           throw std::runtime_error("secret detail");
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add("POST", "/v1/size",
                         [](Request& request) -> Result<Response> {
                           return Response::text(200, std::to_string(request.body.size()));
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add("GET", "/v1/thread",
                         [](Request&) -> Result<Response> {
                           return json_response(
                               Json{{"name", this_thread_name()}, {"nice", this_thread_nice()}});
                         })
                    .ok());
    ASSERT_TRUE(router
                    .add("GET", "/v1/client",
                         [](Request& request) -> Result<Response> {
                           return json_response(Json{{"remote", request.remote_address},
                                                     {"peer", request.peer_address},
                                                     {"forwarded", request.forwarded}});
                         })
                    .ok());
    router.add_static("/index.html", "text/html; charset=utf-8", "<p>hola</p>");
    ASSERT_TRUE(server_->start().ok());
    port_ = server_->port();
    ASSERT_NE(port_, 0);
  }

  void TearDown() override {
    if (server_) server_->stop();
  }

  /// Polls until the server has no open connection (closed on its own threads).
  bool eventually_zero_connections() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (server_->open_connections() == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(1));  // polling, not ordering
    }
    return false;
  }

  static Json body_json(const atiende::testing::ClientResponse& response) {
    auto parsed = parse_json(response.body);
    EXPECT_TRUE(parsed.ok()) << response.body;
    return parsed.ok() ? *parsed : Json();
  }

  MetricsRegistry metrics_;
  FakeClock fake_clock_;
  bool access_log_ = false;  ///< set before start() to test the access log
  std::unique_ptr<Server> server_;
  uint16_t port_ = 0;
};

TEST_F(ServerTest, RoutesWithParamsOverKeepAlive) {
  start();
  TestClient client(port_);
  auto first = client.request("GET", "/v1/items/doc%201?q=tel%C3%A9fono");
  ASSERT_EQ(first.status, 200);
  Json body = body_json(first);
  EXPECT_EQ(body["id"], "doc 1");
  EXPECT_EQ(body["q"], "teléfono");
  EXPECT_EQ(body["route"], "/v1/items/{id}");
  EXPECT_EQ(first.header("content-type"), "application/json");
  EXPECT_EQ(first.header("x-request-id").rfind("req_", 0), 0u);
  // Same connection, caller-supplied request id kept; an unsafe one replaced.
  auto second = client.request("GET", "/v1/items/2", "", {{"X-Request-Id", "abc-123"}});
  EXPECT_EQ(body_json(second)["request_id"], "abc-123");
  EXPECT_EQ(second.header("x-request-id"), "abc-123");
  auto third = client.request("GET", "/v1/items/3", "", {{"X-Request-Id", "bad id\"<>"}});
  EXPECT_EQ(third.header("x-request-id").rfind("req_", 0), 0u);
}

TEST_F(ServerTest, HandlersRunOnNamedWorkersWithLoweredPriority) {
  ServerOptions options;
  options.worker_nice = 7;
  start(options);
  const int process_nice = getpriority(PRIO_PROCESS, 0);
  for (int i = 0; i < 4; ++i) {  // whichever worker takes it
    auto response = http_request(port_, "GET", "/v1/thread");
    ASSERT_EQ(response.status, 200);
    const Json body = body_json(response);
    EXPECT_EQ(body["name"].get<std::string>().rfind("worker-", 0), 0u) << response.body;
    EXPECT_EQ(body["nice"], std::min(process_nice + 7, 19)) << response.body;
  }
  EXPECT_EQ(this_thread_nice(), process_nice);  // the caller's thread is untouched
}

TEST_F(ServerTest, UnknownRouteAndWrongMethodAreJsonErrors) {
  start();
  auto missing = http_request(port_, "GET", "/v1/nothing");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(body_json(missing)["error"]["code"], "not_found");
  auto wrong = http_request(port_, "DELETE", "/v1/echo");
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(wrong.header("allow"), "POST");
  EXPECT_EQ(body_json(wrong)["error"]["code"], "method_not_allowed");
}

TEST_F(ServerTest, StatusErrorsAndExceptionsMapToHttp) {
  start();
  TestClient client(port_);
  auto not_found = client.request("GET", "/v1/fail/not_found");
  EXPECT_EQ(not_found.status, 404);
  EXPECT_EQ(body_json(not_found)["error"]["message"], "no such thing");
  auto unavailable = client.request("GET", "/v1/fail/unavailable");
  EXPECT_EQ(unavailable.status, 503);
  EXPECT_EQ(body_json(unavailable)["error"]["code"], "unavailable");
  auto invalid = client.request("GET", "/v1/fail/invalid");
  EXPECT_EQ(invalid.status, 400);
  auto thrown = client.request("GET", "/v1/fail/throw");
  EXPECT_EQ(thrown.status, 500);
  EXPECT_EQ(body_json(thrown)["error"]["code"], "internal");
  EXPECT_EQ(thrown.body.find("secret detail"), std::string::npos);
  // The connection survives handler errors.
  EXPECT_EQ(client.request("GET", "/v1/items/ok").status, 200);
}

TEST_F(ServerTest, MalformedJsonAndDepthAre400) {
  ServerOptions options;
  options.max_json_depth = 4;
  start(options);
  auto ok = http_request(port_, "POST", "/v1/echo", R"({"query":"hola"})");
  EXPECT_EQ(ok.status, 201);
  EXPECT_EQ(body_json(ok)["query"], "hola");
  auto bad = http_request(port_, "POST", "/v1/echo", R"({"query": )");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(body_json(bad)["error"]["code"], "invalid_argument");
  auto deep = http_request(port_, "POST", "/v1/echo", "[[[[[[1]]]]]]");
  EXPECT_EQ(deep.status, 400);
  EXPECT_NE(body_json(deep)["error"]["message"].get<std::string>().find("nesting"),
            std::string::npos);
}

TEST_F(ServerTest, BodyOverLimitIs413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  start(options);
  EXPECT_EQ(http_request(port_, "POST", "/v1/size", std::string(1024, 'a')).body, "1024");
  auto big = http_request(port_, "POST", "/v1/size", std::string(64 * 1024, 'a'));
  EXPECT_EQ(big.status, 413);
  EXPECT_EQ(body_json(big)["error"]["code"], "payload_too_large");
  // Chunked bodies have no Content-Length: the limit applies while reading.
  TestClient client(port_);
  std::string chunk(800, 'b');
  std::string raw =
      "POST /v1/size HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
      "320\r\n" + chunk + "\r\n320\r\n" + chunk + "\r\n0\r\n\r\n";
  client.send_raw(raw);
  const std::string reply = client.read_raw_until_close();
  EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply;
}

TEST_F(ServerTest, MalformedRequestAndHugeHeadersAreRejected) {
  ServerOptions options;
  options.max_header_bytes = 2048;
  start(options);
  {
    TestClient client(port_);
    client.send_raw("THIS IS NOT HTTP\r\n\r\n");
    EXPECT_EQ(client.read_raw_until_close().rfind("HTTP/1.1 400", 0), 0u);
  }
  {
    TestClient client(port_);
    client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4096, 'x') +
                    "\r\n\r\n");
    EXPECT_EQ(client.read_raw_until_close().rfind("HTTP/1.1 431", 0), 0u);
  }
  // The server is still fine.
  EXPECT_EQ(http_request(port_, "GET", "/healthz").status, 200);
}

TEST_F(ServerTest, ExpectContinueIsAnswered) {
  start();  // curl sends "Expect: 100-continue" for bodies over 1 KB and waits for it
  TestClient client(port_);
  client.send_raw(
      "POST /v1/size HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_EQ(client.read_raw_until("\r\n\r\n"), "HTTP/1.1 100 Continue\r\n\r\n");
  client.send_raw("hello");
  const std::string reply = client.read_raw_until_close();
  EXPECT_EQ(reply.rfind("HTTP/1.1 200", 0), 0u) << reply;
  EXPECT_EQ(reply.substr(reply.size() - 1), "5");
}

TEST_F(ServerTest, SlowRequestsTimeOut) {
  ServerOptions options;
  options.request_timeout = std::chrono::milliseconds(200);
  start(options);
  TestClient client(port_);
  client.send_raw("GET /healthz HTTP/1.1\r\nHost: x\r\n");  // headers never finish
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(client.read_raw_until_close(), "");  // closed by the server, no response
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
  EXPECT_TRUE(eventually_zero_connections());
}

TEST_F(ServerTest, HealthzAndMetrics) {
  start();
  auto health = http_request(port_, "GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(body_json(health)["status"], "ok");
  http_request(port_, "GET", "/v1/items/a");
  http_request(port_, "GET", "/v1/items/b");
  http_request(port_, "GET", "/nowhere");
  auto metrics = http_request(port_, "GET", "/metrics");
  EXPECT_EQ(metrics.status, 200);
  EXPECT_EQ(metrics.header("content-type").rfind("text/plain", 0), 0u);
  EXPECT_NE(metrics.body.find(
                "atiende_http_requests_total{method=\"GET\",route=\"/v1/items/{id}\",status=\"200\"} 2"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("route=\"unmatched\",status=\"404\"} 1"), std::string::npos);
  EXPECT_NE(metrics.body.find("atiende_http_request_duration_seconds_bucket{route=\"/v1/items/{id}\""),
            std::string::npos);
  EXPECT_NE(metrics.body.find("atiende_http_open_streams 0"), std::string::npos);
}

TEST_F(ServerTest, CorsAllowlist) {
  ServerOptions options;
  options.cors_origins = {"https://www.unaempresa.co"};
  start(options);
  auto allowed = http_request(port_, "GET", "/healthz", "", {{"Origin", "https://www.unaempresa.co"}});
  EXPECT_EQ(allowed.header("access-control-allow-origin"), "https://www.unaempresa.co");
  EXPECT_EQ(allowed.header("vary"), "Origin");
  auto denied = http_request(port_, "GET", "/healthz", "", {{"Origin", "https://evil.example"}});
  EXPECT_EQ(denied.header("access-control-allow-origin"), "");
  auto preflight = http_request(port_, "OPTIONS", "/v1/echo", "",
                                {{"Origin", "https://www.unaempresa.co"},
                                 {"Access-Control-Request-Method", "POST"},
                                 {"Access-Control-Request-Headers", "content-type"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_NE(preflight.header("access-control-allow-methods").find("POST"), std::string::npos);
  EXPECT_EQ(preflight.header("access-control-allow-headers"), "content-type");
}

TEST_F(ServerTest, PerClientRateLimitUsesTheInjectedClock) {
  FakeClock& clock = fake_clock_;  // a member: it must outlive the server
  ServerOptions options;
  options.clock = &clock;
  options.rate_limit_rps = 1;
  options.rate_limit_burst = 2;
  options.rate_limit_loopback = true;  // the test client is local
  start(options);
  TestClient client(port_);
  EXPECT_EQ(client.request("GET", "/v1/items/1").status, 200);
  EXPECT_EQ(client.request("GET", "/v1/items/2").status, 200);
  auto limited = client.request("GET", "/v1/items/3");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(body_json(limited)["error"]["code"], "rate_limited");
  EXPECT_EQ(limited.header("retry-after"), "1");
  EXPECT_EQ(client.request("GET", "/healthz").status, 200);  // exempt
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(client.request("GET", "/v1/items/4").status, 200);
}

TEST_F(ServerTest, AClientBehindATrustedProxyIsNamedByXForwardedFor) {
  start();  // default: a proxy on this machine (loopback) is trusted
  auto direct = body_json(http_request(port_, "GET", "/v1/client"));
  EXPECT_EQ(direct["remote"], "127.0.0.1");
  EXPECT_EQ(direct["forwarded"], false);
  // What the client itself wrote (the first entry) is not believed; what the proxy appended is.
  auto proxied = body_json(http_request(port_, "GET", "/v1/client", "",
                                        {{"X-Forwarded-For", "6.6.6.6, 203.0.113.7"}}));
  EXPECT_EQ(proxied["remote"], "203.0.113.7");
  EXPECT_EQ(proxied["peer"], "127.0.0.1");
  EXPECT_EQ(proxied["forwarded"], true);
  auto garbage = body_json(http_request(port_, "GET", "/v1/client", "",
                                        {{"X-Forwarded-For", "<script>, not-an-ip"}}));
  EXPECT_EQ(garbage["remote"], "127.0.0.1");
  EXPECT_EQ(garbage["forwarded"], false);
}

TEST_F(ServerTest, XForwardedForFromAPeerThatIsNotTrustedIsIgnored) {
  ServerOptions options;
  options.trusted_proxies = {"10.0.0.0/8"};
  start(options);
  auto spoofed = body_json(http_request(port_, "GET", "/v1/client", "",
                                        {{"X-Forwarded-For", "203.0.113.7"}}));
  EXPECT_EQ(spoofed["remote"], "127.0.0.1");
  EXPECT_EQ(spoofed["forwarded"], false);
}

TEST_F(ServerTest, DefaultRateLimitSparesLocalClientsButNotProxiedOnes) {
  FakeClock& clock = fake_clock_;
  ServerOptions options;  // defaults: 20 requests/s, burst 60, loopback exempt
  options.clock = &clock;
  start(options);
  TestClient client(port_);
  for (int i = 0; i < 80; ++i) ASSERT_EQ(client.request("GET", "/v1/items/1").status, 200) << i;
  const std::vector<std::pair<std::string, std::string>> customer = {{"X-Forwarded-For", "203.0.113.7"}};
  int allowed = 0;
  while (allowed < 100 && client.request("GET", "/v1/items/1", "", customer).status == 200) ++allowed;
  EXPECT_EQ(allowed, 60);
  auto limited = client.request("GET", "/v1/items/1", "", customer);
  EXPECT_EQ(limited.status, 429);
  // Another customer behind the same proxy has a bucket of its own.
  EXPECT_EQ(client.request("GET", "/v1/items/1", "", {{"X-Forwarded-For", "198.51.100.2"}}).status, 200);
  clock.advance(std::chrono::seconds(1));
  EXPECT_EQ(client.request("GET", "/v1/items/1", "", customer).status, 200);
}

TEST_F(ServerTest, AccessLogHidesPathParametersAndCannotBeForged) {
  std::ostringstream out;
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>(
      "access-log-test", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  logger->set_formatter(make_log_formatter(false));
  logger->set_level(spdlog::level::info);
  spdlog::set_default_logger(logger);
  access_log_ = true;
  start();
  EXPECT_EQ(http_request(port_, "GET", "/v1/items/ses_secret42").status, 200);
  EXPECT_EQ(http_request(port_, "GET", "/v1/x%0A2026-12-07T00:00:00.000%20info%20forged", "",
                         {{"X-Forwarded-For", "203.0.113.7"}}).status, 404);
  server_->stop();
  spdlog::set_default_logger(previous);
  const std::string log = out.str();
  EXPECT_NE(log.find("GET /v1/items/{id} 200"), std::string::npos) << log;
  EXPECT_EQ(log.find("ses_secret42"), std::string::npos) << log;
  EXPECT_NE(log.find("GET /v1/x\\x0a2026-12-07T00:00:00.000 info forged 404"), std::string::npos) << log;
  EXPECT_NE(log.find("ms 203.0.113.7"), std::string::npos) << log;  // the client, not the proxy
  EXPECT_EQ(log.find("\n2026-12-07T00:00:00.000"), std::string::npos) << log;  // no forged line
}

TEST(ServerStartTest, ABadTrustedProxyStopsStartWithItsName) {
  ServerOptions options;
  options.port = 0;
  options.access_log = false;
  options.trusted_proxies = {"127.0.0.1", "10.0.0.0/33"};
  Server server(options);
  Status started = server.start();
  EXPECT_EQ(started.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(started.message().find("10.0.0.0/33"), std::string::npos) << started.to_string();
}

TEST_F(ServerTest, StaticAssetsAndHead) {
  start();
  auto index = http_request(port_, "GET", "/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<p>hola</p>");
  EXPECT_EQ(index.header("content-type"), "text/html; charset=utf-8");
  TestClient client(port_);
  // Beast's parser knows a HEAD response has no body only when told; read raw instead.
  client.send_raw("HEAD /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const std::string raw = client.read_raw_until_close();
  EXPECT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_NE(raw.find("Content-Length: 11"), std::string::npos);
  EXPECT_EQ(raw.find("<p>"), std::string::npos);
}

TEST_F(ServerTest, PortInUseIsAClearError) {
  start();
  ServerOptions options;
  options.port = port_;
  options.metrics = &metrics_;
  Server second(options);
  Status status = second.start();
  EXPECT_EQ(status.code(), StatusCode::kUnavailable);
  EXPECT_NE(status.message().find(std::to_string(port_)), std::string::npos);
}

TEST(ServerOptionsTest, ReadsConfigAndRejectsBadValues) {
  auto config = Config::load_string(
      "[http]\nport = 0\nthreads = 3\nmax_body_bytes = 2048\ncors_origins = [\"https://a\"]\n",
      map_env({}));
  ASSERT_TRUE(config.ok());
  auto options = server_options_from_config(*config);
  ASSERT_TRUE(options.ok()) << options.status().to_string();
  EXPECT_EQ(options->port, 0);
  EXPECT_EQ(options->io_threads, 3);
  EXPECT_EQ(options->max_body_bytes, 2048u);
  ASSERT_EQ(options->cors_origins.size(), 1u);
  auto bad = Config::load_string("[http]\nport = 70000\n", map_env({}));
  ASSERT_TRUE(bad.ok());
  auto rejected = server_options_from_config(*bad);
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(rejected.status().message().find("http.port"), std::string::npos);
  EXPECT_EQ(options->worker_nice, 10);  // the default
  auto nice = Config::load_string("[http]\nworker_nice = 20\n", map_env({}));
  ASSERT_TRUE(nice.ok());
  auto refused = server_options_from_config(*nice);
  EXPECT_EQ(refused.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("http.worker_nice"), std::string::npos);
}

}  // namespace
}  // namespace atiende::http
