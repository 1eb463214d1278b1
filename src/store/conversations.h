#pragma once
/// Conversations: chat sessions, their messages, per-answer feedback and the CSAT survey.
///
/// Privacy: every text stored here (messages, comments) must already be anonymized by the caller
/// (the chat engine anonymizes at the edge). Customers are identified only by `customer_ref`, a
/// keyed hash of the customer id, which still allows `erase --customer ID`.
///
/// Thread-safety: implementations are safe to call from several threads; each call is atomic.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "store/sqlite_database.h"

namespace atiende::store {

/// A chat session.
struct Session {
  std::string id;
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  std::string customer_ref;   ///< keyed hash of the customer id; empty for anonymous sessions
  std::string language = "es";
  std::string channel = "web";   ///< web | api | cli | openai
  bool consent = false;          ///< the customer agreed that the transcript may train models
  std::string status = "open";   ///< open | escalated | closed
  bool resolved = false;         ///< set from the survey (resolved: true)
  std::string last_intent;       ///< latest classified intent, if any
  std::string variant;           ///< A/B config label, if any
};

/// One message of a session.
struct Message {
  std::string id;
  std::string session_id;
  int64_t seq = 0;              ///< 1-based order within the session
  std::string role;             ///< user | assistant | agent | system | tool
  std::string text;             ///< anonymized
  int64_t created_ms = 0;
  std::string citations_json = "[]";  ///< [{n, doc_id, chunk_id, title, start, end}]
  std::string provider;         ///< builtin | openai | bedrock | human
  int64_t latency_ms = 0;
  int64_t prompt_tokens = 0;
  int64_t completion_tokens = 0;
  bool abstained = false;       ///< the assistant said it did not know
  bool fallback = false;        ///< the configured provider failed; builtin answered
  std::string intent;           ///< classified intent of a user message, if any
  std::string meta_json = "{}"; ///< retrieval ids/scores, rewritten query, actions...
};

struct Feedback {
  std::string session_id;
  std::string message_id;
  std::string rating;     ///< up | down
  std::string comment;    ///< anonymized
  int64_t created_ms = 0;
};

struct Survey {
  std::string session_id;
  int64_t csat = 0;       ///< 1..5
  std::string comment;    ///< anonymized
  bool resolved = false;
  int64_t created_ms = 0;
};

/// Filters for listing sessions (admin, KPIs, exports, retention).
struct SessionQuery {
  int64_t from_ms = 0;              ///< created at or after
  int64_t to_ms = INT64_MAX;        ///< created before
  std::string status;               ///< empty = any
  std::string customer_ref;         ///< empty = any
  int64_t limit = 1000;
  int64_t offset = 0;
};

class ConversationStore {
 public:
  virtual ~ConversationStore() = default;

  virtual Status create_session(const Session& session) = 0;
  /// std::nullopt when absent.
  virtual Result<std::optional<Session>> get_session(const std::string& id) = 0;
  /// Replaces the mutable fields (updated_ms, status, resolved, last_intent, language, consent).
  virtual Status update_session(const Session& session) = 0;
  virtual Result<std::vector<Session>> list_sessions(const SessionQuery& query) = 0;

  /// Appends a message; assigns `seq` (returned) as the next number in its session, and sets the
  /// session's `updated_ms` to the message's `created_ms` in the same transaction.
  virtual Result<int64_t> append_message(const Message& message) = 0;
  virtual Result<std::vector<Message>> messages(const std::string& session_id) = 0;
  /// The last `limit` messages of a session with `seq` below `before_seq`, oldest first (a
  /// turn's context: reading the whole transcript would make every turn of a long chat slower
  /// than the one before). Page further back by passing the oldest `seq` returned. Only what a
  /// context needs is read: id, session_id, seq, role, text, created_ms and intent; the other
  /// fields (citations, usage, meta) keep their defaults.
  virtual Result<std::vector<Message>> recent_messages(const std::string& session_id, size_t limit,
                                                       int64_t before_seq = INT64_MAX) = 0;
  virtual Result<std::optional<Message>> get_message(const std::string& message_id) = 0;

  /// One rating per message: a second call replaces the first.
  virtual Status put_feedback(const Feedback& feedback) = 0;
  virtual Result<std::vector<Feedback>> feedback_of(const std::string& session_id) = 0;
  /// One survey per session: a second call replaces the first.
  virtual Status put_survey(const Survey& survey) = 0;
  virtual Result<std::optional<Survey>> survey_of(const std::string& session_id) = 0;

  /// Deletes sessions (with messages, feedback, survey). Returns how many sessions were removed.
  virtual Result<int64_t> delete_sessions(const std::vector<std::string>& session_ids) = 0;
  /// Cuts sessions loose from their customer for retention: customer_ref emptied and feedback and
  /// survey comments cleared (message texts are anonymized when stored). Returns sessions changed.
  virtual Result<int64_t> detach_sessions(const std::vector<std::string>& session_ids) = 0;
};

/// The SQLite implementation; applies the "conversations" migrations.
Result<std::unique_ptr<ConversationStore>> open_sqlite_conversations(
    std::shared_ptr<SqliteDatabase> db);

}  // namespace atiende::store
