#include <gtest/gtest.h>

#include <chrono>

#include "common/clock.h"
#include "common/metrics.h"
#include "http/limits.h"
#include "http/sse.h"
#include "http/types.h"

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

TEST(ClientAddressTest, LoopbackAddresses) {
  EXPECT_TRUE(is_loopback_address("127.0.0.1"));
  EXPECT_TRUE(is_loopback_address("127.8.9.10"));
  EXPECT_TRUE(is_loopback_address("::1"));
  EXPECT_TRUE(is_loopback_address("::ffff:127.0.0.1"));
  EXPECT_FALSE(is_loopback_address("128.0.0.1"));
  EXPECT_FALSE(is_loopback_address("::2"));
  EXPECT_FALSE(is_loopback_address("localhost"));  // a name, not an address
  EXPECT_FALSE(is_loopback_address(""));
}

TEST(ClientAddressTest, TrustedProxyNetworks) {
  auto trusted = TrustedProxies::parse({"10.0.0.0/8", " 192.168.1.7 ", "fd00::/8", "172.16.0.0/12"});
  ASSERT_TRUE(trusted.ok()) << trusted.status().to_string();
  EXPECT_TRUE(trusted->contains("10.255.1.2"));
  EXPECT_TRUE(trusted->contains("::ffff:10.1.1.1"));  // IPv4-mapped counts as IPv4
  EXPECT_FALSE(trusted->contains("11.0.0.1"));
  EXPECT_TRUE(trusted->contains("192.168.1.7"));
  EXPECT_FALSE(trusted->contains("192.168.1.8"));
  EXPECT_TRUE(trusted->contains("fd12:3456::1"));
  EXPECT_FALSE(trusted->contains("fe80::1"));
  EXPECT_TRUE(trusted->contains("172.31.255.255"));   // /12 ends at 172.31
  EXPECT_FALSE(trusted->contains("172.32.0.0"));
  EXPECT_FALSE(trusted->contains("not an ip"));
  for (const std::string bad : {"10.0.0.0/33", "::1/129", "10.0.0.0/", "10.0.0.0/x", "proxy.local", ""}) {
    auto parsed = TrustedProxies::parse({bad});
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << bad;
  }
  auto everyone = TrustedProxies::parse({"0.0.0.0/0"});
  ASSERT_TRUE(everyone.ok());
  EXPECT_TRUE(everyone->contains("203.0.113.7"));
  EXPECT_FALSE(everyone->contains("::1"));  // an IPv4 network holds no IPv6 address
}

TEST(ClientAddressTest, TheRightMostAddressNoTrustedProxyAddedIsTheClient) {
  auto trusted = TrustedProxies::parse({"127.0.0.1", "10.0.0.0/8"});
  ASSERT_TRUE(trusted.ok());
  // No header, or a peer that is not trusted: the peer.
  EXPECT_EQ(client_address("127.0.0.1", std::nullopt, *trusted).address, "127.0.0.1");
  ClientAddress direct = client_address("203.0.113.9", "1.2.3.4", *trusted);
  EXPECT_EQ(direct.address, "203.0.113.9");
  EXPECT_FALSE(direct.forwarded);
  // A chain of two trusted proxies: the client is what the outer one saw.
  ClientAddress chained = client_address("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.2.3", *trusted);
  EXPECT_EQ(chained.address, "203.0.113.7");
  EXPECT_TRUE(chained.forwarded);
  // Malformed entries end the walk at the last good address.
  EXPECT_EQ(client_address("127.0.0.1", "203.0.113.7, bogus, 10.1.2.3", *trusted).address, "10.1.2.3");
  ClientAddress junk = client_address("127.0.0.1", " , ", *trusted);
  EXPECT_EQ(junk.address, "127.0.0.1");
  EXPECT_FALSE(junk.forwarded);
  // Every hop trusted: the left-most one is the best that is known.
  EXPECT_EQ(client_address("127.0.0.1", "10.0.0.5,10.0.0.6", *trusted).address, "10.0.0.5");
}

TEST(HeadersTest, GetJoinedJoinsRepeatedFieldsInOrder) {
  Headers headers;
  EXPECT_FALSE(headers.get_joined("X-Forwarded-For").has_value());
  headers.add("X-Forwarded-For", "1.1.1.1");
  headers.add("Content-Type", "text/plain");
  headers.add("x-forwarded-for", "2.2.2.2, 3.3.3.3");
  EXPECT_EQ(headers.get_joined("X-FORWARDED-FOR").value_or(""), "1.1.1.1,2.2.2.2, 3.3.3.3");
}

}  // namespace
}  // namespace atiende::http
