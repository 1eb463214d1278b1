// Human A/B evaluation behind the admin API key (app/admin_auth.h); the page is
// web/admin/ab.html. Studies come from `atiende eval run` reports (insights/ab_import.h).
//
//   GET    /v1/admin/ab/studies                      {"studies":[...]}
//   POST   /v1/admin/ab/studies                      {"report":{...},"name"?,"a"?,"b"?,"max_items"?}
//   GET    /v1/admin/ab/studies/{id}/next?rater=R    the rater's next blind item (or null)
//   POST   /v1/admin/ab/studies/{id}/votes           {"item_id","rater","choice":"A"|"B"|"tie","comment"?}
//   GET    /v1/admin/ab/studies/{id}/summary         win rates, Cohen's kappa, comments
//   DELETE /v1/admin/ab/studies/{id}

#include "app/admin_auth.h"
#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/clock.h"
#include "common/json.h"
#include "http/json.h"
#include "insights/ab_import.h"
#include "insights/ab_summary.h"
#include "privacy/anonymizer.h"

namespace atiende::app {
namespace {

constexpr size_t kMaxCommentBytes = 2000;

http::Response raw_json(std::string body, int status = 200) {
  http::Response response = http::json_response(Json::object(), status);
  response.body = std::move(body);
  return response;
}

struct AbDeps {
  std::shared_ptr<insights::AbStore> store;
  std::shared_ptr<const privacy::Anonymizer> anonymizer;
  std::string admin_key;
  std::shared_ptr<audit::AuditLog> audit;  ///< records every admin request (check_admin_audited)
};

Result<insights::AbStudy> study_or_404(insights::AbStore& store, const std::string& id) {
  ATIENDE_ASSIGN_OR_RETURN(auto study, store.get_study(id));
  if (!study) return Status::not_found("A/B study '" + id + "' does not exist");
  return *study;
}

Result<http::Response> create_study(AbDeps& deps, const http::Request& request) {
  ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
  if (!body.is_object() || !body.contains("report") || !body["report"].is_object()) {
    return Status::invalid_argument("body needs \"report\": the report.json of `atiende eval run`");
  }
  insights::AbImportOptions options;
  ATIENDE_ASSIGN_OR_RETURN(options.name, json_optional_string(body, "name", ""));
  ATIENDE_ASSIGN_OR_RETURN(options.config_first, json_optional_string(body, "a", ""));
  ATIENDE_ASSIGN_OR_RETURN(options.config_second, json_optional_string(body, "b", ""));
  ATIENDE_ASSIGN_OR_RETURN(options.max_items, json_optional_int(body, "max_items", 0));
  options.source = "api";
  ATIENDE_ASSIGN_OR_RETURN(
      insights::AbImportResult result,
      insights::import_ab_report(*deps.store, dump_json(body["report"]), options, system_clock(),
                                 system_random()));
  Json out = parse_json(insights::ab_studies_to_json({result.study})).value()["studies"][0];
  out["skipped_missing"] = result.skipped_missing;
  out["skipped_identical"] = result.skipped_identical;
  return http::json_response(out, 201);
}

Result<http::Response> next_item(AbDeps& deps, const http::Request& request) {
  const std::string id = request.path_params.at("id");
  ATIENDE_ASSIGN_OR_RETURN(insights::AbStudy study, study_or_404(*deps.store, id));
  const std::string rater = request.query("rater").value_or("");
  ATIENDE_RETURN_IF_ERROR(insights::validate_rater(rater));
  int64_t rated = 0;
  ATIENDE_ASSIGN_OR_RETURN(auto item, insights::next_item_for(*deps.store, id, rater, &rated));
  return raw_json(insights::ab_blind_item_to_json(item, rater, rated, study.items));
}

Result<http::Response> put_vote(AbDeps& deps, const http::Request& request) {
  const std::string id = request.path_params.at("id");
  ATIENDE_ASSIGN_OR_RETURN(insights::AbStudy study, study_or_404(*deps.store, id));
  ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
  if (!body.is_object()) return Status::invalid_argument("body must be a JSON object");
  ATIENDE_ASSIGN_OR_RETURN(std::string item_id, json_string_field(body, "item_id"));
  ATIENDE_ASSIGN_OR_RETURN(std::string rater, json_string_field(body, "rater"));
  ATIENDE_ASSIGN_OR_RETURN(std::string choice, json_string_field(body, "choice"));
  ATIENDE_ASSIGN_OR_RETURN(std::string comment, json_optional_string(body, "comment", ""));
  ATIENDE_RETURN_IF_ERROR(insights::validate_rater(rater));
  if (comment.size() > kMaxCommentBytes) {
    return Status::invalid_argument("comment is longer than " + std::to_string(kMaxCommentBytes) +
                                    " bytes");
  }
  ATIENDE_ASSIGN_OR_RETURN(auto item, deps.store->get_item(item_id));
  if (!item || item->study_id != id) {
    return Status::not_found("item '" + item_id + "' is not in study '" + id + "'");
  }
  ATIENDE_ASSIGN_OR_RETURN(insights::AbOutcome outcome,
                           insights::outcome_of_choice(*item, rater, choice));
  insights::AbVote vote{item_id, rater, outcome, "", system_clock().unix_millis()};
  if (!comment.empty()) {
    // Comments are free text: anonymized before they are stored, withheld if that fails.
    auto scope = deps.anonymizer->new_scope();
    auto safe = deps.anonymizer->anonymize_text(comment, scope);
    vote.comment = safe.ok() ? *safe : std::string("[comentario retenido por privacidad]");
  }
  ATIENDE_RETURN_IF_ERROR(deps.store->put_vote(vote));
  int64_t rated = 0;
  ATIENDE_RETURN_IF_ERROR(insights::next_item_for(*deps.store, id, rater, &rated).status());
  return http::json_response(
      {{"recorded", true}, {"progress", {{"rated", rated}, {"total", study.items}}}}, 201);
}

Status install_admin_insight_routes(http::Router& router, ServeContext& context) {
  auto deps = std::make_shared<AbDeps>();
  ATIENDE_ASSIGN_OR_RETURN(deps->admin_key, load_admin_key(context.config, context.data_dir));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> rt, shared_chat_runtime(context));
  ATIENDE_ASSIGN_OR_RETURN(deps->store, insights::open_sqlite_ab_store(rt->db));
  deps->audit = rt->audit;
  auto anonymizer = privacy::Anonymizer::from_config(context.config);
  if (!anonymizer.ok()) return anonymizer.status().with_context("privacy");
  deps->anonymizer = std::move(*anonymizer);

  Status status;
  // Every handler checks the admin key first, then runs `fn`.
  auto add = [&](std::string_view method, std::string_view pattern,
                 Result<http::Response> (*fn)(AbDeps&, const http::Request&)) {
    if (!status.ok()) return;
    status = router.add(method, pattern, [deps, fn](http::Request& request) -> Result<http::Response> {
      ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, deps->admin_key, deps->audit.get()));
      return fn(*deps, request);
    });
  };
  add("GET", "/v1/admin/ab/studies", [](AbDeps& d, const http::Request&) -> Result<http::Response> {
    ATIENDE_ASSIGN_OR_RETURN(auto studies, d.store->list_studies());
    return raw_json(insights::ab_studies_to_json(studies));
  });
  add("POST", "/v1/admin/ab/studies", create_study);
  add("GET", "/v1/admin/ab/studies/{id}/next", next_item);
  add("POST", "/v1/admin/ab/studies/{id}/votes", put_vote);
  add("GET", "/v1/admin/ab/studies/{id}/summary",
      [](AbDeps& d, const http::Request& request) -> Result<http::Response> {
        ATIENDE_ASSIGN_OR_RETURN(auto summary,
                                 insights::summarize_ab(*d.store, request.path_params.at("id")));
        return raw_json(insights::ab_summary_to_json(summary));
      });
  add("DELETE", "/v1/admin/ab/studies/{id}",
      [](AbDeps& d, const http::Request& request) -> Result<http::Response> {
        ATIENDE_RETURN_IF_ERROR(d.store->delete_study(request.path_params.at("id")));
        http::Response response;
        response.status = 204;
        return response;
      });
  return status;
}

}  // namespace
ATIENDE_REGISTER_ROUTES("admin_insights", install_admin_insight_routes);
}  // namespace atiende::app
