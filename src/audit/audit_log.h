#pragma once
/// Append-only, hash-chained audit log of every agent decision (tool proposals, policy decisions,
/// previews, confirmations, executions, refusals, invalid tokens, retention and erasure).
///
/// Each record holds the previous record's hash; its own hash is SHA-256 over the previous hash and
/// the record's canonical fields, and an HMAC-SHA256 of that hash with a server key proves the
/// record was written by this server. A head row (last seq + hash, with its HMAC) is updated in the
/// same transaction, so that deleting the newest record is detected too. `verify()` names the
/// first bad record. Records never hold raw PII: customers appear as keyed hashes
/// (`customer_ref`), and `details_json` must only carry ids, codes and anonymized text.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/sqlite_database.h"

namespace atiende::audit {

/// What the caller reports.
struct AuditEvent {
  std::string action;        ///< e.g. "tool_proposed", "policy_decision", "preview", "confirmed",
                             ///< "executed", "refused", "token_invalid", "erase", "retention"
  std::string actor;         ///< e.g. "session:ses_…", "admin", "system"
  std::string session_id;    ///< may be empty
  std::string customer_id;   ///< raw id; stored only as a keyed hash (customer_ref)
  std::string tool;          ///< may be empty
  std::string decision;      ///< e.g. "allow", "deny", "confirm", "cancel"; may be empty
  std::string reason_code;   ///< e.g. "ok", "customer_mismatch", "no_confirmation"
  std::string details_json = "{}";  ///< a JSON object without raw PII
};

/// A stored record.
struct AuditRecord {
  int64_t seq = 0;           ///< 1-based, consecutive
  int64_t ts_ms = 0;         ///< unix millis
  std::string action, actor, session_id, customer_ref, tool, decision, reason_code, details_json;
  std::string prev_hash;     ///< hex; 64 zeros for the first record
  std::string hash;          ///< hex SHA-256
  std::string hmac;          ///< hex HMAC-SHA256(key, hash)
};

/// The result of a verification.
struct VerifyReport {
  bool ok = true;
  int64_t records = 0;       ///< records checked
  int64_t first_bad_seq = 0; ///< 0 when ok
  std::string problem;       ///< human-readable reason when not ok
};

class AuditLog {
 public:
  /// Opens the log on `db` (applies the "audit" migrations). `key` is the server HMAC key (bytes);
  /// it must not be empty.
  static Result<std::unique_ptr<AuditLog>> open(std::shared_ptr<store::SqliteDatabase> db,
                                                std::string key, const Clock& clock);

  /// Appends one record atomically (chain + head in one transaction). Thread-safe.
  Result<AuditRecord> append(const AuditEvent& event);
  /// Checks the whole chain, every HMAC and the head. Thread-safe.
  Result<VerifyReport> verify() const;
  /// Visits records in seq order (for export). Thread-safe.
  Status for_each(const std::function<Status(const AuditRecord&)>& visit) const;
  /// Records of one session, in order (for the agent inbox and tests).
  Result<std::vector<AuditRecord>> for_session(const std::string& session_id) const;

  /// The keyed hash used as customer_ref for a customer id ("" for an empty id).
  std::string customer_ref(const std::string& customer_id) const;

 private:
  AuditLog(std::shared_ptr<store::SqliteDatabase> db, std::string key, const Clock& clock)
      : db_(std::move(db)), key_(std::move(key)), clock_(clock) {}
  std::shared_ptr<store::SqliteDatabase> db_;
  std::string key_;
  const Clock& clock_;
};

/// The canonical text hashed for a record (fields joined with unit separators, prev_hash first).
std::string canonical_record_text(const AuditRecord& record);

/// One JSON object per record, for `atiende audit export`.
std::string audit_record_to_json(const AuditRecord& record);

/// The audit HMAC key: env ATIENDE_AUDIT_HMAC_KEY when set, otherwise a random key created once in
/// "<data_dir>/keys/audit.key" (mode 0600). Errors name the file.
Result<std::string> load_or_create_audit_key(const std::string& data_dir,
                                             const std::function<std::optional<std::string>(
                                                 const std::string&)>& env);

}  // namespace atiende::audit
