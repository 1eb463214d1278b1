#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "common/json.h"
#include "http/errors.h"
#include "http/json.h"

namespace atiende::http {
namespace {

Handler ok_handler(std::string tag) {
  return [tag](Request&) -> Result<Response> { return Response::text(200, tag); };
}

Request make_request(std::string method, std::string target) {
  Request request;
  request.method = std::move(method);
  request.target = target;
  request.path = percent_decode(target.substr(0, target.find('?')));
  request.request_id = "req_test";
  return request;
}

TEST(RouterTest, MatchesLiteralsAndDecodesParams) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/v1/documents", ok_handler("list")).ok());
  ASSERT_TRUE(router.add("GET", "/v1/documents/{id}", ok_handler("one")).ok());
  ASSERT_TRUE(router.add("DELETE", "/v1/documents/{id}", ok_handler("delete")).ok());

  auto m = router.match("GET", "/v1/documents/faq%2F001%20x");
  ASSERT_EQ(m.kind, Router::Match::Kind::kRoute);
  EXPECT_EQ(m.pattern, "/v1/documents/{id}");
  EXPECT_EQ(m.params.at("id"), "faq/001 x");

  m = router.match("GET", "/v1/documents/");
  ASSERT_EQ(m.kind, Router::Match::Kind::kRoute);
  EXPECT_EQ(m.pattern, "/v1/documents");
}

TEST(RouterTest, LiteralSegmentBeatsParameter) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/v1/chat/sessions/{id}", ok_handler("param")).ok());
  ASSERT_TRUE(router.add("GET", "/v1/chat/sessions/latest", ok_handler("literal")).ok());
  Request request = make_request("GET", "/v1/chat/sessions/latest");
  EXPECT_EQ(router.handle(request).body, "literal");
  request = make_request("GET", "/v1/chat/sessions/ses_1");
  EXPECT_EQ(router.handle(request).body, "param");
  EXPECT_EQ(request.param("id"), "ses_1");
  EXPECT_EQ(request.route, "/v1/chat/sessions/{id}");
}

TEST(RouterTest, NotFoundAndMethodNotAllowedAreJsonErrors) {
  Router router;
  ASSERT_TRUE(router.add("POST", "/v1/search", ok_handler("search")).ok());
  Request request = make_request("GET", "/nope");
  Response response = router.handle(request);
  EXPECT_EQ(response.status, 404);
  auto body = parse_json(response.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["error"]["code"], "not_found");

  request = make_request("GET", "/v1/search");
  response = router.handle(request);
  EXPECT_EQ(response.status, 405);
  EXPECT_EQ(response.headers.get("allow").value_or(""), "POST");
  body = parse_json(response.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["error"]["code"], "method_not_allowed");
}

TEST(RouterTest, RejectsDuplicatesAndMalformedPatterns) {
  Router router;
  ASSERT_TRUE(router.add("GET", "/a/{x}", ok_handler("1")).ok());
  EXPECT_EQ(router.add("GET", "/a/{y}", ok_handler("2")).code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(router.add("POST", "/a/{y}", ok_handler("3")).ok());
  EXPECT_EQ(router.add("GET", "a", ok_handler("4")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.add("GET", "/a/{", ok_handler("5")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(router.add("GET", "/a/b{c}", ok_handler("6")).code(), StatusCode::kInvalidArgument);
}

TEST(RouterTest, WrapperMapsStatusAndExceptions) {
  Router router;
  ASSERT_TRUE(router
                  .add("GET", "/missing",
                       [](Request&) -> Result<Response> {
                         return Status::not_found("document 'x' not found");
                       })
                  .ok());
  ASSERT_TRUE(router
                  .add("GET", "/throws",
                       [](Request&) -> Result<Response> { throw std::runtime_error("boom"); })
                  .ok());
  Request request = make_request("GET", "/missing");
  Response response = router.handle(request);
  EXPECT_EQ(response.status, 404);
  auto body = parse_json(response.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["error"]["code"], "not_found");
  EXPECT_EQ((*body)["error"]["message"], "document 'x' not found");

  request = make_request("GET", "/throws");
  response = router.handle(request);
  EXPECT_EQ(response.status, 500);
  body = parse_json(response.body);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ((*body)["error"]["code"], "internal");
  // The exception text is logged, not leaked.
  EXPECT_EQ(response.body.find("boom"), std::string::npos);
}

TEST(RouterTest, StaticAssetsServeGetAndHeadAndIndex) {
  Router router;
  router.add_static("/index.html", "text/html; charset=utf-8", "<h1>hola</h1>");
  router.add_static("/widget.js", "text/javascript", "console.log(1)");
  auto m = router.match("GET", "/");
  ASSERT_EQ(m.kind, Router::Match::Kind::kStatic);
  EXPECT_EQ(*m.static_body, "<h1>hola</h1>");
  m = router.match("HEAD", "/widget.js");
  ASSERT_EQ(m.kind, Router::Match::Kind::kStatic);
  EXPECT_EQ(*m.static_content_type, "text/javascript");
  EXPECT_EQ(router.match("POST", "/widget.js").kind, Router::Match::Kind::kNotFound);
}

TEST(RouterTest, DirectoriesServeTheirIndex) {
  Router router;
  router.add_static("/admin/index.html", "text/html; charset=utf-8", "<h1>panel</h1>");
  for (const char* path : {"/admin", "/admin/", "/admin/index.html"}) {
    auto m = router.match("GET", path);
    ASSERT_EQ(m.kind, Router::Match::Kind::kStatic) << path;
    EXPECT_EQ(*m.static_body, "<h1>panel</h1>") << path;
  }
  EXPECT_EQ(router.match("GET", "/").kind, Router::Match::Kind::kNotFound);  // no /index.html
  EXPECT_EQ(router.match("GET", "/admin/otra").kind, Router::Match::Kind::kNotFound);
  EXPECT_EQ(router.match("GET", "/adm").kind, Router::Match::Kind::kNotFound);
}

TEST(ErrorsTest, OneTableForEveryCode) {
  EXPECT_EQ(http_status_for(StatusCode::kInvalidArgument), 400);
  EXPECT_EQ(http_status_for(StatusCode::kUnauthenticated), 401);
  EXPECT_EQ(http_status_for(StatusCode::kPermissionDenied), 403);
  EXPECT_EQ(http_status_for(StatusCode::kNotFound), 404);
  EXPECT_EQ(http_status_for(StatusCode::kAlreadyExists), 409);
  EXPECT_EQ(http_status_for(StatusCode::kFailedPrecondition), 409);
  EXPECT_EQ(http_status_for(StatusCode::kResourceExhausted), 429);
  EXPECT_EQ(http_status_for(StatusCode::kUnavailable), 503);
  EXPECT_EQ(http_status_for(StatusCode::kDeadlineExceeded), 504);
  EXPECT_EQ(http_status_for(StatusCode::kInternal), 500);
  EXPECT_EQ(http_status_for(StatusCode::kUnimplemented), 501);
  Response response = error_response(Status::unavailable("llm down"));
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.headers.get("Content-Type").value_or(""), "application/json");
  EXPECT_EQ(response.body, R"({"error":{"code":"unavailable","message":"llm down"}})");
}

TEST(TypesTest, HeadersAreCaseInsensitiveAndQueryDecodes) {
  Headers headers;
  headers.add("Content-Type", "application/json");
  headers.add("X-A", "1");
  headers.add("x-a", "2");
  EXPECT_EQ(headers.get("content-type").value_or(""), "application/json");
  EXPECT_EQ(headers.get("X-A").value_or(""), "1");
  headers.set("X-a", "3");
  EXPECT_EQ(headers.size(), 2u);
  EXPECT_EQ(headers.get("x-A").value_or(""), "3");

  auto query = parse_query("q=tel%C3%A9fono+5G&k=3&flag&&k=4");
  ASSERT_EQ(query.size(), 4u);
  EXPECT_EQ(query[0].second, "teléfono 5G");
  EXPECT_EQ(query[2].first, "flag");
  Request request;
  request.query_params = query;
  EXPECT_EQ(request.query("k").value_or(""), "3");
  EXPECT_FALSE(request.query("nope").has_value());
  EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
}

TEST(JsonBodyTest, ParsesWithDepthLimitAndNamesErrors) {
  Request request;
  request.body = R"({"query":"hola"})";
  auto parsed = parse_json_body(request);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ((*parsed)["query"], "hola");
  request.body = "";
  EXPECT_EQ(parse_json_body(request).status().code(), StatusCode::kInvalidArgument);
  request.body = "{\"a\": ";
  auto bad = parse_json_body(request);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("request body"), std::string::npos);
  request.max_json_depth = 3;
  request.body = "[[[[1]]]]";
  EXPECT_EQ(parse_json_body(request).status().code(), StatusCode::kInvalidArgument);
}

TEST(CancelSignalTest, CallbacksRunOnceAndLateOnesRunAtOnce) {
  ManualCancelSignal signal;
  int calls = 0;
  signal.on_cancel([&] { ++calls; });
  EXPECT_FALSE(signal.cancelled());
  signal.cancel();
  signal.cancel();
  EXPECT_EQ(calls, 1);
  signal.on_cancel([&] { calls += 10; });
  EXPECT_EQ(calls, 11);
}

}  // namespace
}  // namespace atiende::http
