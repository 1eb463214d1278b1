#include "governance/governance.h"

#include <vector>

#include "agent/agent.h"
#include "audit/audit_log.h"
#include "common/json.h"

namespace atiende::governance {
namespace {

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kPage = 500;

Status check(const GovernanceDeps& deps) {
  if (!deps.conversations || !deps.audit || !deps.clock) {
    return Status::invalid_argument("governance needs the conversation store, the audit log and a clock");
  }
  return {};
}

/// Every session matching `query` (paged).
Result<std::vector<store::Session>> all_sessions(store::ConversationStore& conversations,
                                                 store::SessionQuery query) {
  std::vector<store::Session> out;
  query.limit = kPage;
  for (query.offset = 0;; query.offset += kPage) {
    ATIENDE_ASSIGN_OR_RETURN(auto page, conversations.list_sessions(query));
    for (auto& s : page) out.push_back(std::move(s));
    if (static_cast<int64_t>(page.size()) < kPage) return out;
  }
}

/// Deletes `ids` everywhere; returns tickets removed.
Result<int64_t> delete_everywhere(const GovernanceDeps& deps, const std::vector<std::string>& ids) {
  int64_t tickets = 0;
  if (deps.agent) {
    ATIENDE_ASSIGN_OR_RETURN(tickets, deps.agent->erase_sessions(ids));
  }
  ATIENDE_RETURN_IF_ERROR(deps.conversations->delete_sessions(ids).status());
  return tickets;
}

}  // namespace

Result<RetentionReport> apply_retention(const GovernanceDeps& deps, int64_t days,
                                        RetentionMode mode, const std::string& actor) {
  ATIENDE_RETURN_IF_ERROR(check(deps));
  if (days < 1 || days > 36500) return Status::invalid_argument("--days must be between 1 and 36500");
  RetentionReport report;
  report.cutoff_ms = deps.clock->unix_millis() - days * kDayMs;
  store::SessionQuery query;
  query.to_ms = report.cutoff_ms;  // created before the cutoff...
  ATIENDE_ASSIGN_OR_RETURN(auto sessions, all_sessions(*deps.conversations, query));
  std::vector<std::string> ids;
  for (const auto& s : sessions) {
    if (s.updated_ms < report.cutoff_ms) ids.push_back(s.id);  // ...and quiet since
  }
  report.sessions = static_cast<int64_t>(ids.size());
  if (mode == RetentionMode::kDelete) {
    ATIENDE_ASSIGN_OR_RETURN(report.tickets_removed, delete_everywhere(deps, ids));
  } else {
    ATIENDE_RETURN_IF_ERROR(deps.conversations->detach_sessions(ids).status());
  }
  audit::AuditEvent event;
  event.action = "retention";
  event.actor = actor;
  event.decision = mode == RetentionMode::kDelete ? "delete" : "detach";
  event.reason_code = "ok";
  event.details_json = dump_json({{"days", days},
                                  {"cutoff_ms", report.cutoff_ms},
                                  {"sessions", report.sessions},
                                  {"tickets_removed", report.tickets_removed}});
  ATIENDE_RETURN_IF_ERROR(deps.audit->append(event).status());
  return report;
}

Result<ErasureReport> erase_customer(const GovernanceDeps& deps, const std::string& customer_id,
                                     const std::string& actor) {
  ATIENDE_RETURN_IF_ERROR(check(deps));
  if (customer_id.empty()) return Status::invalid_argument("--customer is empty");
  ErasureReport report;
  report.customer_ref = deps.audit->customer_ref(customer_id);
  store::SessionQuery query;
  query.customer_ref = report.customer_ref;
  ATIENDE_ASSIGN_OR_RETURN(auto sessions, all_sessions(*deps.conversations, query));
  std::vector<std::string> ids;
  for (const auto& s : sessions) ids.push_back(s.id);
  report.sessions = static_cast<int64_t>(ids.size());
  ATIENDE_ASSIGN_OR_RETURN(report.tickets_removed, delete_everywhere(deps, ids));
  audit::AuditEvent event;
  event.action = "erase";
  event.actor = actor;
  event.customer_id = customer_id;  // stored only as the keyed hash
  event.decision = "delete";
  event.reason_code = "ok";
  event.details_json = dump_json({{"sessions", report.sessions},
                                  {"tickets_removed", report.tickets_removed}});
  ATIENDE_RETURN_IF_ERROR(deps.audit->append(event).status());
  return report;
}

}  // namespace atiende::governance
