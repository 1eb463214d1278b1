#include "agent/demo_backend.h"

#include <atomic>
#include <mutex>

#include "agent/dates.h"
#include "common/files.h"
#include "common/json.h"
#include "store/migrations.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

constexpr store::Migration kDemoMigrations[] = {
    {1,
     "CREATE TABLE demo_customers(id TEXT PRIMARY KEY, doc TEXT NOT NULL);"
     "CREATE TABLE demo_orders(order_id TEXT PRIMARY KEY, customer_id TEXT NOT NULL,"
     " device_id TEXT NOT NULL, color TEXT NOT NULL, status TEXT NOT NULL,"
     " created_ms INTEGER NOT NULL, eta TEXT NOT NULL, price_cop INTEGER NOT NULL,"
     " details TEXT NOT NULL);"
     "CREATE INDEX demo_orders_customer ON demo_orders(customer_id, created_ms);"
     "CREATE TABLE demo_outages(id TEXT PRIMARY KEY, doc TEXT NOT NULL);"
     "CREATE TABLE demo_stock(device_id TEXT PRIMARY KEY, stock INTEGER NOT NULL);"
     "CREATE TABLE demo_idempotency(key TEXT PRIMARY KEY, kind TEXT NOT NULL,"
     " customer_id TEXT NOT NULL, result TEXT NOT NULL, created_ms INTEGER NOT NULL);"},
};

constexpr int64_t kDayMs = 24 * 3600 * 1000LL;
const char* const kMainCities[] = {"bogota",      "medellin",  "cali",   "barranquilla",
                                   "cartagena",   "bucaramanga", "pereira"};

Order order_from_row(store::Statement& st) {
  Order o;
  o.order_id = st.column_text(0);
  o.customer_id = st.column_text(1);
  o.device_id = st.column_text(2);
  o.color = st.column_text(3);
  o.status = st.column_text(4);
  o.created_ms = st.column_int(5);
  o.eta = st.column_text(6);
  o.price_cop = st.column_int(7);
  o.details_json = st.column_text(8);
  return o;
}

class DemoBackend final : public Backend {
 public:
  DemoBackend(std::shared_ptr<store::SqliteDatabase> db, const Catalog& catalog, const Clock& clock)
      : db_(std::move(db)), catalog_(catalog), clock_(clock) {}

  std::string name() const override { return "demo"; }

  Status seed(const std::filesystem::path& demo_dir);

  Result<Account> get_account(const std::string& customer_id) override {
    ATIENDE_RETURN_IF_ERROR(take_failure());
    Json doc;
    ATIENDE_RETURN_IF_ERROR(load_customer(customer_id, doc));
    ATIENDE_ASSIGN_OR_RETURN(auto orders, orders_of(customer_id));
    Account a;
    a.customer_id = customer_id;
    a.display_name = doc.value("display_name", "");
    a.account_type = doc.value("account_type", "");
    a.status = doc.value("status", "");
    a.plan_id = doc.value("plan_id", "");
    a.home_plan_id = doc["home_plan_id"].is_string() ? doc["home_plan_id"].get<std::string>() : "";
    a.billing_cycle_day = doc.value("billing_cycle_day", 1);
    if (doc.contains("address") && doc["address"].is_object()) a.city = doc["address"].value("city", "");
    Json open = Json::array();
    for (const auto& o : orders) {
      if (o.status == "entregado" || o.status == "cancelado") continue;
      a.open_orders.push_back(o);
      open.push_back({{"order_id", o.order_id}, {"device_id", o.device_id}, {"status", o.status},
                      {"eta", o.eta}});
    }
    Json view = {{"customer_id", customer_id},
                 {"account_type", a.account_type},
                 {"status", a.status},
                 {"plan_id", a.plan_id},
                 {"city", a.city},
                 {"open_orders", open}};
    if (const Plan* p = catalog_.find_plan(a.plan_id)) {
      view["plan_name"] = p->name;
      view["plan_price_cop"] = p->price_cop;
    }
    if (!a.home_plan_id.empty()) view["home_plan_id"] = a.home_plan_id;
    for (const char* key : {"data_used_gb", "data_quota_gb", "rollover_gb", "balance_cop", "due_date",
                            "prepaid_credit_cop", "package_expires", "roaming_active",
                            "billing_cycle_day", "status_reason", "lines"}) {
      if (doc.contains(key)) view[key] = doc[key];
    }
    Json devices = Json::array();
    if (doc.contains("devices") && doc["devices"].is_array()) {
      for (const auto& d : doc["devices"]) {
        Json dv = {{"device_id", d.value("device_id", "")}, {"color", d.value("color", "")}};
        if (const Device* dev = catalog_.find_device(d.value("device_id", ""))) dv["name"] = dev->name;
        if (d.contains("installments_left")) dv["installments_left"] = d["installments_left"];
        devices.push_back(dv);
      }
    }
    view["devices"] = devices;
    a.details_json = dump_json(view);
    return a;
  }

  Result<std::vector<Order>> list_orders(const std::string& customer_id) override {
    ATIENDE_RETURN_IF_ERROR(take_failure());
    Json doc;
    ATIENDE_RETURN_IF_ERROR(load_customer(customer_id, doc));
    return orders_of(customer_id);
  }

  Result<std::vector<Outage>> list_outages(const std::string& area,
                                           const std::string& service) override {
    ATIENDE_RETURN_IF_ERROR(take_failure());
    std::vector<Outage> out;
    const std::string folded_area = text::fold(area);
    Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare("SELECT doc FROM demo_outages ORDER BY id"));
      while (true) {
        ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) break;
        auto doc = parse_json(st.column_text(0));
        if (!doc.ok()) return doc.status();
        Outage o;
        o.id = doc->value("id", "");
        o.area = doc->value("area", "");
        o.service = doc->value("service", "");
        o.status = doc->value("status", "");
        if (!service.empty() && o.service != service) continue;
        if (!folded_area.empty()) {
          std::string haystack = text::fold(o.area);
          if ((*doc).contains("neighborhoods") && (*doc)["neighborhoods"].is_array()) {
            for (const auto& n : (*doc)["neighborhoods"]) {
              if (n.is_string()) haystack += " | " + text::fold(n.get<std::string>());
            }
          }
          const bool national = o.area == "Nacional";
          if (!national && !contains_phrase(haystack, folded_area) &&
              !contains_phrase(folded_area, text::fold(o.area))) {
            continue;
          }
        }
        o.details_json = dump_json(*doc);
        out.push_back(std::move(o));
      }
      return Status::ok_status();
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<PlanChangeResult> change_plan(const PlanChangeRequest& request) override {
    ATIENDE_RETURN_IF_ERROR(take_failure());
    if (request.idempotency_key.empty()) return Status::invalid_argument("idempotency key is empty");
    PlanChangeResult result;
    Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto replay, find_replay(db, request.idempotency_key, "change_plan",
                                                        request.customer_id));
      if (replay) {
        result.customer_id = request.customer_id;
        result.old_plan_id = replay->value("old_plan_id", "");
        result.new_plan_id = replay->value("new_plan_id", "");
        result.effective_date = replay->value("effective_date", "");
        result.replayed = true;
        return Status::ok_status();
      }
      Json doc;
      ATIENDE_RETURN_IF_ERROR(load_customer_in(db, request.customer_id, doc));
      const std::string current = doc.value("plan_id", "");
      const std::string current_home = doc["home_plan_id"].is_string() ? doc["home_plan_id"].get<std::string>() : "";
      const Plan* target = catalog_.find_plan(request.plan_id);
      if (!target) return Status::not_found("plan '" + request.plan_id + "' is not in the catalog");
      const bool home = target->type == "hogar_fibra";
      const std::string& from = home ? current_home : current;
      const Plan* from_plan = catalog_.find_plan(from);
      if (!from_plan) {
        return Status::failed_precondition(home ? "no_home_plan" : "no_mobile_plan");
      }
      if (from_plan->id == target->id) return Status::failed_precondition("same_plan");
      if (from_plan->type != target->type) return Status::failed_precondition("plan_family_mismatch");
      doc[home ? "home_plan_id" : "plan_id"] = target->id;
      if (!home && target->data_gb != 0) doc["data_quota_gb"] = target->data_gb;
      ATIENDE_ASSIGN_OR_RETURN(auto up, db.prepare("UPDATE demo_customers SET doc = ? WHERE id = ?"));
      up.bind(1, dump_json(doc)).bind(2, request.customer_id);
      ATIENDE_RETURN_IF_ERROR(up.run());
      result = {request.customer_id, from_plan->id, target->id, request.effective_date, false};
      Json stored = {{"old_plan_id", result.old_plan_id}, {"new_plan_id", result.new_plan_id},
                     {"effective_date", result.effective_date}};
      return record_key(db, request.idempotency_key, "change_plan", request.customer_id, stored);
    });
    if (!s.ok()) return s;
    if (!result.replayed) ++applied_writes_;
    return result;
  }

  Result<OrderResult> create_order(const OrderRequest& request) override {
    ATIENDE_RETURN_IF_ERROR(take_failure());
    if (request.idempotency_key.empty()) return Status::invalid_argument("idempotency key is empty");
    OrderResult result;
    Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto replay, find_replay(db, request.idempotency_key, "create_order",
                                                        request.customer_id));
      if (replay) {
        ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
            "SELECT order_id, customer_id, device_id, color, status, created_ms, eta, price_cop,"
            " details FROM demo_orders WHERE order_id = ?"));
        st.bind(1, replay->value("order_id", ""));
        ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) return Status::data_loss("idempotency record points to a missing order");
        result.order = order_from_row(st);
        result.replayed = true;
        return Status::ok_status();
      }
      Json doc;
      ATIENDE_RETURN_IF_ERROR(load_customer_in(db, request.customer_id, doc));
      const Device* device = catalog_.find_device(request.device_id);
      if (!device) return Status::not_found("device '" + request.device_id + "' is not in the catalog");
      bool color_ok = false;
      for (const auto& c : device->colors) color_ok = color_ok || c == request.color;
      if (!color_ok) return Status::failed_precondition("unknown_color");
      ATIENDE_ASSIGN_OR_RETURN(auto stock_st, db.prepare("SELECT stock FROM demo_stock WHERE device_id = ?"));
      stock_st.bind(1, device->id);
      ATIENDE_ASSIGN_OR_RETURN(bool has_stock_row, stock_st.step());
      const int64_t stock = has_stock_row ? stock_st.column_int(0) : device->stock;
      if (stock <= 0) return Status::failed_precondition("sold_out");
      const int64_t now = clock_.unix_millis();
      ATIENDE_ASSIGN_OR_RETURN(auto recent_st, db.prepare(
          "SELECT COUNT(*) FROM demo_orders WHERE customer_id = ? AND created_ms > ?"));
      recent_st.bind(1, request.customer_id).bind(2, now - kDayMs);
      ATIENDE_ASSIGN_OR_RETURN(bool counted, recent_st.step());
      if (counted && recent_st.column_int(0) > 0) return Status::failed_precondition("phone_order_limit");
      ATIENDE_ASSIGN_OR_RETURN(int64_t max_num, store::query_int(
          db, "SELECT COALESCE(MAX(CAST(substr(order_id, 5) AS INTEGER)), 50000) FROM demo_orders", 50000));
      Order o;
      o.order_id = "ORD-" + std::to_string(max_num + 1);
      o.customer_id = request.customer_id;
      o.device_id = device->id;
      o.color = request.color;
      o.status = "preparando";
      o.created_ms = now;
      o.price_cop = device->price_cop;
      std::string city;
      if (doc.contains("address") && doc["address"].is_object()) city = text::fold(doc["address"].value("city", ""));
      bool main_city = false;
      for (const char* c : kMainCities) main_city = main_city || city == c;
      o.eta = iso_date(add_business_days(local_date_of(now), main_city ? 3 : 6));
      o.details_json = dump_json(Json{{"payment", doc.value("account_type", "") == "prepago" ? "contado" : "a convenir"},
                                      {"carrier", nullptr}, {"tracking", nullptr},
                                      {"created", format_iso8601(clock_.now())}});
      ATIENDE_ASSIGN_OR_RETURN(auto ins, db.prepare(
          "INSERT INTO demo_orders(order_id, customer_id, device_id, color, status, created_ms, eta,"
          " price_cop, details) VALUES(?,?,?,?,?,?,?,?,?)"));
      ins.bind(1, o.order_id).bind(2, o.customer_id).bind(3, o.device_id).bind(4, o.color)
          .bind(5, o.status).bind(6, o.created_ms).bind(7, o.eta).bind(8, o.price_cop)
          .bind(9, o.details_json);
      ATIENDE_RETURN_IF_ERROR(ins.run());
      ATIENDE_ASSIGN_OR_RETURN(auto dec, db.prepare(
          "INSERT INTO demo_stock(device_id, stock) VALUES(?, ?) "
          "ON CONFLICT(device_id) DO UPDATE SET stock = stock - 1"));
      dec.bind(1, device->id).bind(2, stock - 1);
      ATIENDE_RETURN_IF_ERROR(dec.run());
      result.order = o;
      return record_key(db, request.idempotency_key, "create_order", request.customer_id,
                        Json{{"order_id", o.order_id}});
    });
    if (!s.ok()) return s;
    if (!result.replayed) ++applied_writes_;
    return result;
  }

  void fail_next(int n, Status status) {
    std::lock_guard lock(fail_mutex_);
    fail_count_ = n;
    fail_status_ = std::move(status);
  }
  int64_t applied_writes() const { return applied_writes_.load(); }

 private:
  Status take_failure() {
    std::lock_guard lock(fail_mutex_);
    if (fail_count_ <= 0) return Status::ok_status();
    --fail_count_;
    return fail_status_;
  }

  Status load_customer(const std::string& id, Json& doc) {
    return db_->with_connection([&](store::SqliteDatabase& db) { return load_customer_in(db, id, doc); });
  }

  static Status load_customer_in(store::SqliteDatabase& db, const std::string& id, Json& doc) {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare("SELECT doc FROM demo_customers WHERE id = ?"));
    st.bind(1, id);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status::not_found("unknown customer");
    ATIENDE_ASSIGN_OR_RETURN(doc, parse_json(st.column_text(0)));
    return Status::ok_status();
  }

  Result<std::vector<Order>> orders_of(const std::string& customer_id) {
    std::vector<Order> out;
    Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
          "SELECT order_id, customer_id, device_id, color, status, created_ms, eta, price_cop,"
          " details FROM demo_orders WHERE customer_id = ? ORDER BY created_ms DESC"));
      st.bind(1, customer_id);
      while (true) {
        ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
        if (!row) break;
        out.push_back(order_from_row(st));
      }
      return Status::ok_status();
    });
    if (!s.ok()) return s;
    return out;
  }

  static Result<std::optional<Json>> find_replay(store::SqliteDatabase& db, const std::string& key,
                                                 const std::string& kind, const std::string& customer) {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "SELECT kind, customer_id, result FROM demo_idempotency WHERE key = ?"));
    st.bind(1, key);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return std::optional<Json>();
    if (st.column_text(0) != kind || st.column_text(1) != customer) {
      return Status::failed_precondition("idempotency key reused for a different request");
    }
    ATIENDE_ASSIGN_OR_RETURN(Json stored, parse_json(st.column_text(2)));
    return std::optional<Json>(std::move(stored));
  }

  Status record_key(store::SqliteDatabase& db, const std::string& key, const std::string& kind,
                    const std::string& customer, const Json& result) {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "INSERT INTO demo_idempotency(key, kind, customer_id, result, created_ms) VALUES(?,?,?,?,?)"));
    st.bind(1, key).bind(2, kind).bind(3, customer).bind(4, dump_json(result))
        .bind(5, clock_.unix_millis());
    return st.run();
  }

  std::shared_ptr<store::SqliteDatabase> db_;
  const Catalog& catalog_;
  const Clock& clock_;
  std::mutex fail_mutex_;
  int fail_count_ = 0;
  Status fail_status_;
  std::atomic<int64_t> applied_writes_{0};
};

Status DemoBackend::seed(const std::filesystem::path& demo_dir) {
  ATIENDE_ASSIGN_OR_RETURN(int64_t count, [&]() -> Result<int64_t> {
    int64_t n = 0;
    Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(n, store::query_int(db, "SELECT COUNT(*) FROM demo_customers", 0));
      return Status::ok_status();
    });
    if (!s.ok()) return s;
    return n;
  }());
  if (count > 0) return Status::ok_status();
  ATIENDE_ASSIGN_OR_RETURN(std::string customers_text, read_file(demo_dir / "customers.json"));
  ATIENDE_ASSIGN_OR_RETURN(std::string outages_text, read_file(demo_dir / "outages.json"));
  ATIENDE_ASSIGN_OR_RETURN(Json customers, parse_json(customers_text));
  ATIENDE_ASSIGN_OR_RETURN(Json outages, parse_json(outages_text));
  if (!customers.contains("customers") || !customers["customers"].is_array()) {
    return Status::invalid_argument("customers.json: missing array 'customers'");
  }
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    for (auto c : customers["customers"]) {
      if (!c.contains("id") || !c["id"].is_string()) {
        return Status::invalid_argument("customers.json: customer without string 'id'");
      }
      const std::string id = c["id"].get<std::string>();
      for (const char* list : {"open_orders", "past_orders"}) {
        if (!c.contains(list) || !c[list].is_array()) continue;
        for (const auto& o : c[list]) {
          const int64_t created = parse_iso_millis(o.value("created", "")).value_or(0);
          Json details = o;
          ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
              "INSERT INTO demo_orders(order_id, customer_id, device_id, color, status, created_ms,"
              " eta, price_cop, details) VALUES(?,?,?,?,?,?,?,?,?)"));
          st.bind(1, o.value("order_id", "")).bind(2, id).bind(3, o.value("device_id", ""))
              .bind(4, o.value("color", "")).bind(5, o.value("status", "")).bind(6, created)
              .bind(7, o.value("eta", o.value("delivered", ""))).bind(8, o.value("price_cop", int64_t{0}))
              .bind(9, dump_json(details));
          ATIENDE_RETURN_IF_ERROR(st.run());
        }
        c.erase(list);
      }
      ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare("INSERT INTO demo_customers(id, doc) VALUES(?, ?)"));
      st.bind(1, id).bind(2, dump_json(c));
      ATIENDE_RETURN_IF_ERROR(st.run());
    }
    if (outages.contains("outages") && outages["outages"].is_array()) {
      for (const auto& o : outages["outages"]) {
        ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare("INSERT INTO demo_outages(id, doc) VALUES(?, ?)"));
        st.bind(1, o.value("id", "")).bind(2, dump_json(o));
        ATIENDE_RETURN_IF_ERROR(st.run());
      }
    }
    for (const auto& d : catalog_.devices()) {
      ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
          "INSERT OR IGNORE INTO demo_stock(device_id, stock) VALUES(?, ?)"));
      st.bind(1, d.id).bind(2, d.stock);
      ATIENDE_RETURN_IF_ERROR(st.run());
    }
    return Status::ok_status();
  });
}

}  // namespace

Result<std::unique_ptr<Backend>> open_demo_backend(std::shared_ptr<store::SqliteDatabase> db,
                                                   const std::filesystem::path& demo_dir,
                                                   const Catalog& catalog, const Clock& clock) {
  if (!db) return Status::invalid_argument("demo backend: database is null");
  ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "agent_demo", kDemoMigrations));
  auto backend = std::make_unique<DemoBackend>(db, catalog, clock);
  Status seeded = backend->seed(demo_dir);
  if (!seeded.ok()) return seeded.with_context("demo backend seed");
  return std::unique_ptr<Backend>(std::move(backend));
}

void demo_backend_fail_next_for_test(Backend& backend, int n, Status status) {
  if (auto* demo = dynamic_cast<DemoBackend*>(&backend)) demo->fail_next(n, std::move(status));
}

int64_t demo_backend_applied_writes_for_test(Backend& backend) {
  auto* demo = dynamic_cast<DemoBackend*>(&backend);
  return demo ? demo->applied_writes() : 0;
}

}  // namespace atiende::agent
