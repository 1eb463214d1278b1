#include <gtest/gtest.h>

#include <chrono>

#include "common/clock.h"
#include "common/metrics.h"
#include "http/limits.h"
#include "http/sse.h"

namespace atiende::http {
namespace {

TEST(MetricsTest, RendersPrometheusTextWithLabelsAndHistograms) {
  MetricsRegistry registry;
  auto& requests = registry.counter("atiende_test_requests_total", "Requests",
                                    {{"route", "/v1/search"}, {"status", "200"}});
  requests.inc();
  requests.inc(2);
  registry.counter("atiende_test_requests_total", "Requests",
                   {{"route", "/v1/search"}, {"status", "200"}})
      .inc();  // same series
  registry.gauge("atiende_test_open", "Open things").set(5);
  registry.gauge_function("atiende_test_size", "Size", {{"index", "bm25"}}, [] { return 42.0; });
  auto& latency = registry.histogram("atiende_test_seconds", "Latency", {0.001, 0.01},
                                     {{"route", "a\"b"}});
  latency.observe(0.0005);
  latency.observe(0.005);
  latency.observe(1);
  const std::string text = registry.render_prometheus();
  EXPECT_NE(text.find("# TYPE atiende_test_requests_total counter\n"), std::string::npos);
  EXPECT_NE(text.find("atiende_test_requests_total{route=\"/v1/search\",status=\"200\"} 4\n"),
            std::string::npos);
  EXPECT_NE(text.find("atiende_test_open 5\n"), std::string::npos);
  EXPECT_NE(text.find("atiende_test_size{index=\"bm25\"} 42\n"), std::string::npos);
  EXPECT_NE(text.find("atiende_test_seconds_bucket{route=\"a\\\"b\",le=\"0.001\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("atiende_test_seconds_bucket{route=\"a\\\"b\",le=\"0.01\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find("atiende_test_seconds_bucket{route=\"a\\\"b\",le=\"+Inf\"} 3\n"),
            std::string::npos);
  EXPECT_NE(text.find("atiende_test_seconds_count{route=\"a\\\"b\"} 3\n"), std::string::npos);
  // A type clash returns a detached series instead of crashing.
  registry.gauge("atiende_test_requests_total", "oops").set(1);
  EXPECT_EQ(registry.render_prometheus().find("atiende_test_requests_total 1\n"),
            std::string::npos);
}

TEST(SseTest, FramesEventsWithMultilineData) {
  EXPECT_EQ(sse_event("token", "hola"), "event: token\ndata: hola\n\n");
  EXPECT_EQ(sse_event("", "a\nb\r\nc"), "data: a\ndata: b\ndata: c\n\n");
  EXPECT_EQ(sse_event("done", "{}", "7"), "event: done\nid: 7\ndata: {}\n\n");
  EXPECT_EQ(sse_event("bad\nname", "x"), "event: bad name\ndata: x\n\n");
  EXPECT_EQ(sse_comment("keep-alive"), ": keep-alive\n\n");
}

TEST(RateLimiterTest, TokenBucketRefillsWithTheClock) {
  FakeClock clock;
  RateLimiter limiter(2.0, 3.0, clock);
  EXPECT_TRUE(limiter.allow("1.1.1.1"));
  EXPECT_TRUE(limiter.allow("1.1.1.1"));
  EXPECT_TRUE(limiter.allow("1.1.1.1"));
  EXPECT_FALSE(limiter.allow("1.1.1.1"));
  EXPECT_TRUE(limiter.allow("2.2.2.2"));  // per key
  clock.advance(std::chrono::milliseconds(500));
  EXPECT_TRUE(limiter.allow("1.1.1.1"));  // one token back
  EXPECT_FALSE(limiter.allow("1.1.1.1"));
  RateLimiter off(0, 1, clock);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(off.allow("x"));
}

TEST(RateLimiterTest, MemoryStaysBounded) {
  FakeClock clock;
  RateLimiter limiter(1.0, 1.0, clock, /*max_keys=*/4);
  for (int i = 0; i < 100; ++i) EXPECT_TRUE(limiter.allow("ip" + std::to_string(i)));
  EXPECT_FALSE(limiter.allow("ip99"));
}

TEST(CorsTest, AllowlistIsExact) {
  const std::vector<std::string> allow = {"https://www.unaempresa.co"};
  EXPECT_EQ(cors_allowed_origin("https://www.unaempresa.co", allow).value_or(""),
            "https://www.unaempresa.co");
  EXPECT_FALSE(cors_allowed_origin("https://evil.example", allow).has_value());
  EXPECT_FALSE(cors_allowed_origin("", allow).has_value());
  EXPECT_EQ(cors_allowed_origin("http://x", {"*"}).value_or(""), "http://x");
}

}  // namespace
}  // namespace atiende::http
