#include "agent/tickets.h"

#include <algorithm>

#include "common/json.h"
#include "store/migrations.h"

namespace atiende::agent {
namespace {

constexpr store::Migration kTicketMigrations[] = {
    {1,
     "CREATE TABLE tickets(id TEXT PRIMARY KEY, session_id TEXT NOT NULL, customer_ref TEXT NOT"
     " NULL, status TEXT NOT NULL, intent TEXT NOT NULL, slots_json TEXT NOT NULL, summary TEXT"
     " NOT NULL, transcript_json TEXT NOT NULL, gaps_json TEXT NOT NULL, reason_code TEXT NOT"
     " NULL, created_ms INTEGER NOT NULL, updated_ms INTEGER NOT NULL, closed_ms INTEGER NOT NULL"
     " DEFAULT 0);"
     "CREATE INDEX tickets_status ON tickets(status, created_ms);"
     "CREATE INDEX tickets_session ON tickets(session_id);"
     "CREATE TABLE ticket_replies(ticket_id TEXT NOT NULL REFERENCES tickets(id), seq INTEGER NOT"
     " NULL, author TEXT NOT NULL, text TEXT NOT NULL, created_ms INTEGER NOT NULL,"
     " PRIMARY KEY(ticket_id, seq));"},
};

constexpr const char* kColumns =
    "id, session_id, customer_ref, status, intent, slots_json, summary, transcript_json, gaps_json,"
    " reason_code, created_ms, updated_ms, closed_ms";

Ticket ticket_from_row(store::Statement& st) {
  Ticket t;
  t.id = st.column_text(0);
  t.session_id = st.column_text(1);
  t.customer_ref = st.column_text(2);
  t.status = st.column_text(3);
  t.intent = st.column_text(4);
  t.slots_json = st.column_text(5);
  t.summary = st.column_text(6);
  auto transcript = parse_json(st.column_text(7));
  if (transcript.ok() && transcript->is_array()) {
    for (const auto& turn : *transcript) {
      t.transcript.push_back({turn.value("role", ""), turn.value("text", "")});
    }
  }
  auto gaps = parse_json(st.column_text(8));
  if (gaps.ok() && gaps->is_array()) {
    for (const auto& g : *gaps) if (g.is_string()) t.retrieval_gaps.push_back(g.get<std::string>());
  }
  t.reason_code = st.column_text(9);
  t.created_ms = st.column_int(10);
  t.updated_ms = st.column_int(11);
  t.closed_ms = st.column_int(12);
  return t;
}

}  // namespace

Result<std::unique_ptr<TicketStore>> TicketStore::open(std::shared_ptr<store::SqliteDatabase> db,
                                                       Anonymizer anonymizer, const Clock& clock,
                                                       Random& random,
                                                       store::ConversationStore* conversations) {
  if (!db) return Status::invalid_argument("tickets: database is null");
  if (!anonymizer) return Status::invalid_argument("tickets: an anonymizer is required");
  ATIENDE_RETURN_IF_ERROR(store::apply_migrations(*db, "tickets", kTicketMigrations));
  return std::unique_ptr<TicketStore>(
      new TicketStore(std::move(db), std::move(anonymizer), clock, random, conversations));
}

Result<std::optional<Ticket>> TicketStore::open_ticket_for_session(const std::string& session_id) {
  std::optional<Ticket> out;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(std::string("SELECT ") + kColumns +
        " FROM tickets WHERE session_id = ? AND status = 'open' ORDER BY created_ms DESC LIMIT 1"));
    st.bind(1, session_id);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (row) out = ticket_from_row(st);
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Ticket> TicketStore::create(const NewTicket& in) {
  if (in.session_id.empty()) return Status::invalid_argument("ticket: session_id is empty");
  ATIENDE_ASSIGN_OR_RETURN(auto existing, open_ticket_for_session(in.session_id));
  if (existing) return *existing;
  Ticket t;
  t.id = new_id(random_, "tkt");
  t.session_id = in.session_id;
  t.customer_ref = in.customer_ref;
  t.intent = in.intent;
  t.slots_json = in.slots_json.empty() ? "{}" : in.slots_json;
  t.summary = anonymizer_(in.summary);
  Json transcript = Json::array();
  for (const auto& turn : in.transcript) {
    TranscriptTurn clean{turn.role, anonymizer_(turn.text)};
    transcript.push_back({{"role", clean.role}, {"text", clean.text}});
    t.transcript.push_back(std::move(clean));
  }
  Json gaps = Json::array();
  for (const auto& g : in.retrieval_gaps) {
    t.retrieval_gaps.push_back(anonymizer_(g));
    gaps.push_back(t.retrieval_gaps.back());
  }
  t.reason_code = in.reason_code;
  t.created_ms = t.updated_ms = clock_.unix_millis();
  Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(std::string("INSERT INTO tickets(") + kColumns +
                                                 ") VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)"));
    st.bind(1, t.id).bind(2, t.session_id).bind(3, t.customer_ref).bind(4, t.status)
        .bind(5, t.intent).bind(6, t.slots_json).bind(7, t.summary).bind(8, dump_json(transcript))
        .bind(9, dump_json(gaps)).bind(10, t.reason_code).bind(11, t.created_ms)
        .bind(12, t.updated_ms).bind(13, int64_t{0});
    return st.run();
  });
  if (!s.ok()) return s;
  if (conversations_) {
    auto session = conversations_->get_session(t.session_id);
    if (session.ok() && session->has_value()) {
      store::Session updated = **session;
      updated.status = "escalated";
      updated.updated_ms = t.created_ms;
      ATIENDE_RETURN_IF_ERROR(conversations_->update_session(updated));
    }
  }
  return t;
}

Result<std::vector<TranscriptTurn>> TicketStore::conversation_turns(const std::string& session_id,
                                                                    size_t max_turns) {
  std::vector<TranscriptTurn> turns;
  if (!conversations_) return turns;
  ATIENDE_ASSIGN_OR_RETURN(auto messages, conversations_->messages(session_id));
  const size_t first = messages.size() > max_turns ? messages.size() - max_turns : 0;
  for (size_t i = first; i < messages.size(); ++i) turns.push_back({messages[i].role, messages[i].text});
  return turns;
}

Result<bool> TicketStore::last_answer_abstained(const std::string& session_id) {
  if (!conversations_) return false;
  ATIENDE_ASSIGN_OR_RETURN(auto messages, conversations_->messages(session_id));
  return !messages.empty() && messages.back().role == "assistant" && messages.back().abstained;
}

Result<std::vector<Ticket>> TicketStore::list(const TicketQuery& query) {
  std::vector<Ticket> out;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    std::string sql = std::string("SELECT ") + kColumns + " FROM tickets";
    if (!query.status.empty()) sql += " WHERE status = ?";
    sql += " ORDER BY created_ms DESC, id LIMIT ? OFFSET ?";
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(sql));
    int i = 1;
    if (!query.status.empty()) st.bind(i++, query.status);
    st.bind(i++, std::max<int64_t>(0, std::min<int64_t>(query.limit, 1000)));
    st.bind(i, std::max<int64_t>(0, query.offset));
    while (true) {
      ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
      if (!row) break;
      out.push_back(ticket_from_row(st));
    }
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Ticket> TicketStore::get(const std::string& ticket_id) {
  std::optional<Ticket> out;
  Status s = db_->with_connection([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(std::string("SELECT ") + kColumns +
                                                 " FROM tickets WHERE id = ?"));
    st.bind(1, ticket_id);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status::ok_status();
    out = ticket_from_row(st);
    ATIENDE_ASSIGN_OR_RETURN(auto rs, db.prepare(
        "SELECT seq, author, text, created_ms FROM ticket_replies WHERE ticket_id = ? ORDER BY seq"));
    rs.bind(1, ticket_id);
    while (true) {
      ATIENDE_ASSIGN_OR_RETURN(bool r, rs.step());
      if (!r) break;
      out->replies.push_back({rs.column_int(0), rs.column_text(1), rs.column_text(2), rs.column_int(3)});
    }
    return Status::ok_status();
  });
  if (!s.ok()) return s;
  if (!out) return Status::not_found("ticket '" + ticket_id + "' not found");
  return *out;
}

Result<TicketReply> TicketStore::reply(const std::string& ticket_id, const std::string& author,
                                       const std::string& text) {
  if (text.empty()) return Status::invalid_argument("reply text is empty");
  if (text.size() > 8000) return Status::invalid_argument("reply text is longer than 8000 bytes");
  TicketReply reply;
  reply.author = author.empty() ? "agent" : author;
  reply.text = anonymizer_(text);
  reply.created_ms = clock_.unix_millis();
  std::string session_id;
  Status s = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare("SELECT status, session_id FROM tickets WHERE id = ?"));
    st.bind(1, ticket_id);
    ATIENDE_ASSIGN_OR_RETURN(bool row, st.step());
    if (!row) return Status::not_found("ticket '" + ticket_id + "' not found");
    if (st.column_text(0) != "open") return Status::failed_precondition("ticket is closed");
    session_id = st.column_text(1);
    ATIENDE_ASSIGN_OR_RETURN(auto seq_st, db.prepare(
        "SELECT COALESCE(MAX(seq), 0) + 1 FROM ticket_replies WHERE ticket_id = ?"));
    seq_st.bind(1, ticket_id);
    ATIENDE_ASSIGN_OR_RETURN(bool has_seq, seq_st.step());
    reply.seq = has_seq ? seq_st.column_int(0) : 1;
    ATIENDE_ASSIGN_OR_RETURN(auto ins, db.prepare(
        "INSERT INTO ticket_replies(ticket_id, seq, author, text, created_ms) VALUES(?,?,?,?,?)"));
    ins.bind(1, ticket_id).bind(2, reply.seq).bind(3, reply.author).bind(4, reply.text)
        .bind(5, reply.created_ms);
    ATIENDE_RETURN_IF_ERROR(ins.run());
    ATIENDE_ASSIGN_OR_RETURN(auto up, db.prepare("UPDATE tickets SET updated_ms = ? WHERE id = ?"));
    up.bind(1, reply.created_ms).bind(2, ticket_id);
    return up.run();
  });
  if (!s.ok()) return s;
  if (conversations_) {
    store::Message m;
    m.id = new_id(random_, "msg");
    m.session_id = session_id;
    m.role = "agent";
    m.text = reply.text;
    m.created_ms = reply.created_ms;
    m.provider = "human";
    auto appended = conversations_->append_message(m);
    if (!appended.ok()) return appended.status().with_context("reply stored but not delivered");
  }
  return reply;
}

Status TicketStore::close(const std::string& ticket_id) {
  return db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto st, db.prepare(
        "UPDATE tickets SET status = 'closed', closed_ms = CASE WHEN status = 'closed' THEN"
        " closed_ms ELSE ? END, updated_ms = ? WHERE id = ?"));
    const int64_t now = clock_.unix_millis();
    st.bind(1, now).bind(2, now).bind(3, ticket_id);
    ATIENDE_RETURN_IF_ERROR(st.run());
    if (db.changes() == 0) return Status::not_found("ticket '" + ticket_id + "' not found");
    return Status::ok_status();
  });
}

Result<int64_t> TicketStore::erase_sessions(const std::vector<std::string>& session_ids) {
  int64_t removed = 0;
  Status status = db_->with_transaction([&](store::SqliteDatabase& db) -> Status {
    ATIENDE_ASSIGN_OR_RETURN(auto replies, db.prepare(
        "DELETE FROM ticket_replies WHERE ticket_id IN (SELECT id FROM tickets WHERE session_id = ?)"));
    ATIENDE_ASSIGN_OR_RETURN(auto tickets, db.prepare("DELETE FROM tickets WHERE session_id = ?"));
    for (const auto& id : session_ids) {
      replies.reset();
      replies.bind(1, id);
      ATIENDE_RETURN_IF_ERROR(replies.run());
      tickets.reset();
      tickets.bind(1, id);
      ATIENDE_RETURN_IF_ERROR(tickets.run());
      removed += db.changes();
    }
    return Status::ok_status();
  });
  if (!status.ok()) return status;
  return removed;
}

}  // namespace atiende::agent
