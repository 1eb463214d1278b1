#include "audit/audit_log.h"

#include <sys/stat.h>

#include <filesystem>

#include "common/crypto.h"
#include "common/files.h"
#include "common/json.h"
#include "store/migrations.h"

namespace atiende::audit {
namespace {

constexpr store::Migration kAuditMigrations[] = {
    {1,
     "CREATE TABLE audit_log("
     "  seq INTEGER PRIMARY KEY, ts_ms INTEGER NOT NULL, action TEXT NOT NULL,"
     "  actor TEXT NOT NULL, session_id TEXT NOT NULL, customer_ref TEXT NOT NULL,"
     "  tool TEXT NOT NULL, decision TEXT NOT NULL, reason_code TEXT NOT NULL,"
     "  details_json TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL,"
     "  hmac TEXT NOT NULL);"
     "CREATE INDEX audit_log_session ON audit_log(session_id);"
     "CREATE TABLE audit_head(id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL,"
     "  hash TEXT NOT NULL, hmac TEXT NOT NULL);"},
};

const std::string kGenesisHash(64, '0');
constexpr char kSeparator = '\x1f';

constexpr const char* kSelectColumns =
    "SELECT seq, ts_ms, action, actor, session_id, customer_ref, tool, decision, reason_code, "
    "details_json, prev_hash, hash, hmac FROM audit_log";

AuditRecord read_record(const store::Statement& row) {
  AuditRecord r;
  r.seq = row.column_int(0);
  r.ts_ms = row.column_int(1);
  r.action = row.column_text(2);
  r.actor = row.column_text(3);
  r.session_id = row.column_text(4);
  r.customer_ref = row.column_text(5);
  r.tool = row.column_text(6);
  r.decision = row.column_text(7);
  r.reason_code = row.column_text(8);
  r.details_json = row.column_text(9);
  r.prev_hash = row.column_text(10);
  r.hash = row.column_text(11);
  r.hmac = row.column_text(12);
  return r;
}

std::string head_text(int64_t seq, const std::string& hash) {
  return "head" + std::string(1, kSeparator) + std::to_string(seq) + kSeparator + hash;
}

}  // namespace

std::string canonical_record_text(const AuditRecord& r) {
  std::string text = r.prev_hash;
  for (const std::string& field :
       {std::to_string(r.seq), std::to_string(r.ts_ms), r.action, r.actor, r.session_id,
        r.customer_ref, r.tool, r.decision, r.reason_code, r.details_json}) {
    text += kSeparator;
    text += field;
  }
  return text;
}

Result<std::unique_ptr<AuditLog>> AuditLog::open(std::shared_ptr<store::SqliteDatabase> db,
                                                 std::string key, const Clock& clock) {
  if (key.empty()) return Status::invalid_argument("audit HMAC key is empty");
  ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "audit", kAuditMigrations));
  return std::unique_ptr<AuditLog>(new AuditLog(std::move(db), std::move(key), clock));
}

std::string AuditLog::customer_ref(const std::string& customer_id) const {
  if (customer_id.empty()) return "";
  return "cust_" + hmac_sha256_hex(key_, "customer:" + customer_id).substr(0, 24);
}

Result<AuditRecord> AuditLog::append(const AuditEvent& event) {
  auto details = parse_json(event.details_json);
  if (!details.ok() || !details->is_object()) {
    return Status::invalid_argument("audit details must be a JSON object");
  }
  if (event.action.empty()) return Status::invalid_argument("audit action is empty");
  AuditRecord record;
  record.ts_ms = clock_.unix_millis();
  record.action = event.action;
  record.actor = event.actor;
  record.session_id = event.session_id;
  record.customer_ref = customer_ref(event.customer_id);
  record.tool = event.tool;
  record.decision = event.decision;
  record.reason_code = event.reason_code;
  record.details_json = dump_json(*details);
  Status status = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto head, db.prepare("SELECT seq, hash FROM audit_head WHERE id = 1"));
    ATIENDE_ASSIGN_OR_RETURN(bool has_head, head.step());
    record.seq = has_head ? head.column_int(0) + 1 : 1;
    record.prev_hash = has_head ? head.column_text(1) : kGenesisHash;
    record.hash = sha256_hex(canonical_record_text(record));
    record.hmac = hmac_sha256_hex(key_, record.hash);
    ATIENDE_ASSIGN_OR_RETURN(
        auto insert,
        db.prepare("INSERT INTO audit_log(seq, ts_ms, action, actor, session_id, customer_ref, "
                   "tool, decision, reason_code, details_json, prev_hash, hash, hmac) "
                   "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    insert.bind(1, record.seq).bind(2, record.ts_ms).bind(3, record.action).bind(4, record.actor);
    insert.bind(5, record.session_id).bind(6, record.customer_ref).bind(7, record.tool);
    insert.bind(8, record.decision).bind(9, record.reason_code).bind(10, record.details_json);
    insert.bind(11, record.prev_hash).bind(12, record.hash).bind(13, record.hmac);
    ATIENDE_RETURN_IF_ERROR(insert.run());
    ATIENDE_ASSIGN_OR_RETURN(
        auto upsert_head,
        db.prepare("INSERT INTO audit_head(id, seq, hash, hmac) VALUES(1, ?, ?, ?) "
                   "ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                   "hmac = excluded.hmac"));
    upsert_head.bind(1, record.seq).bind(2, record.hash);
    upsert_head.bind(3, hmac_sha256_hex(key_, head_text(record.seq, record.hash)));
    return upsert_head.run();
  });
  if (!status.ok()) return status.with_context("audit append");
  return record;
}

Status AuditLog::for_each(const std::function<Status(const AuditRecord&)>& visit) const {
  return db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto rows, db.prepare(std::string(kSelectColumns) + " ORDER BY seq"));
    for (;;) {
      ATIENDE_ASSIGN_OR_RETURN(bool has_row, rows.step());
      if (!has_row) return {};
      ATIENDE_RETURN_IF_ERROR(visit(read_record(rows)));
    }
  });
}

Result<std::vector<AuditRecord>> AuditLog::for_session(const std::string& session_id) const {
  std::vector<AuditRecord> out;
  Status status = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(
        auto rows, db.prepare(std::string(kSelectColumns) + " WHERE session_id = ? ORDER BY seq"));
    rows.bind(1, session_id);
    for (;;) {
      ATIENDE_ASSIGN_OR_RETURN(bool has_row, rows.step());
      if (!has_row) return {};
      out.push_back(read_record(rows));
    }
  });
  if (!status.ok()) return status;
  return out;
}

Result<VerifyReport> AuditLog::verify() const {
  VerifyReport report;
  std::string expected_prev = kGenesisHash;
  int64_t expected_seq = 1;
  auto fail = [&](int64_t seq, std::string problem) {
    if (report.ok) {
      report.ok = false;
      report.first_bad_seq = seq;
      report.problem = std::move(problem);
    }
  };
  Status status = for_each([&](const AuditRecord& r) -> Status {
    ++report.records;
    if (!report.ok) return {};
    if (r.seq != expected_seq) {
      fail(expected_seq, "record " + std::to_string(expected_seq) + " is missing (found " +
                             std::to_string(r.seq) + " next)");
      return {};
    }
    if (r.prev_hash != expected_prev) {
      fail(r.seq, "record " + std::to_string(r.seq) +
                      " does not chain to the previous record (deleted or reordered)");
      return {};
    }
    if (sha256_hex(canonical_record_text(r)) != r.hash) {
      fail(r.seq, "record " + std::to_string(r.seq) + " was edited (hash mismatch)");
      return {};
    }
    if (!constant_time_equals(hmac_sha256_hex(key_, r.hash), r.hmac)) {
      fail(r.seq, "record " + std::to_string(r.seq) + " has an invalid HMAC");
      return {};
    }
    expected_prev = r.hash;
    ++expected_seq;
    return {};
  });
  if (!status.ok()) return status;
  if (!report.ok) return report;
  // The head proves that nothing was cut from the end.
  status = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto head, db.prepare("SELECT seq, hash, hmac FROM audit_head"));
    ATIENDE_ASSIGN_OR_RETURN(bool has_head, head.step());
    const int64_t last_seq = expected_seq - 1;
    if (!has_head) {
      if (last_seq != 0) fail(1, "the audit head is missing");
      return {};
    }
    const int64_t head_seq = head.column_int(0);
    const std::string head_hash = head.column_text(1);
    if (!constant_time_equals(hmac_sha256_hex(key_, head_text(head_seq, head_hash)),
                              head.column_text(2))) {
      fail(head_seq, "the audit head has an invalid HMAC");
    } else if (head_seq != last_seq || head_hash != expected_prev) {
      fail(last_seq + 1, "record " + std::to_string(last_seq + 1) +
                             " is missing (the head says the log ends at " +
                             std::to_string(head_seq) + ")");
    }
    return {};
  });
  if (!status.ok()) return status;
  return report;
}

std::string audit_record_to_json(const AuditRecord& r) {
  Json details = Json::object();
  if (auto parsed = parse_json(r.details_json); parsed.ok()) details = *parsed;
  return dump_json(Json{{"seq", r.seq},
                        {"ts_ms", r.ts_ms},
                        {"action", r.action},
                        {"actor", r.actor},
                        {"session_id", r.session_id},
                        {"customer_ref", r.customer_ref},
                        {"tool", r.tool},
                        {"decision", r.decision},
                        {"reason_code", r.reason_code},
                        {"details", details},
                        {"prev_hash", r.prev_hash},
                        {"hash", r.hash},
                        {"hmac", r.hmac}});
}

Result<std::string> load_or_create_audit_key(
    const std::string& data_dir,
    const std::function<std::optional<std::string>(const std::string&)>& env) {
  if (env) {
    if (auto key = env("ATIENDE_AUDIT_HMAC_KEY"); key && !key->empty()) return *key;
  }
  return load_or_create_secret_file(std::filesystem::path(data_dir) / "keys" / "audit.key");
}

}  // namespace atiende::audit
