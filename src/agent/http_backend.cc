#include "agent/http_backend.h"

#include <map>

#include "agent/dates.h"
#include "common/json.h"
#include "common/strings.h"
#include "net/http_client.h"

namespace atiende::agent {
namespace {

struct Operation {
  std::string method = "GET";
  std::string url;
  Json body;  ///< null when none
  std::string response_pointer;
};

using Args = std::map<std::string, Json>;

std::string url_encode(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string as_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return dump_json(v);
}

/// Replaces {name} placeholders; unknown names are an error (a typo in the config).
Result<std::string> expand(const std::string& tmpl, const Args& args, bool encode) {
  std::string out;
  size_t i = 0;
  while (i < tmpl.size()) {
    if (tmpl[i] != '{') {
      out.push_back(tmpl[i++]);
      continue;
    }
    const size_t close = tmpl.find('}', i);
    if (close == std::string::npos) return Status::invalid_argument("unclosed '{' in template: " + tmpl);
    const std::string name = tmpl.substr(i + 1, close - i - 1);
    auto it = args.find(name);
    if (it == args.end()) return Status::invalid_argument("unknown placeholder {" + name + "} in: " + tmpl);
    const std::string value = as_text(it->second);
    out += encode && name != "base_url" ? url_encode(value) : value;
    i = close + 1;
  }
  return out;
}

Result<Json> expand_body(const Json& tmpl, const Args& args) {
  if (tmpl.is_string()) {
    const std::string s = tmpl.get<std::string>();
    if (s.size() > 2 && s.front() == '{' && s.back() == '}' && s.find('{', 1) == std::string::npos) {
      auto it = args.find(s.substr(1, s.size() - 2));
      if (it == args.end()) return Status::invalid_argument("unknown placeholder " + s + " in body");
      return it->second;
    }
    ATIENDE_ASSIGN_OR_RETURN(std::string expanded, expand(s, args, false));
    return Json(expanded);
  }
  if (tmpl.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : tmpl.items()) {
      ATIENDE_ASSIGN_OR_RETURN(out[k], expand_body(v, args));
    }
    return out;
  }
  if (tmpl.is_array()) {
    Json out = Json::array();
    for (const auto& v : tmpl) {
      ATIENDE_ASSIGN_OR_RETURN(Json e, expand_body(v, args));
      out.push_back(std::move(e));
    }
    return out;
  }
  return tmpl;
}

std::string str(const Json& o, const char* key) {
  return o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : "";
}

Order order_from_json(const Json& o, const std::string& customer) {
  Order order;
  order.order_id = str(o, "order_id");
  order.customer_id = customer;
  order.device_id = str(o, "device_id");
  order.color = str(o, "color");
  order.status = str(o, "status");
  order.eta = str(o, "eta");
  order.price_cop = o.contains("price_cop") && o["price_cop"].is_number() ? o["price_cop"].get<int64_t>() : 0;
  if (o.contains("created_ms") && o["created_ms"].is_number()) {
    order.created_ms = o["created_ms"].get<int64_t>();
  } else {
    order.created_ms = parse_iso_millis(str(o, "created")).value_or(0);
  }
  order.details_json = dump_json(o);
  return order;
}

class HttpBackend final : public Backend {
 public:
  HttpBackend(std::map<std::string, Operation> ops, std::string base_url, net::RequestOptions read,
              net::RequestOptions write, std::string auth_header, std::string auth_value)
      : ops_(std::move(ops)), base_url_(std::move(base_url)), read_(read), write_(write),
        auth_header_(std::move(auth_header)), auth_value_(std::move(auth_value)) {}

  std::string name() const override { return "http"; }

  Result<Account> get_account(const std::string& customer_id) override {
    ATIENDE_ASSIGN_OR_RETURN(Json a, call("get_account", {{"customer_id", customer_id}}, ""));
    if (!a.is_object()) return Status::internal("backend get_account: response is not an object");
    Account account;
    account.customer_id = customer_id;  // always the token's customer, whatever the body says
    account.display_name = str(a, "display_name");
    account.account_type = str(a, "account_type");
    account.status = str(a, "status");
    account.plan_id = str(a, "plan_id");
    account.home_plan_id = str(a, "home_plan_id");
    if (a.contains("billing_cycle_day") && a["billing_cycle_day"].is_number()) {
      account.billing_cycle_day = a["billing_cycle_day"].get<int64_t>();
    }
    account.city = str(a, "city");
    if (account.city.empty() && a.contains("address") && a["address"].is_object()) {
      account.city = str(a["address"], "city");
    }
    if (a.contains("open_orders") && a["open_orders"].is_array()) {
      for (const auto& o : a["open_orders"]) account.open_orders.push_back(order_from_json(o, customer_id));
    }
    Json view = a;
    view.erase("address");
    view["customer_id"] = customer_id;
    account.details_json = dump_json(view);
    return account;
  }

  Result<std::vector<Order>> list_orders(const std::string& customer_id) override {
    ATIENDE_ASSIGN_OR_RETURN(Json list, call("list_orders", {{"customer_id", customer_id}}, ""));
    if (list.is_object() && list.contains("orders")) list = list["orders"];
    if (!list.is_array()) return Status::internal("backend list_orders: response is not an array");
    std::vector<Order> out;
    for (const auto& o : list) out.push_back(order_from_json(o, customer_id));
    std::sort(out.begin(), out.end(), [](const Order& a, const Order& b) { return a.created_ms > b.created_ms; });
    return out;
  }

  Result<std::vector<Outage>> list_outages(const std::string& area, const std::string& service) override {
    ATIENDE_ASSIGN_OR_RETURN(Json list, call("list_outages", {{"area", area}, {"service", service}}, ""));
    if (list.is_object() && list.contains("outages")) list = list["outages"];
    if (!list.is_array()) return Status::internal("backend list_outages: response is not an array");
    std::vector<Outage> out;
    for (const auto& o : list) {
      out.push_back({str(o, "id"), str(o, "area"), str(o, "service"), str(o, "status"), dump_json(o)});
    }
    return out;
  }

  Result<PlanChangeResult> change_plan(const PlanChangeRequest& r) override {
    if (r.idempotency_key.empty()) return Status::invalid_argument("idempotency key is empty");
    ATIENDE_ASSIGN_OR_RETURN(Json res, call("change_plan",
                                            {{"customer_id", r.customer_id}, {"plan_id", r.plan_id},
                                             {"effective_date", r.effective_date}},
                                            r.idempotency_key));
    PlanChangeResult out;
    out.customer_id = r.customer_id;
    out.old_plan_id = res.is_object() ? str(res, "old_plan_id") : "";
    out.new_plan_id = res.is_object() && !str(res, "new_plan_id").empty() ? str(res, "new_plan_id") : r.plan_id;
    out.effective_date = res.is_object() && !str(res, "effective_date").empty() ? str(res, "effective_date")
                                                                                : r.effective_date;
    out.replayed = res.is_object() && res.value("replayed", false);
    return out;
  }

  Result<OrderResult> create_order(const OrderRequest& r) override {
    if (r.idempotency_key.empty()) return Status::invalid_argument("idempotency key is empty");
    ATIENDE_ASSIGN_OR_RETURN(Json res, call("create_order",
                                            {{"customer_id", r.customer_id}, {"device_id", r.device_id},
                                             {"color", r.color}, {"price_cop", r.price_cop}},
                                            r.idempotency_key));
    if (!res.is_object() || str(res, "order_id").empty()) {
      return Status::internal("backend create_order: response has no order_id");
    }
    OrderResult out;
    out.order = order_from_json(res, r.customer_id);
    if (out.order.device_id.empty()) out.order.device_id = r.device_id;
    if (out.order.color.empty()) out.order.color = r.color;
    out.replayed = res.value("replayed", false);
    return out;
  }

 private:
  Result<Json> call(const std::string& op_name, Args args, const std::string& idempotency_key) {
    auto it = ops_.find(op_name);
    if (it == ops_.end()) return Status::unimplemented("backend operation '" + op_name + "' is not configured");
    const Operation& op = it->second;
    args["base_url"] = base_url_;
    net::HttpRequest req;
    req.method = op.method;
    ATIENDE_ASSIGN_OR_RETURN(req.url, expand(op.url, args, true));
    req.headers.push_back({"Accept", "application/json"});
    if (!auth_value_.empty()) req.headers.push_back({auth_header_, auth_value_});
    const bool write = op.method != "GET" && op.method != "HEAD";
    if (write) req.headers.push_back({"Idempotency-Key", idempotency_key});
    if (!op.body.is_null()) {
      ATIENDE_ASSIGN_OR_RETURN(Json body, expand_body(op.body, args));
      req.body = dump_json(body);
      req.headers.push_back({"Content-Type", "application/json"});
    }
    auto response = client_.fetch(req, write ? write_ : read_);
    if (!response.ok()) {
      const auto code = response.status().code();
      if (code == StatusCode::kDeadlineExceeded) return Status::deadline_exceeded("backend " + op_name + " timed out");
      if (code == StatusCode::kInvalidArgument) return response.status().with_context("backend " + op_name);
      return Status::unavailable("backend " + op_name + ": " + response.status().message());
    }
    const int status = response->status;
    auto parsed = parse_json(response->body.empty() ? std::string_view("null") : std::string_view(response->body));
    if (status >= 200 && status < 300) {
      if (!parsed.ok()) return Status::internal("backend " + op_name + ": response is not JSON");
      Json value = *parsed;
      if (!op.response_pointer.empty()) {
        try {
          value = value.at(Json::json_pointer(op.response_pointer));
        } catch (const std::exception&) {
          return Status::internal("backend " + op_name + ": no " + op.response_pointer + " in response");
        }
      }
      return value;
    }
    std::string reason;
    if (parsed.ok() && parsed->is_object()) {
      const Json& e = (*parsed).contains("error") ? (*parsed)["error"] : *parsed;
      if (e.is_string()) reason = e.get<std::string>();
      else if (e.is_object()) reason = str(e, "code");
    }
    if (reason.empty() || reason.size() > 64) reason = "backend_rejected";
    if (status == 404) return Status::not_found("backend " + op_name + ": not found");
    if (status == 409 || status == 422) return Status::failed_precondition(reason);
    if (net::is_retryable_status(status)) {
      return Status::unavailable("backend " + op_name + ": HTTP " + std::to_string(status));
    }
    return Status::internal("backend " + op_name + ": HTTP " + std::to_string(status));
  }

  std::map<std::string, Operation> ops_;
  std::string base_url_;
  net::RequestOptions read_, write_;
  std::string auth_header_, auth_value_;
  net::HttpClient client_;
};

}  // namespace

Result<std::unique_ptr<Backend>> open_http_backend(const Config& config, const Clock&) {
  ATIENDE_ASSIGN_OR_RETURN(std::string base_url, config.get_string("backend.base_url", ""));
  ATIENDE_ASSIGN_OR_RETURN(int64_t timeout_ms, config.get_int("backend.timeout_ms", 5000));
  ATIENDE_ASSIGN_OR_RETURN(int64_t retries, config.get_int("backend.read_retries", 2));
  ATIENDE_ASSIGN_OR_RETURN(int64_t backoff_ms, config.get_int("backend.retry_backoff_ms", 200));
  ATIENDE_ASSIGN_OR_RETURN(std::string auth_header, config.get_string("backend.auth_header", "Authorization"));
  ATIENDE_ASSIGN_OR_RETURN(std::string auth_env, config.get_string("backend.auth_env", ""));
  ATIENDE_ASSIGN_OR_RETURN(std::string auth_prefix, config.get_string("backend.auth_prefix", "Bearer "));
  if (timeout_ms <= 0 || timeout_ms > 120000) return Status::invalid_argument("backend.timeout_ms must be 1..120000");
  if (retries < 0 || retries > 5) return Status::invalid_argument("backend.read_retries must be 0..5");
  if (backoff_ms < 0) return Status::invalid_argument("backend.retry_backoff_ms must be >= 0");
  auto ops_json = config.get_json("backend.operations");
  if (!ops_json.ok()) return Status::invalid_argument("backend.operations: missing table");
  ATIENDE_ASSIGN_OR_RETURN(Json ops, parse_json(*ops_json));
  std::map<std::string, Operation> operations;
  static const char* kKnown[] = {"get_account", "list_orders", "list_outages", "change_plan", "create_order"};
  for (const auto& [name, o] : ops.items()) {
    bool known = false;
    for (const char* k : kKnown) known = known || name == k;
    const std::string key = "backend.operations." + name;
    if (!known) return Status::invalid_argument(key + ": unknown operation");
    if (!o.is_object() || !o.contains("url") || !o["url"].is_string()) {
      return Status::invalid_argument(key + ".url: missing string");
    }
    Operation op;
    op.url = o["url"].get<std::string>();
    if (op.url.find("{base_url}") != std::string::npos && base_url.empty()) {
      return Status::invalid_argument("backend.base_url: required by " + key + ".url");
    }
    op.method = ascii_lower(o.value("method", std::string("GET")));
    for (auto& c : op.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (op.method != "GET" && op.method != "POST" && op.method != "PUT" && op.method != "PATCH") {
      return Status::invalid_argument(key + ".method: must be GET, POST, PUT or PATCH");
    }
    const bool write_op = name == "change_plan" || name == "create_order";
    if (write_op == (op.method == "GET")) {
      return Status::invalid_argument(key + ".method: " + (write_op ? "writes must not use GET" : "reads must use GET"));
    }
    if (o.contains("body")) op.body = o["body"];
    op.response_pointer = o.value("response_pointer", std::string());
    operations[name] = std::move(op);
  }
  net::RequestOptions read, write;
  read.connect_timeout = write.connect_timeout = std::chrono::milliseconds(timeout_ms);
  read.idle_timeout = write.idle_timeout = std::chrono::milliseconds(timeout_ms);
  read.total_timeout = std::chrono::milliseconds(timeout_ms * (retries + 1) + backoff_ms * (retries + 1) * 4);
  write.total_timeout = std::chrono::milliseconds(timeout_ms);
  read.max_body_bytes = write.max_body_bytes = 4u << 20;
  read.retry.max_attempts = static_cast<int>(retries + 1);
  read.retry.initial_backoff = std::chrono::milliseconds(backoff_ms);
  read.retry.max_backoff = std::chrono::milliseconds(std::max<int64_t>(backoff_ms * 8, 1));
  write.retry.max_attempts = 1;  // writes are never retried here; the idempotency key makes a
  write.retry.retry_non_idempotent = false;  // user-level retry (same confirmation) safe
  std::string auth_value;
  if (!auth_env.empty()) {
    auto token = config.env()(auth_env);
    if (!token || token->empty()) {
      return Status::invalid_argument("backend.auth_env: environment variable " + auth_env + " is not set");
    }
    auth_value = auth_prefix + *token;
  }
  return std::unique_ptr<Backend>(new HttpBackend(std::move(operations), base_url, read, write,
                                                  auth_header, auth_value));
}

Result<std::unique_ptr<Backend>> open_http_backend_file(const std::filesystem::path& path,
                                                        const Clock& clock, EnvLookup env) {
  ATIENDE_ASSIGN_OR_RETURN(Config config, Config::load_file(path, std::move(env)));
  auto backend = open_http_backend(config, clock);
  if (!backend.ok()) return backend.status().with_context(path.string());
  return backend;
}

}  // namespace atiende::agent
