#pragma once
/// The built-in demo backend: UnaEmpresa customers, orders, outages and device stock in SQLite
/// (component "agent_demo"), seeded once from data/demo/customers.json and outages.json and the
/// catalog. State changes persist (a changed plan, a created order) across restarts.
///
/// Business rules enforced here too (the policy checks them before, the backend is the last word):
/// plan must exist and be of the same family (mobile<->mobile, home<->home; prepaid<->postpaid is
/// refused: it needs a credit check); sold-out devices and unknown colors cannot be ordered; at
/// most one phone order per customer per 24 h. Writes are idempotent by key, in one transaction.

#include <filesystem>
#include <memory>

#include "agent/backend.h"
#include "agent/catalog.h"
#include "common/clock.h"
#include "store/sqlite_database.h"

namespace atiende::agent {

/// Opens (migrating and seeding when empty) the demo backend on `db`. `demo_dir` holds
/// customers.json and outages.json. `catalog` and `clock` must outlive the backend.
Result<std::unique_ptr<Backend>> open_demo_backend(std::shared_ptr<store::SqliteDatabase> db,
                                                   const std::filesystem::path& demo_dir,
                                                   const Catalog& catalog, const Clock& clock);

/// Test hook: makes the next `n` calls of any method fail with `status` (simulates a backend
/// outage). Only for backends returned by open_demo_backend.
void demo_backend_fail_next_for_test(Backend& backend, int n, Status status);

/// Number of writes actually applied (not replayed), for safety tests.
int64_t demo_backend_applied_writes_for_test(Backend& backend);

}  // namespace atiende::agent
