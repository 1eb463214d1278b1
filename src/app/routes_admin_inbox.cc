// The human agents' inbox (issue 5, handoff): handed-off conversations as tickets, behind the
// admin API key (app/admin_auth.h). The page is web/admin/inbox.html.
//
//   GET  /v1/admin/tickets?status=open|closed&limit=&offset=   newest first
//   GET  /v1/admin/tickets/{id}       ticket + the conversation's messages since (all anonymized)
//   POST /v1/admin/tickets/{id}/reply {"text","author"?}  delivered into the customer's chat
//   POST /v1/admin/tickets/{id}/close

#include "agent/agent.h"
#include "agent/tickets.h"
#include "app/admin_auth.h"
#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/json.h"
#include "http/json.h"
#include "store/conversations.h"

namespace atiende::app {
namespace {

constexpr size_t kMaxReplyChars = 4000;

Json ticket_summary_json(const agent::Ticket& t) {
  return {{"id", t.id},
          {"session_id", t.session_id},
          {"status", t.status},
          {"intent", t.intent},
          {"summary", t.summary},
          {"reason_code", t.reason_code},
          {"authenticated", !t.customer_ref.empty()},
          {"created_ms", t.created_ms},
          {"updated_ms", t.updated_ms},
          {"closed_ms", t.closed_ms}};
}

Json ticket_json(const agent::Ticket& t, const std::vector<store::Message>& messages) {
  Json out = ticket_summary_json(t);
  auto slots = parse_json(t.slots_json);
  out["slots"] = slots.ok() ? *slots : Json::object();
  out["retrieval_gaps"] = t.retrieval_gaps;
  Json transcript = Json::array();
  for (const auto& turn : t.transcript) transcript.push_back({{"role", turn.role}, {"text", turn.text}});
  out["transcript"] = std::move(transcript);
  Json replies = Json::array();
  for (const auto& r : t.replies) {
    replies.push_back({{"author", r.author}, {"text", r.text}, {"created_ms", r.created_ms}});
  }
  out["replies"] = std::move(replies);
  // The live conversation, so the agent also sees what was said after the handoff.
  Json conversation = Json::array();
  for (const auto& m : messages) {
    conversation.push_back({{"role", m.role}, {"text", m.text}, {"created_ms", m.created_ms}});
  }
  out["messages"] = std::move(conversation);
  return out;
}

Result<int64_t> query_int(const http::Request& request, std::string_view name, int64_t fallback,
                          int64_t min, int64_t max) {
  auto value = request.query(name);
  if (!value) return fallback;
  try {
    size_t used = 0;
    const int64_t n = std::stoll(*value, &used);
    if (used == value->size() && n >= min && n <= max) return n;
  } catch (const std::exception&) {
  }
  return Status::invalid_argument("query parameter '" + std::string(name) + "' must be an integer " +
                                  "between " + std::to_string(min) + " and " + std::to_string(max));
}

Status install_admin_inbox_routes(http::Router& router, ServeContext& context) {
  ATIENDE_ASSIGN_OR_RETURN(std::string key, load_admin_key(context.config, context.data_dir));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> rt, shared_chat_runtime(context));
  if (!rt->agent) return {};  // account tasks (and so handoff tickets) are turned off
  auto admin_key = std::make_shared<const std::string>(std::move(key));
  Status status;
  auto add = [&](std::string_view method, std::string_view pattern, http::Handler handler) {
    if (status.ok()) status = router.add(method, pattern, std::move(handler));
  };

  add("GET", "/v1/admin/tickets", [rt, admin_key](http::Request& request) -> Result<http::Response> {
    ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, rt->audit.get()));
    agent::TicketQuery query;
    query.status = request.query("status").value_or("");
    if (!query.status.empty() && query.status != "open" && query.status != "closed") {
      return Status::invalid_argument("status must be open or closed");
    }
    ATIENDE_ASSIGN_OR_RETURN(query.limit, query_int(request, "limit", 100, 1, 1000));
    ATIENDE_ASSIGN_OR_RETURN(query.offset, query_int(request, "offset", 0, 0, 1'000'000));
    ATIENDE_ASSIGN_OR_RETURN(auto tickets, rt->agent->tickets().list(query));
    Json list = Json::array();
    for (const auto& t : tickets) list.push_back(ticket_summary_json(t));
    return http::json_response({{"tickets", std::move(list)}});
  });

  add("GET", "/v1/admin/tickets/{id}",
      [rt, admin_key](http::Request& request) -> Result<http::Response> {
        ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, rt->audit.get()));
        ATIENDE_ASSIGN_OR_RETURN(agent::Ticket ticket, rt->agent->tickets().get(request.param("id")));
        ATIENDE_ASSIGN_OR_RETURN(auto messages, rt->conversations->messages(ticket.session_id));
        return http::json_response(ticket_json(ticket, messages));
      });

  add("POST", "/v1/admin/tickets/{id}/reply",
      [rt, admin_key](http::Request& request) -> Result<http::Response> {
        ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, rt->audit.get()));
        ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
        ATIENDE_ASSIGN_OR_RETURN(std::string text, json_string_field(body, "text"));
        ATIENDE_ASSIGN_OR_RETURN(std::string author, json_optional_string(body, "author", "agente"));
        if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
          return Status::invalid_argument("field 'text' is empty");
        }
        if (text.size() > kMaxReplyChars) {
          return Status::invalid_argument("field 'text' is longer than " +
                                          std::to_string(kMaxReplyChars) + " bytes");
        }
        ATIENDE_ASSIGN_OR_RETURN(agent::TicketReply reply,
                                 rt->agent->tickets().reply(request.param("id"), author, text));
        return http::json_response(
            {{"ticket_id", request.param("id")}, {"author", reply.author}, {"text", reply.text},
             {"created_ms", reply.created_ms}},
            201);
      });

  add("POST", "/v1/admin/tickets/{id}/close",
      [rt, admin_key](http::Request& request) -> Result<http::Response> {
        ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, rt->audit.get()));
        ATIENDE_RETURN_IF_ERROR(rt->agent->tickets().close(request.param("id")));
        return http::json_response({{"id", request.param("id")}, {"status", "closed"}});
      });
  return status;
}

}  // namespace
ATIENDE_REGISTER_ROUTES("admin_inbox", install_admin_inbox_routes);
}  // namespace atiende::app
