#include <gtest/gtest.h>

#include "net/url.h"

namespace atiende::net {
namespace {

TEST(Url, ParsesHttpsWithDefaults) {
  auto url = parse_url("https://api.example.com/v1/chat/completions?x=1#frag");
  ASSERT_TRUE(url.ok()) << url.status().to_string();
  EXPECT_EQ(url->scheme, "https");
  EXPECT_EQ(url->host, "api.example.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->path, "/v1/chat/completions");
  EXPECT_EQ(url->query, "x=1");
  EXPECT_TRUE(url->tls());
  EXPECT_EQ(url->host_header(), "api.example.com");
  EXPECT_EQ(url->target(), "/v1/chat/completions?x=1");
}

TEST(Url, ParsesPortAndEmptyPath) {
  auto url = parse_url("HTTP://127.0.0.1:8080");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->path, "/");
  EXPECT_EQ(url->host_header(), "127.0.0.1:8080");
  EXPECT_EQ(url->origin(), "http://127.0.0.1:8080");
}

TEST(Url, ParsesIpv6Literal) {
  auto url = parse_url("http://[::1]:9000/x");
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->host_header(), "[::1]:9000");
}

TEST(Url, RejectsBadInput) {
  EXPECT_FALSE(parse_url("ftp://x/").ok());
  EXPECT_FALSE(parse_url("no-scheme").ok());
  EXPECT_FALSE(parse_url("http://:80/").ok());
  EXPECT_FALSE(parse_url("http://h:99999/").ok());
  EXPECT_FALSE(parse_url("http://h:12a/").ok());
  EXPECT_FALSE(parse_url("http://user:pw@h/").ok());
  EXPECT_FALSE(parse_url("http://h/a b").ok());
  EXPECT_NE(parse_url("gopher://x").status().message().find("gopher"), std::string::npos);
}

TEST(Url, EncodesAndDecodes) {
  EXPECT_EQ(uri_encode("a b/c~:"), "a%20b%2Fc~%3A");
  EXPECT_EQ(uri_encode("a b/c", true), "a%20b/c");
  EXPECT_EQ(uri_encode("\xE1\x88\xB4"), "%E1%88%B4");
  EXPECT_EQ(uri_decode("%E1%88%B4x%2f%zz%4"), "\xE1\x88\xB4x/%zz%4");
}

}  // namespace
}  // namespace atiende::net
