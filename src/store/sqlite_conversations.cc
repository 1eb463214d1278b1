#include "store/conversations.h"

#include <algorithm>
#include <cstdint>
#include <iterator>

#include "store/migrations.h"
#include "store/sqlite_rows.h"

namespace atiende::store {
namespace {

constexpr Migration kConversationMigrations[] = {
    {1,
     "CREATE TABLE sessions("
     "  id TEXT PRIMARY KEY, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL,"
     "  customer_ref TEXT NOT NULL DEFAULT '', language TEXT NOT NULL DEFAULT 'es',"
     "  channel TEXT NOT NULL DEFAULT 'web', consent INTEGER NOT NULL DEFAULT 0,"
     "  status TEXT NOT NULL DEFAULT 'open', resolved INTEGER NOT NULL DEFAULT 0,"
     "  last_intent TEXT NOT NULL DEFAULT '', variant TEXT NOT NULL DEFAULT '');"
     "CREATE INDEX sessions_created ON sessions(created_ms);"
     "CREATE INDEX sessions_customer ON sessions(customer_ref);"
     "CREATE TABLE messages("
     "  id TEXT PRIMARY KEY, session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
     "  seq INTEGER NOT NULL, role TEXT NOT NULL, text TEXT NOT NULL, created_ms INTEGER NOT NULL,"
     "  citations_json TEXT NOT NULL DEFAULT '[]', provider TEXT NOT NULL DEFAULT '',"
     "  latency_ms INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER NOT NULL DEFAULT 0,"
     "  completion_tokens INTEGER NOT NULL DEFAULT 0, abstained INTEGER NOT NULL DEFAULT 0,"
     "  fallback INTEGER NOT NULL DEFAULT 0, intent TEXT NOT NULL DEFAULT '',"
     "  meta_json TEXT NOT NULL DEFAULT '{}', UNIQUE(session_id, seq));"
     "CREATE TABLE feedback("
     "  message_id TEXT PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,"
     "  session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,"
     "  rating TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', created_ms INTEGER NOT NULL);"
     "CREATE INDEX feedback_session ON feedback(session_id);"
     "CREATE TABLE surveys("
     "  session_id TEXT PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,"
     "  csat INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '', resolved INTEGER NOT NULL,"
     "  created_ms INTEGER NOT NULL);"},
};

constexpr const char* kSessionColumns =
    "SELECT id, created_ms, updated_ms, customer_ref, language, channel, consent, status, "
    "resolved, last_intent, variant FROM sessions";
constexpr const char* kMessageColumns =
    "SELECT id, session_id, seq, role, text, created_ms, citations_json, provider, latency_ms, "
    "prompt_tokens, completion_tokens, abstained, fallback, intent, meta_json FROM messages";

Session read_session(const Statement& row) {
  Session s;
  s.id = row.column_text(0);
  s.created_ms = row.column_int(1);
  s.updated_ms = row.column_int(2);
  s.customer_ref = row.column_text(3);
  s.language = row.column_text(4);
  s.channel = row.column_text(5);
  s.consent = row.column_int(6) != 0;
  s.status = row.column_text(7);
  s.resolved = row.column_int(8) != 0;
  s.last_intent = row.column_text(9);
  s.variant = row.column_text(10);
  return s;
}

/// The columns both message queries start with: id, session_id, seq, role, text, created_ms.
Message read_message_head(const Statement& row) {
  Message m;
  m.id = row.column_text(0);
  m.session_id = row.column_text(1);
  m.seq = row.column_int(2);
  m.role = row.column_text(3);
  m.text = row.column_text(4);
  m.created_ms = row.column_int(5);
  return m;
}

Message read_message(const Statement& row) {
  Message m = read_message_head(row);
  m.citations_json = row.column_text(6);
  m.provider = row.column_text(7);
  m.latency_ms = row.column_int(8);
  m.prompt_tokens = row.column_int(9);
  m.completion_tokens = row.column_int(10);
  m.abstained = row.column_int(11) != 0;
  m.fallback = row.column_int(12) != 0;
  m.intent = row.column_text(13);
  m.meta_json = row.column_text(14);
  return m;
}

constexpr const char* kContextColumns =
    "SELECT id, session_id, seq, role, text, created_ms, intent FROM messages";

/// A message of a turn's context (kContextColumns): the assistant's citations and meta, the
/// largest columns, are not read.
Message read_context_message(const Statement& row) {
  Message m = read_message_head(row);
  m.intent = row.column_text(6);
  return m;
}

class SqliteConversationStore final : public ConversationStore {
 public:
  explicit SqliteConversationStore(std::shared_ptr<SqliteDatabase> db) : db_(std::move(db)) {}

  Status create_session(const Session& s) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto insert,
          db.prepare("INSERT INTO sessions(id, created_ms, updated_ms, customer_ref, language, "
                     "channel, consent, status, resolved, last_intent, variant) "
                     "VALUES(?,?,?,?,?,?,?,?,?,?,?)"));
      insert.bind(1, s.id).bind(2, s.created_ms).bind(3, s.updated_ms).bind(4, s.customer_ref);
      insert.bind(5, s.language).bind(6, s.channel).bind(7, int64_t{s.consent});
      insert.bind(8, s.status).bind(9, int64_t{s.resolved}).bind(10, s.last_intent);
      insert.bind(11, s.variant);
      return insert.run();
    });
  }

  Result<std::optional<Session>> get_session(const std::string& id) override {
    return first_row(collect_rows<Session>(
        *db_, std::string(kSessionColumns) + " WHERE id = ?",
        [&](Statement& st) { st.bind(1, id); }, read_session));
  }

  Status update_session(const Session& s) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto update,
          db.prepare("UPDATE sessions SET updated_ms = ?, status = ?, resolved = ?, "
                     "last_intent = ?, language = ?, consent = ?, customer_ref = ? WHERE id = ?"));
      update.bind(1, s.updated_ms).bind(2, s.status).bind(3, int64_t{s.resolved});
      update.bind(4, s.last_intent).bind(5, s.language).bind(6, int64_t{s.consent});
      update.bind(7, s.customer_ref).bind(8, s.id);
      ATIENDE_RETURN_IF_ERROR(update.run());
      if (db.changes() == 0) return Status::not_found("session '" + s.id + "' does not exist");
      return {};
    });
  }

  Result<std::vector<Session>> list_sessions(const SessionQuery& q) override {
    std::string sql = std::string(kSessionColumns) + " WHERE created_ms >= ? AND created_ms < ?";
    if (!q.status.empty()) sql += " AND status = ?3";
    if (!q.customer_ref.empty()) sql += " AND customer_ref = ?4";
    sql += " ORDER BY created_ms, id LIMIT ?5 OFFSET ?6";
    return collect_rows<Session>(
        *db_, sql,
        [&](Statement& st) {
          st.bind(1, q.from_ms).bind(2, q.to_ms);
          if (!q.status.empty()) st.bind(3, q.status);
          if (!q.customer_ref.empty()) st.bind(4, q.customer_ref);
          st.bind(5, q.limit).bind(6, q.offset);
        },
        read_session);
  }

  Result<int64_t> append_message(const Message& m) override {
    int64_t seq = 0;
    Status status = db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto next, db.prepare("SELECT COALESCE(MAX(seq), 0) + 1 FROM messages WHERE session_id = ?"));
      next.bind(1, m.session_id);
      ATIENDE_ASSIGN_OR_RETURN(bool has_row, next.step());
      seq = has_row ? next.column_int(0) : 1;
      ATIENDE_ASSIGN_OR_RETURN(
          auto insert,
          db.prepare("INSERT INTO messages(id, session_id, seq, role, text, created_ms, "
                     "citations_json, provider, latency_ms, prompt_tokens, completion_tokens, "
                     "abstained, fallback, intent, meta_json) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"));
      insert.bind(1, m.id).bind(2, m.session_id).bind(3, seq).bind(4, m.role).bind(5, m.text);
      insert.bind(6, m.created_ms).bind(7, m.citations_json).bind(8, m.provider);
      insert.bind(9, m.latency_ms).bind(10, m.prompt_tokens).bind(11, m.completion_tokens);
      insert.bind(12, int64_t{m.abstained}).bind(13, int64_t{m.fallback}).bind(14, m.intent);
      insert.bind(15, m.meta_json);
      ATIENDE_RETURN_IF_ERROR(insert.run());
      ATIENDE_ASSIGN_OR_RETURN(auto touch,
                               db.prepare("UPDATE sessions SET updated_ms = ? WHERE id = ?"));
      touch.bind(1, m.created_ms).bind(2, m.session_id);
      return touch.run();
    });
    if (!status.ok()) return status;
    return seq;
  }

  Result<std::vector<Message>> messages(const std::string& session_id) override {
    return collect_rows<Message>(
        *db_, std::string(kMessageColumns) + " WHERE session_id = ? ORDER BY seq",
        [&](Statement& st) { st.bind(1, session_id); }, read_message);
  }

  Result<std::vector<Message>> recent_messages(const std::string& session_id, size_t limit,
                                               int64_t before_seq) override {
    ATIENDE_ASSIGN_OR_RETURN(
        std::vector<Message> newest_first,
        collect_rows<Message>(
            *db_, std::string(kContextColumns) + " WHERE session_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
            [&](Statement& st) {
              st.bind(1, session_id).bind(2, before_seq);
              st.bind(3, static_cast<int64_t>(std::min<size_t>(limit, INT64_MAX)));
            },
            read_context_message));
    return std::vector<Message>(std::make_move_iterator(newest_first.rbegin()),
                                std::make_move_iterator(newest_first.rend()));
  }

  Result<std::optional<Message>> get_message(const std::string& message_id) override {
    return first_row(collect_rows<Message>(
        *db_, std::string(kMessageColumns) + " WHERE id = ?",
        [&](Statement& st) { st.bind(1, message_id); }, read_message));
  }

  Status put_feedback(const Feedback& f) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto upsert,
          db.prepare("INSERT INTO feedback(message_id, session_id, rating, comment, created_ms) "
                     "VALUES(?,?,?,?,?) ON CONFLICT(message_id) DO UPDATE SET "
                     "rating = excluded.rating, comment = excluded.comment, "
                     "created_ms = excluded.created_ms"));
      upsert.bind(1, f.message_id).bind(2, f.session_id).bind(3, f.rating).bind(4, f.comment);
      upsert.bind(5, f.created_ms);
      return upsert.run();
    });
  }

  Result<std::vector<Feedback>> feedback_of(const std::string& session_id) override {
    return collect_rows<Feedback>(
        *db_,
        "SELECT session_id, message_id, rating, comment, created_ms FROM feedback "
        "WHERE session_id = ? ORDER BY created_ms, message_id",
        [&](Statement& st) { st.bind(1, session_id); },
        [](const Statement& row) {
          return Feedback{row.column_text(0), row.column_text(1), row.column_text(2),
                          row.column_text(3), row.column_int(4)};
        });
  }

  Status put_survey(const Survey& s) override {
    return db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(
          auto upsert,
          db.prepare("INSERT INTO surveys(session_id, csat, comment, resolved, created_ms) "
                     "VALUES(?,?,?,?,?) ON CONFLICT(session_id) DO UPDATE SET csat = excluded.csat, "
                     "comment = excluded.comment, resolved = excluded.resolved, "
                     "created_ms = excluded.created_ms"));
      upsert.bind(1, s.session_id).bind(2, s.csat).bind(3, s.comment);
      upsert.bind(4, int64_t{s.resolved}).bind(5, s.created_ms);
      return upsert.run();
    });
  }

  Result<std::optional<Survey>> survey_of(const std::string& session_id) override {
    return first_row(collect_rows<Survey>(
        *db_,
        "SELECT session_id, csat, comment, resolved, created_ms FROM surveys WHERE session_id = ?",
        [&](Statement& st) { st.bind(1, session_id); },
        [](const Statement& row) {
          return Survey{row.column_text(0), row.column_int(1), row.column_text(2),
                        row.column_int(3) != 0, row.column_int(4)};
        }));
  }

  Result<int64_t> delete_sessions(const std::vector<std::string>& session_ids) override {
    int64_t removed = 0;
    Status status = db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto remove, db.prepare("DELETE FROM sessions WHERE id = ?"));
      for (const auto& id : session_ids) {
        remove.reset();
        remove.bind(1, id);
        ATIENDE_RETURN_IF_ERROR(remove.run());
        removed += db.changes();
      }
      return {};
    });
    if (!status.ok()) return status;
    return removed;
  }

  Result<int64_t> detach_sessions(const std::vector<std::string>& session_ids) override {
    int64_t changed = 0;
    Status status = db_->with_transaction([&](SqliteDatabase& db) -> Status {
      ATIENDE_ASSIGN_OR_RETURN(auto session, db.prepare(
          "UPDATE sessions SET customer_ref = '' WHERE id = ? AND customer_ref <> ''"));
      ATIENDE_ASSIGN_OR_RETURN(auto feedback, db.prepare(
          "UPDATE feedback SET comment = '' WHERE session_id = ?"));
      ATIENDE_ASSIGN_OR_RETURN(auto survey, db.prepare(
          "UPDATE surveys SET comment = '' WHERE session_id = ?"));
      for (const auto& id : session_ids) {
        session.reset();
        session.bind(1, id);
        ATIENDE_RETURN_IF_ERROR(session.run());
        changed += db.changes();
        for (Statement* s : {&feedback, &survey}) {
          s->reset();
          s->bind(1, id);
          ATIENDE_RETURN_IF_ERROR(s->run());
        }
      }
      return {};
    });
    if (!status.ok()) return status;
    return changed;
  }

 private:
  std::shared_ptr<SqliteDatabase> db_;
};

}  // namespace

Result<std::unique_ptr<ConversationStore>> open_sqlite_conversations(
    std::shared_ptr<SqliteDatabase> db) {
  ATIENDE_RETURN_IF_ERROR(apply_migrations(*db, "conversations", kConversationMigrations));
  return std::unique_ptr<ConversationStore>(new SqliteConversationStore(std::move(db)));
}

}  // namespace atiende::store
