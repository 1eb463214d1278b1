// HTTP backend against a scripted server on 127.0.0.1: templates, auth header from the
// environment, Idempotency-Key on writes, retries for reads only, status mapping, timeouts.

#include <gtest/gtest.h>

#include "agent/http_backend.h"
#include "support/scripted_server.h"

namespace atiende::agent {
namespace {

using atiende::testing::ScriptedHttpServer;
using atiende::testing::ScriptedResponse;

class HttpBackendTest : public ::testing::Test {
 protected:
  std::unique_ptr<Backend> open(const std::string& extra = "") {
    const std::string toml = "[backend]\nbase_url = \"" + server_.base_url() + "/api\"\n"
        "timeout_ms = 2000\nread_retries = 2\nretry_backoff_ms = 1\n"
        "auth_env = \"TEST_API_TOKEN\"\n" + extra +
        "[backend.operations.get_account]\nurl = \"{base_url}/customers/{customer_id}\"\n"
        "response_pointer = \"/data\"\n"
        "[backend.operations.list_orders]\nurl = \"{base_url}/customers/{customer_id}/orders\"\n"
        "[backend.operations.list_outages]\nurl = \"{base_url}/outages?area={area}&service={service}\"\n"
        "[backend.operations.change_plan]\nmethod = \"POST\"\n"
        "url = \"{base_url}/customers/{customer_id}/plan\"\n"
        "body = { plan_id = \"{plan_id}\", effective_date = \"{effective_date}\" }\n"
        "[backend.operations.create_order]\nmethod = \"POST\"\n"
        "url = \"{base_url}/customers/{customer_id}/orders\"\n"
        "body = { device_id = \"{device_id}\", color = \"{color}\", price_cop = \"{price_cop}\" }\n";
    auto config = Config::load_string(toml, map_env({{"TEST_API_TOKEN", "tok-123"}}));
    EXPECT_TRUE(config.ok()) << config.status().to_string();
    auto backend = open_http_backend(*config, clock_);
    EXPECT_TRUE(backend.ok()) << backend.status().to_string();
    return backend.ok() ? std::move(*backend) : nullptr;
  }
  FakeClock clock_;
  ScriptedHttpServer server_;
};

TEST_F(HttpBackendTest, ReadsMapArgumentsAndAuth) {
  auto backend = open();
  ASSERT_TRUE(backend);
  server_.enqueue(ScriptedResponse::full(200, R"({"data":{"customer_id":"CUST-9","account_type":"pospago",
      "status":"activa","plan_id":"plan-5g-20","billing_cycle_day":5,"address":{"city":"Cali","street":"x"}}})"));
  auto account = backend->get_account("CUST 1/2");
  ASSERT_TRUE(account.ok()) << account.status().to_string();
  EXPECT_EQ(account->customer_id, "CUST 1/2");  // the caller's customer, never the body's
  EXPECT_EQ(account->plan_id, "plan-5g-20");
  EXPECT_EQ(account->city, "Cali");
  EXPECT_EQ(account->details_json.find("street"), std::string::npos);
  auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/api/customers/CUST%201%2F2");
  EXPECT_EQ(net::find_header(requests[0].headers, "Authorization").value_or(""), "Bearer tok-123");
  EXPECT_FALSE(net::find_header(requests[0].headers, "Idempotency-Key").has_value());
  server_.enqueue(ScriptedResponse::full(200, R"([{"id":"OUT-1","area":"Cali","service":"movil","status":"activa"}])"));
  auto outages = backend->list_outages("Ciudad Jardín", "movil");
  ASSERT_TRUE(outages.ok());
  ASSERT_EQ(outages->size(), 1u);
  EXPECT_EQ(server_.requests()[1].target, "/api/outages?area=Ciudad%20Jard%C3%ADn&service=movil");
}

TEST_F(HttpBackendTest, ReadsAreRetriedOn5xx) {
  auto backend = open();
  ASSERT_TRUE(backend);
  server_.enqueue(ScriptedResponse::full(503, R"({"error":"busy"})"));
  server_.enqueue(ScriptedResponse::full(502, R"({"error":"busy"})"));
  server_.enqueue(ScriptedResponse::full(200, R"([{"order_id":"ORD-1","device_id":"dev-x","status":"en_camino","created":"2026-11-20T10:00:00-05:00"}])"));
  auto orders = backend->list_orders("CUST-1");
  ASSERT_TRUE(orders.ok()) << orders.status().to_string();
  ASSERT_EQ(orders->size(), 1u);
  EXPECT_GT((*orders)[0].created_ms, 0);
  EXPECT_EQ(server_.request_count(), 3u);
  for (int i = 0; i < 3; ++i) server_.enqueue(ScriptedResponse::full(500, "{}"));
  auto failed = backend->list_orders("CUST-1");
  EXPECT_EQ(failed.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server_.request_count(), 6u);
}

TEST_F(HttpBackendTest, WritesCarryIdempotencyKeyAndAreNeverRetried) {
  auto backend = open();
  ASSERT_TRUE(backend);
  server_.enqueue(ScriptedResponse::full(201, R"({"order_id":"ORD-60001","status":"preparando","eta":"2026-11-25","price_cop":999900})"));
  OrderRequest req{"CUST-1", "dev-moto-g85", "azul cobalto", 999900, "cnf_abc"};
  auto order = backend->create_order(req);
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  EXPECT_EQ(order->order.order_id, "ORD-60001");
  EXPECT_EQ(order->order.device_id, "dev-moto-g85");
  auto r = server_.requests()[0];
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(net::find_header(r.headers, "Idempotency-Key").value_or(""), "cnf_abc");
  EXPECT_EQ(r.body, R"({"color":"azul cobalto","device_id":"dev-moto-g85","price_cop":999900})");
  server_.enqueue(ScriptedResponse::full(503, "{}"));
  PlanChangeRequest change{"CUST-1", "plan-5g-40", "2026-11-22", "cnf_def"};
  EXPECT_EQ(backend->change_plan(change).status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(server_.request_count(), 2u);  // one attempt only
  server_.enqueue(ScriptedResponse::full(409, R"({"error":"sold_out"})"));
  auto rejected = backend->create_order(req);
  EXPECT_EQ(rejected.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(rejected.status().message(), "sold_out");
  server_.enqueue(ScriptedResponse::full(404, "{}"));
  EXPECT_EQ(backend->change_plan(change).status().code(), StatusCode::kNotFound);
  server_.enqueue(ScriptedResponse::full(200, "not json"));
  EXPECT_EQ(backend->change_plan(change).status().code(), StatusCode::kInternal);
}

TEST_F(HttpBackendTest, StalledServerTimesOut) {
  auto backend = open();
  ASSERT_TRUE(backend);
  server_.enqueue(ScriptedResponse().stall_before_head());
  PlanChangeRequest change{"CUST-1", "plan-5g-40", "2026-11-22", "cnf_x"};
  auto r = backend->change_plan(change);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == StatusCode::kDeadlineExceeded ||
              r.status().code() == StatusCode::kUnavailable) << r.status().to_string();
}

TEST(HttpBackendConfigTest, BadConfigNamesTheKey) {
  FakeClock clock;
  auto load = [&](const std::string& toml, std::map<std::string, std::string> env = {}) {
    auto c = Config::load_string(toml, map_env(env));
    EXPECT_TRUE(c.ok());
    return open_http_backend(*c, clock).status().message();
  };
  EXPECT_NE(load("[backend]\nbase_url=\"http://x\"\n").find("backend.operations"), std::string::npos);
  EXPECT_NE(load("[backend.operations.borrar_todo]\nurl=\"http://x\"\n").find("unknown operation"), std::string::npos);
  EXPECT_NE(load("[backend.operations.change_plan]\nurl=\"http://x\"\n").find("writes must not use GET"), std::string::npos);
  EXPECT_NE(load("[backend]\nauth_env=\"NOPE\"\n[backend.operations.get_account]\nurl=\"http://x\"\n").find("NOPE"),
            std::string::npos);
  auto example = open_http_backend_file(std::string(ATIENDE_SOURCE_DIR) + "/data/demo/backend_http.example.toml",
                                        clock, map_env({{"UNAEMPRESA_API_TOKEN", "t"}}));
  EXPECT_TRUE(example.ok()) << example.status().to_string();
}

}  // namespace
}  // namespace atiende::agent
