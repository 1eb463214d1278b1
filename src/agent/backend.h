#pragma once
/// Backend: the company's systems as a tool sees them (accounts, plans, devices, orders,
/// outages). Two implementations: the built-in demo backend (agent/demo_backend.h, SQLite, seeded
/// from data/demo/) and the HTTP backend (agent/http_backend.h, declared in a TOML file).
///
/// Contract for every implementation:
///  - Reads never change state. Writes take an idempotency key: the same key replayed returns the
///    first result and changes nothing more.
///  - A write either completes (and is recorded) or does not happen; failures are Status values:
///    not_found (unknown customer/order), failed_precondition (business rule: sold out, one phone
///    per 24 h, prepaid<->postpaid), unavailable / deadline_exceeded (backend down or slow).
///  - Methods are thread-safe.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace atiende::agent {

struct Order {
  std::string order_id;     ///< "ORD-50021"
  std::string customer_id;
  std::string device_id;
  std::string color;
  std::string status;       ///< "preparando" | "en_camino" | "entregado" | ...
  int64_t created_ms = 0;   ///< unix millis
  std::string eta;          ///< ISO date, may be empty
  int64_t price_cop = 0;
  std::string details_json = "{}";  ///< carrier, tracking, payment... as the backend gives them
};

struct Account {
  std::string customer_id;
  std::string display_name;
  std::string account_type;  ///< "pospago" | "prepago"
  std::string status;        ///< "activa" | "suspendida_parcial" | ...
  std::string plan_id;
  std::string home_plan_id;  ///< may be empty
  int64_t billing_cycle_day = 1;
  std::string city;
  std::vector<Order> open_orders;
  std::string details_json = "{}";  ///< full account view for consultar_cuenta (usage, balance...)
};

struct Outage {
  std::string id;
  std::string area;
  std::string service;  ///< "movil" | "internet_hogar"
  std::string status;   ///< "activa" | "programada" | "resuelta"
  std::string details_json = "{}";
};

struct PlanChangeRequest {
  std::string customer_id;
  std::string plan_id;
  std::string effective_date;  ///< ISO date the preview showed
  std::string idempotency_key;
};

struct PlanChangeResult {
  std::string customer_id;
  std::string old_plan_id;
  std::string new_plan_id;
  std::string effective_date;
  bool replayed = false;  ///< true when the idempotency key had already been used
};

struct OrderRequest {
  std::string customer_id;
  std::string device_id;
  std::string color;
  int64_t price_cop = 0;
  std::string idempotency_key;
};

struct OrderResult {
  Order order;
  bool replayed = false;
};

class Backend {
 public:
  virtual ~Backend() = default;
  /// Stable name for logs and audit ("demo", "http").
  virtual std::string name() const = 0;
  virtual Result<Account> get_account(const std::string& customer_id) = 0;
  /// Every order of the customer (open and past), newest first.
  virtual Result<std::vector<Order>> list_orders(const std::string& customer_id) = 0;
  /// Outages filtered by area (folded substring of area or neighborhood; "" = all) and service
  /// ("" = all).
  virtual Result<std::vector<Outage>> list_outages(const std::string& area,
                                                   const std::string& service) = 0;
  virtual Result<PlanChangeResult> change_plan(const PlanChangeRequest& request) = 0;
  virtual Result<OrderResult> create_order(const OrderRequest& request) = 0;
};

}  // namespace atiende::agent
