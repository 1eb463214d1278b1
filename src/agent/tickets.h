#pragma once
/// Handoff tickets (component "tickets"): what a human agent needs to take over a conversation,
/// and the repository API behind the admin agent inbox (list / open / reply / close).
///
/// A ticket holds the detected intent and filled slots, a short summary, the ANONYMIZED
/// transcript (the caller's anonymizer runs before anything is stored), retrieval gaps and a
/// reason code. Creating one marks the conversation escalated (when a ConversationStore is
/// given); a reply is stored on the ticket and appended to the conversation as an "agent"
/// message, so the chat engine delivers it to the customer.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "store/conversations.h"
#include "store/sqlite_database.h"

namespace atiende::agent {

/// Text -> anonymized text. The app plugs in privacy/'s anonymizer.
using Anonymizer = std::function<std::string(std::string)>;

struct TranscriptTurn {
  std::string role;  ///< "user" | "assistant" | "agent"
  std::string text;  ///< raw on input; anonymized once stored
};

struct TicketReply {
  int64_t seq = 0;
  std::string author;  ///< admin user name or "agent"
  std::string text;    ///< as written by the human agent
  int64_t created_ms = 0;
};

struct Ticket {
  std::string id;              ///< "tkt_…"
  std::string session_id;
  std::string customer_ref;    ///< keyed hash of the customer id ("" when anonymous)
  std::string status = "open";  ///< open | closed
  std::string intent;
  std::string slots_json = "{}";
  std::string summary;         ///< anonymized
  std::vector<TranscriptTurn> transcript;  ///< anonymized
  std::vector<std::string> retrieval_gaps;  ///< anonymized questions the KB could not answer
  std::string reason_code;     ///< "customer_request" | "abstain_rejected" | "backend_unavailable"...
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t closed_ms = 0;
  std::vector<TicketReply> replies;  ///< filled by get()
};

struct NewTicket {
  std::string session_id;
  std::string customer_ref;
  std::string intent;
  std::string slots_json = "{}";
  std::string summary;
  std::vector<TranscriptTurn> transcript;  ///< raw; anonymized by the store
  std::vector<std::string> retrieval_gaps;  ///< raw; anonymized by the store
  std::string reason_code;
};

struct TicketQuery {
  std::string status;  ///< "" = any
  int64_t limit = 100;
  int64_t offset = 0;
};

/// Thread-safe.
class TicketStore {
 public:
  /// `anonymizer` is required (use an identity function only in tests that hold no PII).
  /// `conversations` may be null (then no escalation mark / reply delivery).
  static Result<std::unique_ptr<TicketStore>> open(std::shared_ptr<store::SqliteDatabase> db,
                                                   Anonymizer anonymizer, const Clock& clock,
                                                   Random& random,
                                                   store::ConversationStore* conversations);

  /// Stores a ticket (anonymizing summary, transcript and gaps) and marks the session escalated.
  /// An open ticket already existing for the session is returned instead of a second one.
  Result<Ticket> create(const NewTicket& ticket);
  /// Newest first.
  Result<std::vector<Ticket>> list(const TicketQuery& query);
  /// With replies. not_found for an unknown id.
  Result<Ticket> get(const std::string& ticket_id);
  Result<std::optional<Ticket>> open_ticket_for_session(const std::string& session_id);
  /// The session's stored conversation as transcript turns (texts as stored, i.e. already
  /// anonymized), oldest first, at most the last `max_turns`. Empty without a ConversationStore.
  Result<std::vector<TranscriptTurn>> conversation_turns(const std::string& session_id,
                                                         size_t max_turns = 40);
  /// True when the session's last stored message is an assistant answer that abstained (it ended
  /// with the offer of a human agent). False without a ConversationStore.
  Result<bool> last_answer_abstained(const std::string& session_id);
  /// Adds a reply (the human agent's text is anonymized before storage, like every stored text)
  /// and appends it to the conversation as role "agent". failed_precondition when closed.
  Result<TicketReply> reply(const std::string& ticket_id, const std::string& author,
                            const std::string& text);
  /// Closes; closing a closed ticket is ok (idempotent).
  Status close(const std::string& ticket_id);
  /// Deletes every ticket (and its replies) of these sessions: customer erasure and retention.
  /// Returns how many tickets were removed.
  Result<int64_t> erase_sessions(const std::vector<std::string>& session_ids);

 private:
  TicketStore(std::shared_ptr<store::SqliteDatabase> db, Anonymizer anonymizer, const Clock& clock,
              Random& random, store::ConversationStore* conversations)
      : db_(std::move(db)), anonymizer_(std::move(anonymizer)), clock_(clock), random_(random),
        conversations_(conversations) {}
  std::shared_ptr<store::SqliteDatabase> db_;
  Anonymizer anonymizer_;
  const Clock& clock_;
  Random& random_;
  store::ConversationStore* conversations_;
};

}  // namespace atiende::agent
