#pragma once
/// Data governance of conversations: retention (old conversations deleted or detached from their
/// customer) and the right to erasure (every conversation, rating, survey, ticket and agent state
/// of one customer removed). Both are recorded in the audit log, which keeps only the keyed hash
/// of the customer id (audit/audit_log.h), never the id itself.

#include <cstdint>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/conversations.h"

namespace atiende::agent {
class Agent;
}
namespace atiende::audit {
class AuditLog;
}

namespace atiende::governance {

struct GovernanceDeps {
  store::ConversationStore* conversations = nullptr;  ///< required
  audit::AuditLog* audit = nullptr;                   ///< required
  agent::Agent* agent = nullptr;  ///< optional: also forgets tickets and agent state
  const Clock* clock = nullptr;   ///< required
};

enum class RetentionMode {
  kDelete,  ///< remove the conversations with their messages, ratings, surveys and tickets
  kDetach,  ///< keep the (already anonymized) texts for statistics, cut the customer link
};

struct RetentionReport {
  int64_t cutoff_ms = 0;        ///< conversations last updated before this were processed
  int64_t sessions = 0;         ///< sessions processed
  int64_t tickets_removed = 0;  ///< kDelete only
};

/// Applies retention to sessions last updated more than `days` days ago (1..36500). `actor`
/// names who ran it in the audit record ("cli", "admin:<name>").
Result<RetentionReport> apply_retention(const GovernanceDeps& deps, int64_t days,
                                        RetentionMode mode, const std::string& actor);

struct ErasureReport {
  std::string customer_ref;  ///< the keyed hash the audit keeps
  int64_t sessions = 0;
  int64_t tickets_removed = 0;
};

/// Erases everything stored about `customer_id` (an empty id is invalid_argument). Erasing a
/// customer with nothing stored succeeds with zero counts (and is still audited).
Result<ErasureReport> erase_customer(const GovernanceDeps& deps, const std::string& customer_id,
                                     const std::string& actor);

}  // namespace atiende::governance
