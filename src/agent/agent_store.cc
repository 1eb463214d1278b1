#include "agent/agent_store.h"

#include "store/migrations.h"

namespace atiende::agent {
namespace {

constexpr store::Migration kAgentMigrations[] = {
    {1,
     "CREATE TABLE agent_confirmations(token_hash TEXT PRIMARY KEY, confirmation_id TEXT NOT NULL"
     " UNIQUE, session_id TEXT NOT NULL, customer_hash TEXT NOT NULL, tool TEXT NOT NULL,"
     " args_canonical TEXT NOT NULL, preview_json TEXT NOT NULL, created_ms INTEGER NOT NULL,"
     " expires_ms INTEGER NOT NULL, state TEXT NOT NULL, result_json TEXT NOT NULL DEFAULT '',"
     " updated_ms INTEGER NOT NULL);"
     "CREATE INDEX agent_confirmations_session ON agent_confirmations(session_id);"
     "CREATE TABLE agent_session_counters(session_id TEXT NOT NULL, tool TEXT NOT NULL,"
     " count INTEGER NOT NULL, PRIMARY KEY(session_id, tool));"
     "CREATE TABLE agent_session_state(session_id TEXT PRIMARY KEY, state_json TEXT NOT NULL,"
     " updated_ms INTEGER NOT NULL);"},
};

constexpr const char* kSelect =
    "SELECT token_hash, confirmation_id, session_id, customer_hash, tool, args_canonical,"
    " preview_json, created_ms, expires_ms, state, result_json FROM agent_confirmations"
    " WHERE token_hash = ?";

}  // namespace

Result<std::unique_ptr<AgentStore>> AgentStore::open(std::shared_ptr<store::SqliteDatabase> db) {
  if (!db) return Status::invalid_argument("agent store: database is null");
  ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "agent", kAgentMigrations));
  return std::unique_ptr<AgentStore>(new AgentStore(std::move(db)));
}

Status AgentStore::put_confirmation(const ConfirmationRecord& r) {
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "INSERT INTO agent_confirmations(token_hash, confirmation_id, session_id, customer_hash,"
        " tool, args_canonical, preview_json, created_ms, expires_ms, state, result_json,"
        " updated_ms) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)"));
    st.bind(1, r.token_hash).bind(2, r.confirmation_id).bind(3, r.session_id)
        .bind(4, r.customer_hash).bind(5, r.tool).bind(6, r.args_canonical).bind(7, r.preview_json)
        .bind(8, r.created_ms).bind(9, r.expires_ms).bind(10, r.state).bind(11, r.result_json)
        .bind(12, r.created_ms);
    return st.run();
  });
}

Result<std::optional<ConfirmationRecord>> AgentStore::find_confirmation(const std::string& token_hash) {
  std::optional<ConfirmationRecord> out;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(kSelect));
    st.bind(1, token_hash);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status::ok_status();
    ConfirmationRecord r;
    r.token_hash = st.column_text(0);
    r.confirmation_id = st.column_text(1);
    r.session_id = st.column_text(2);
    r.customer_hash = st.column_text(3);
    r.tool = st.column_text(4);
    r.args_canonical = st.column_text(5);
    r.preview_json = st.column_text(6);
    r.created_ms = st.column_int(7);
    r.expires_ms = st.column_int(8);
    r.state = st.column_text(9);
    r.result_json = st.column_text(10);
    out = std::move(r);
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<bool> AgentStore::claim(const std::string& token_hash, int64_t now_ms) {
  bool claimed = false;
  Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "UPDATE agent_confirmations SET state = 'executing', updated_ms = ?"
        " WHERE token_hash = ? AND state = 'pending' AND expires_ms >= ?"));
    st.bind(1, now_ms).bind(2, token_hash).bind(3, now_ms);
    ATIENDE_RETURN_IF_ERROR(st.run());
    claimed = db.changes() == 1;
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return claimed;
}

Status AgentStore::finish(const std::string& token_hash, const std::string& state,
                          const std::string& result_json, int64_t now_ms) {
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "UPDATE agent_confirmations SET state = ?, result_json = ?, updated_ms = ?"
        " WHERE token_hash = ?"));
    st.bind(1, state).bind(2, result_json).bind(3, now_ms).bind(4, token_hash);
    return st.run();
  });
}

Result<bool> AgentStore::cancel(const std::string& token_hash, int64_t now_ms) {
  bool cancelled = false;
  Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "UPDATE agent_confirmations SET state = 'cancelled', updated_ms = ?"
        " WHERE token_hash = ? AND state = 'pending'"));
    st.bind(1, now_ms).bind(2, token_hash);
    ATIENDE_RETURN_IF_ERROR(st.run());
    cancelled = db.changes() == 1;
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return cancelled;
}

Result<int64_t> AgentStore::count_proposal(const std::string& session_id, const std::string& tool) {
  int64_t previous = 0;
  Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto q, db.prepare(
        "SELECT count FROM agent_session_counters WHERE session_id = ? AND tool = ?"));
    q.bind(1, session_id).bind(2, tool);
    ATIENDE_ASSIGN_OR_RETURN(bool row, q.step());
    previous = row ? q.column_int(0) : 0;
    ATIENDE_ASSIGN_OR_RETURN(auto up, db.prepare(
        "INSERT INTO agent_session_counters(session_id, tool, count) VALUES(?, ?, 1)"
        " ON CONFLICT(session_id, tool) DO UPDATE SET count = count + 1"));
    up.bind(1, session_id).bind(2, tool);
    return up.run();
  });
  if (!s.ok()) return s;
  return previous;
}

Result<int64_t> AgentStore::proposals(const std::string& session_id, const std::string& tool) {
  int64_t n = 0;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto q, db.prepare(
        "SELECT count FROM agent_session_counters WHERE session_id = ? AND tool = ?"));
    q.bind(1, session_id).bind(2, tool);
    ATIENDE_ASSIGN_OR_RETURN(bool row, q.step());
    n = row ? q.column_int(0) : 0;
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return n;
}

Result<std::string> AgentStore::session_state(const std::string& session_id) {
  std::string out;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto q, db.prepare(
        "SELECT state_json FROM agent_session_state WHERE session_id = ?"));
    q.bind(1, session_id);
    ATIENDE_ASSIGN_OR_RETURN(bool row, q.step());
    if (row) out = q.column_text(0);
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return out;
}

Status AgentStore::put_session_state(const std::string& session_id, const std::string& state_json,
                                     int64_t now_ms) {
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "INSERT INTO agent_session_state(session_id, state_json, updated_ms) VALUES(?,?,?)"
        " ON CONFLICT(session_id) DO UPDATE SET state_json = excluded.state_json,"
        " updated_ms = excluded.updated_ms"));
    st.bind(1, session_id).bind(2, state_json).bind(3, now_ms);
    return st.run();
  });
}

Status AgentStore::erase_sessions(const std::vector<std::string>& session_ids) {
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    for (const char* table : {"agent_confirmations", "agent_session_counters", "agent_session_state"}) {
      ATIENDE_ASSIGN_OR_RETURN(auto remove,
                               db.prepare(std::string("DELETE FROM ") + table + " WHERE session_id = ?"));
      for (const auto& id : session_ids) {
        remove.reset();
        remove.bind(1, id);
        ATIENDE_RETURN_IF_ERROR(remove.run());
      }
    }
    return Status::ok_status();
  });
}

}  // namespace atiende::agent
