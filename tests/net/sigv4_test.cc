#include <gtest/gtest.h>

#include "common/config.h"
#include "net/sigv4.h"

namespace atiende::net {
namespace {

SigV4Params params() {
  SigV4Params p;
  p.region = "us-east-1";
  p.service = "bedrock";
  p.time = std::chrono::system_clock::from_time_t(1'440'938'160);  // 2015-08-30T12:36:00Z
  return p;
}

TEST(SigV4, AmzDate) { EXPECT_EQ(amz_date(params().time), "20150830T123600Z"); }

TEST(SigV4, CanonicalUriDoubleEncodesAndNormalizes) {
  EXPECT_EQ(sigv4_canonical_uri("/model/anthropic.claude-v2%3A1/converse", true),
            "/model/anthropic.claude-v2%253A1/converse");
  EXPECT_EQ(sigv4_canonical_uri("/a/./b/../c//", true), "/a/c/");
  EXPECT_EQ(sigv4_canonical_uri("/a/./b/../c//", false), "/a/./b/../c//");
  EXPECT_EQ(sigv4_canonical_uri("", true), "/");
}

TEST(SigV4, CanonicalQuerySortsAndReencodes) {
  EXPECT_EQ(sigv4_canonical_query("b=2&a=%7e&a=1&c"), "a=1&a=~&b=2&c=");
}

TEST(SigV4, SignatureChangesWithSecretBodyAndHeaders) {
  SigV4Request req;
  req.method = "POST";
  req.path = "/model/m/converse";
  req.headers = {{"Host", "bedrock-runtime.us-east-1.amazonaws.com"}, {"Content-Type", "application/json"}};
  req.body = "{}";
  AwsCredentials creds{"AKID", "secret", ""};
  auto a = sigv4_sign_headers(req, creds, params());
  ASSERT_TRUE(a.ok());
  creds.secret_access_key = "other";
  auto b = sigv4_sign_headers(req, creds, params());
  creds.secret_access_key = "secret";
  req.body = "{ }";
  auto c = sigv4_sign_headers(req, creds, params());
  ASSERT_TRUE(b.ok() && c.ok());
  EXPECT_NE(a->signature, b->signature);
  EXPECT_NE(a->signature, c->signature);
  EXPECT_NE(a->added_headers.back().value.find("SignedHeaders=content-type;host;x-amz-date"), std::string::npos);
}

TEST(SigV4, MissingHostOrCredentialsIsAnError) {
  SigV4Request req;
  req.method = "GET";
  EXPECT_EQ(sigv4_sign_headers(req, {"A", "B", ""}, params()).status().code(), StatusCode::kInvalidArgument);
  req.headers = {{"host", "h"}};
  EXPECT_FALSE(sigv4_sign_headers(req, {"", "B", ""}, params()).ok());
  EXPECT_TRUE(sigv4_presign_query(req, {"A", "B", ""}, params()).ok());
}

TEST(SigV4, CredentialsFromEnv) {
  auto env = map_env({{"AWS_ACCESS_KEY_ID", "AK"}, {"AWS_SECRET_ACCESS_KEY", "SK"}, {"AWS_SESSION_TOKEN", "T"}});
  auto c = aws_credentials_from_env(env);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->session_token, "T");
  auto missing = aws_credentials_from_env(map_env({{"AWS_ACCESS_KEY_ID", "AK"}}));
  EXPECT_EQ(missing.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(missing.status().message().find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

}  // namespace
}  // namespace atiende::net
