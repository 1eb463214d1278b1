#pragma once
/// HTTP backend: the company's real systems, declared in a TOML file (OpenAPI-style: one
/// operation per backend call). See data/demo/backend_http.example.toml for every key.
///
///   [backend]
///   base_url = "https://api.example.com"   # {base_url} in templates
///   timeout_ms = 5000                       # per attempt (connect + idle)
///   read_retries = 2                        # extra attempts for reads (GET); writes never retry
///   retry_backoff_ms = 200
///   auth_header = "Authorization"           # sent when auth_env is set in the environment
///   auth_env = "UNAEMPRESA_API_TOKEN"
///   auth_prefix = "Bearer "
///   [backend.operations.get_account]        # get_account list_orders list_outages
///   method = "GET"                          #   change_plan create_order
///   url = "{base_url}/customers/{customer_id}"
///   response_pointer = "/data"              # optional JSON pointer to the object
///   [backend.operations.change_plan]
///   method = "POST"
///   url = "{base_url}/customers/{customer_id}/plan"
///   body = { plan_id = "{plan_id}", effective_date = "{effective_date}" }
///
/// Templates: `{name}` is replaced by the argument (URL-encoded in URLs; in bodies a string that
/// is exactly "{name}" takes the argument's JSON type, e.g. price_cop stays a number). Arguments:
/// customer_id, plan_id, effective_date, device_id, color, price_cop, area, service.
/// Writes carry `Idempotency-Key: <key>`. Status mapping: 2xx ok; 404 not_found; 409/422
/// failed_precondition with the body's "error"/"code" string as reason; 408/429/5xx/timeouts
/// unavailable/deadline_exceeded (reads are retried); anything else internal.
/// Expected response shapes (extra fields are kept in details_json): account {customer_id,
/// account_type, status, plan_id, home_plan_id?, billing_cycle_day?, city?}, orders [{order_id,
/// device_id, color, status, created (ISO) or created_ms, eta?, price_cop?}], outages [{id, area,
/// service, status}], change_plan {old_plan_id?, new_plan_id?, effective_date?}, create_order
/// an order object.

#include <filesystem>
#include <memory>

#include "agent/backend.h"
#include "common/clock.h"
#include "common/config.h"

namespace atiende::agent {

/// Builds the backend from the `backend.*` keys of `config` (a loaded TOML file). `env` looks up
/// the auth token. Errors name the key. `clock` must outlive the backend.
Result<std::unique_ptr<Backend>> open_http_backend(const Config& config, const Clock& clock);

/// Loads `path` and calls open_http_backend.
Result<std::unique_ptr<Backend>> open_http_backend_file(const std::filesystem::path& path,
                                                        const Clock& clock,
                                                        EnvLookup env = process_env());

}  // namespace atiende::agent
