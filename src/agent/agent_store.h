#pragma once
/// Durable agent state in SQLite (component "agent"): one-time confirmation tokens, per-session
/// proposal counters and per-session form state. Raw tokens are never stored, only their
/// SHA-256; customers are stored as SHA-256 hashes too (binding needs equality only).
///
/// Confirmation states: pending -> executing -> executed | failed; pending -> cancelled;
/// executing -> pending again only when the backend was unavailable (the same idempotency key is
/// then reused, so a retry can never create a second order). claim() is the single atomic
/// pending -> executing step: of two concurrent confirms, exactly one wins.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/sqlite_database.h"

namespace atiende::agent {

struct ConfirmationRecord {
  std::string token_hash;        ///< hex SHA-256 of the raw token
  std::string confirmation_id;   ///< "cnf_…", also the idempotency key sent to the backend
  std::string session_id;
  std::string customer_hash;     ///< hex SHA-256 of the customer id
  std::string tool;
  std::string args_canonical;    ///< canonical JSON of the arguments the preview showed
  std::string preview_json;      ///< what was shown (summary, price, effective date)
  int64_t created_ms = 0;
  int64_t expires_ms = 0;
  std::string state;             ///< pending | executing | executed | failed | cancelled
  std::string result_json;       ///< set when executed
};

class AgentStore {
 public:
  /// Applies the "agent" migrations on `db`.
  static Result<std::unique_ptr<AgentStore>> open(std::shared_ptr<store::SqliteDatabase> db);

  Status put_confirmation(const ConfirmationRecord& record);
  Result<std::optional<ConfirmationRecord>> find_confirmation(const std::string& token_hash);
  /// Atomically moves a pending, unexpired confirmation to "executing". false when another
  /// call already claimed it, it is not pending, or it expired (at `now_ms`).
  Result<bool> claim(const std::string& token_hash, int64_t now_ms);
  /// Sets the state (and result) unconditionally; used after claim().
  Status finish(const std::string& token_hash, const std::string& state,
                const std::string& result_json, int64_t now_ms);
  /// pending -> cancelled. false when it was not pending.
  Result<bool> cancel(const std::string& token_hash, int64_t now_ms);

  /// Increments and returns the previous proposal count of `tool` in `session_id`.
  Result<int64_t> count_proposal(const std::string& session_id, const std::string& tool);
  Result<int64_t> proposals(const std::string& session_id, const std::string& tool);

  /// Form / pending-confirmation state of a session as opaque JSON ("" when none).
  Result<std::string> session_state(const std::string& session_id);
  Status put_session_state(const std::string& session_id, const std::string& state_json,
                           int64_t now_ms);
  /// Deletes the confirmations, counters and form state of these sessions (customer erasure and
  /// retention).
  Status erase_sessions(const std::vector<std::string>& session_ids);

 private:
  explicit AgentStore(std::shared_ptr<store::SqliteDatabase> db) : db_(std::move(db)) {}
  std::shared_ptr<store::SqliteDatabase> db_;
};

}  // namespace atiende::agent
