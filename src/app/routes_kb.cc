// Knowledge-base routes of `atiende serve` (issue 2): search and document management.
//   POST   /v1/search            {"query","k","mode","filter"} -> {"hits":[...],"took_ms",...}
//   POST   /v1/documents         JSON record, array, {"documents":[...]} or JSONL -> summary
//   GET    /v1/documents         ?offset=&limit=&type= -> {"documents":[...],...}
//   GET    /v1/documents/{id}    ?chunks=false to omit chunks -> document (+ chunks)
//   DELETE /v1/documents/{id}    -> {"id","deleted":true,"chunks_removed"}

#include <chrono>

#include "app/admin_auth.h"
#include "app/chat_runtime.h"
#include "app/serve.h"
#include "common/json.h"
#include "common/metrics.h"
#include "common/strings.h"
#include "http/json.h"
#include "ingest/pipeline.h"
#include "retrieve/filter.h"
#include "retrieve/hit_json.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

constexpr int64_t kMaxPageSize = 1000;

Json metadata_value(const std::string& metadata_json) {
  auto parsed = parse_json(metadata_json);
  return parsed.ok() ? *parsed : Json::object();
}

Json document_json(const store::Document& d) {
  return {{"id", d.id},
          {"title", d.title},
          {"type", d.type},
          {"language", d.language},
          {"source", d.source},
          {"metadata", metadata_value(d.metadata_json)},
          {"chunk_count", d.chunk_count},
          {"created_at", format_iso8601(std::chrono::system_clock::time_point(
                             std::chrono::milliseconds(d.created_ms)))},
          {"updated_at", format_iso8601(std::chrono::system_clock::time_point(
                             std::chrono::milliseconds(d.updated_ms)))}};
}

/// A non-negative integer query parameter in [min, max], or `fallback` when absent.
Result<int64_t> int_query(const http::Request& request, std::string_view name, int64_t fallback,
                          int64_t min, int64_t max) {
  auto raw = request.query(name);
  if (!raw) return fallback;
  auto value = parse_int64(*raw);
  if (!value || *value < min || *value > max) {
    return Status::invalid_argument("query parameter '" + std::string(name) +
                                    "' must be an integer in [" + std::to_string(min) + ", " +
                                    std::to_string(max) + "], got '" + *raw + "'");
  }
  return *value;
}

Result<http::Response> search(retrieve::KnowledgeBase& kb, http::Request& request) {
  const auto started = std::chrono::steady_clock::now();
  ATIENDE_ASSIGN_OR_RETURN(Json body, http::parse_json_body(request));
  if (!body.is_object()) return Status::invalid_argument("request body must be a JSON object");
  ATIENDE_ASSIGN_OR_RETURN(std::string query, json_string_field(body, "query"));
  ATIENDE_ASSIGN_OR_RETURN(int64_t k, json_optional_int(body, "k", 10));
  if (k < 1 || k > 1000) {
    return Status::invalid_argument("field 'k' must be in [1, 1000], got " + std::to_string(k));
  }
  ATIENDE_ASSIGN_OR_RETURN(std::string mode_name, json_optional_string(body, "mode", "hybrid"));
  auto mode = retrieve::parse_search_mode(mode_name);
  if (!mode) {
    return Status::invalid_argument("field 'mode' must be bm25, vector or hybrid, got '" +
                                    mode_name + "'");
  }
  index::Filter filter;
  if (auto it = body.find("filter"); it != body.end() && !it->is_null()) {
    if (!it->is_object()) {
      return Status::invalid_argument(
          "field 'filter' must be an object, e.g. {\"type\":\"faq\",\"metadata.category\":[\"a\"]}");
    }
    auto parsed = retrieve::parse_filter_json(dump_json(*it));
    if (!parsed.ok()) return parsed.status().with_context("field 'filter'");
    filter = std::move(*parsed);
  }
  ATIENDE_ASSIGN_OR_RETURN(auto hits, kb.search(query, static_cast<size_t>(k), *mode, filter));
  const double took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  Json out = {{"query", query},
              {"k", k},
              {"mode", retrieve::search_mode_name(*mode)},
              {"hits", hits},
              {"took_ms", took_ms}};
  return http::json_response(out);
}

Result<http::Response> add_documents(ingest::IngestPipeline& pipeline, http::Request& request) {
  if (request.body.empty()) {
    return Status::invalid_argument(
        "request body is empty; send a JSON record {\"id\",\"title\",\"text\",\"type\","
        "\"metadata\"}, an array of them, or JSON Lines");
  }
  ingest::FileResult result = pipeline.ingest_records(request.body, "api");
  if (!result.status.ok()) return result.status;
  Json ids = Json::array();
  for (const auto& outcome : result.outcome.documents) ids.push_back(outcome.doc_id);
  Json out = {{"documents",
               {{"added", result.documents_added},
                {"replaced", result.documents_replaced},
                {"unchanged", result.documents_unchanged}}},
              {"chunks", result.chunks},
              {"duplicates_dropped", result.duplicates_dropped},
              {"ids", ids}};
  return http::json_response(out, result.documents_added > 0 ? 201 : 200);
}

Result<http::Response> list_documents(retrieve::KnowledgeBase& kb, http::Request& request) {
  store::DocumentQuery query;
  ATIENDE_ASSIGN_OR_RETURN(query.offset,
                           int_query(request, "offset", 0, 0, std::numeric_limits<int32_t>::max()));
  ATIENDE_ASSIGN_OR_RETURN(query.limit, int_query(request, "limit", 100, 1, kMaxPageSize));
  query.type = request.query("type").value_or("");
  ATIENDE_ASSIGN_OR_RETURN(auto documents, kb.store().list_documents(query));
  Json items = Json::array();
  for (const auto& d : documents) items.push_back(document_json(d));
  Json out = {{"documents", items}, {"offset", query.offset}, {"limit", query.limit}};
  if (query.type.empty()) {
    ATIENDE_ASSIGN_OR_RETURN(int64_t total, kb.store().count_documents());
    out["total"] = total;
  } else {
    out["type"] = query.type;
  }
  return http::json_response(out);
}

Result<http::Response> get_document(retrieve::KnowledgeBase& kb, http::Request& request) {
  const std::string id = request.param("id");
  ATIENDE_ASSIGN_OR_RETURN(auto document, kb.store().get_document(id));
  if (!document) return Status::not_found("document '" + id + "' not found");
  Json out = document_json(*document);
  const std::string chunks_flag = request.query("chunks").value_or("true");
  if (chunks_flag != "false" && chunks_flag != "0") {
    ATIENDE_ASSIGN_OR_RETURN(auto chunks, kb.store().chunks_of(id));
    Json items = Json::array();
    for (const auto& c : chunks) {
      items.push_back({{"chunk_id", c.id},
                       {"ordinal", c.ordinal},
                       {"title", c.title},
                       {"text", c.text},
                       {"start", c.start},
                       {"end", c.end},
                       {"page", c.page}});
    }
    out["chunks"] = items;
  }
  return http::json_response(out);
}

Result<http::Response> delete_document(ingest::IngestPipeline& pipeline, http::Request& request) {
  const std::string id = request.param("id");
  ATIENDE_ASSIGN_OR_RETURN(auto removed, pipeline.delete_document(id));
  return http::json_response({{"id", id}, {"deleted", true}, {"chunks_removed", removed.size()}});
}

Status install_kb_routes(http::Router& router, ServeContext& context) {
  retrieve::KnowledgeBase* kb = &context.kb;
  ingest::IngestPipeline* pipeline = &context.pipeline;
  ATIENDE_RETURN_IF_ERROR(router.add("POST", "/v1/search", [kb](http::Request& request) {
    return search(*kb, request);
  }));
  // The document routes write the knowledge base the assistant answers from (poisoning it is a
  // prompt injection into every answer) and return whole records. On a server other machines can
  // reach (http.host not loopback) they take the admin key; on 127.0.0.1, the default, whoever
  // can reach the port can already read the data dir, except a request a reverse proxy forwarded
  // (Request::forwarded, http.trusted_proxies): it came from elsewhere and takes the key too.
  // Either way every change is audited.
  ATIENDE_ASSIGN_OR_RETURN(std::string host, context.config.get_string("http.host", "127.0.0.1"));
  const bool open_to_local_clients = is_loopback_host(host);
  ATIENDE_ASSIGN_OR_RETURN(std::string key, load_admin_key(context.config, context.data_dir));
  auto admin_key = std::make_shared<const std::string>(std::move(key));
  ATIENDE_ASSIGN_OR_RETURN(std::shared_ptr<ChatRuntime> rt, shared_chat_runtime(context));
  std::shared_ptr<audit::AuditLog> audit = rt->audit;
  auto guarded = [open_to_local_clients, admin_key, audit](auto handler) {
    return [open_to_local_clients, admin_key, audit, handler](http::Request& request) -> Result<http::Response> {
      if (open_to_local_clients && !request.forwarded) {
        ATIENDE_RETURN_IF_ERROR(audit_local_admin_request(request, audit.get()));
      } else {
        ATIENDE_RETURN_IF_ERROR(check_admin_audited(request, *admin_key, audit.get()));
      }
      return handler(request);
    };
  };
  ATIENDE_RETURN_IF_ERROR(router.add("POST", "/v1/documents", guarded([pipeline](http::Request& request) {
    return add_documents(*pipeline, request);
  })));
  ATIENDE_RETURN_IF_ERROR(router.add("GET", "/v1/documents", guarded([kb](http::Request& request) {
    return list_documents(*kb, request);
  })));
  ATIENDE_RETURN_IF_ERROR(router.add("GET", "/v1/documents/{id}", guarded([kb](http::Request& request) {
    return get_document(*kb, request);
  })));
  ATIENDE_RETURN_IF_ERROR(router.add(
      "DELETE", "/v1/documents/{id}",
      guarded([pipeline](http::Request& request) { return delete_document(*pipeline, request); })));
  default_metrics().gauge_function("atiende_kb_chunks", "Chunks in the knowledge-base indexes", {},
                                   [kb] { return static_cast<double>(kb->stats().lexical_size); });
  return Status::ok_status();
}

}  // namespace
ATIENDE_REGISTER_ROUTES("kb", install_kb_routes);
}  // namespace atiende::app
