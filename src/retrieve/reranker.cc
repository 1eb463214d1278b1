#include "retrieve/reranker.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "common/json.h"
#include "common/log.h"

namespace atiende::retrieve {

HttpReranker::HttpReranker(HttpRerankerOptions options, std::shared_ptr<const JsonPoster> poster)
    : options_(std::move(options)),
      poster_(std::move(poster)),
      url_(net::openai_endpoint_url(options_.base_url, "rerank")) {}

Result<std::vector<RerankScore>> parse_rerank_response(std::string_view body,
                                                       size_t document_count) {
  auto parsed = parse_json(body);
  if (!parsed.ok()) {
    return Status::unavailable("rerank response is not JSON: " + parsed.status().message());
  }
  const Json& root = *parsed;
  if (!root.is_object() || !root.contains("results") || !root["results"].is_array()) {
    return Status::unavailable("rerank response has no \"results\" array");
  }
  std::vector<RerankScore> scores;
  std::unordered_set<size_t> seen;
  for (const auto& item : root["results"]) {
    if (!item.is_object() || !item.contains("index") || !item["index"].is_number_integer()) {
      return Status::unavailable("rerank result without an integer \"index\"");
    }
    const auto index = item["index"].get<int64_t>();
    if (index < 0 || static_cast<size_t>(index) >= document_count) {
      return Status::unavailable("rerank result index " + std::to_string(index) +
                                 " is out of range for " + std::to_string(document_count) +
                                 " documents");
    }
    const char* score_key = item.contains("relevance_score") ? "relevance_score" : "score";
    if (!item.contains(score_key) || !item[score_key].is_number()) {
      return Status::unavailable("rerank result without a numeric \"relevance_score\"");
    }
    const double score = item[score_key].get<double>();
    if (!std::isfinite(score)) return Status::unavailable("rerank result with a non-finite score");
    if (!seen.insert(static_cast<size_t>(index)).second) continue;
    scores.push_back({static_cast<size_t>(index), score});
  }
  std::stable_sort(scores.begin(), scores.end(), [](const RerankScore& a, const RerankScore& b) {
    return a.relevance_score > b.relevance_score;
  });
  return scores;
}

Result<std::vector<RerankScore>> HttpReranker::rerank(std::string_view query,
                                                      std::span<const std::string> documents,
                                                      size_t top_n) const {
  if (documents.empty()) return std::vector<RerankScore>{};
  Json request = {{"model", options_.model},
                  {"query", std::string(query)},
                  {"documents", Json::array()},
                  {"top_n", std::min(top_n, documents.size())}};
  for (const auto& d : documents) request["documents"].push_back(d);
  JsonPoster::Headers headers;
  if (!options_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + options_.api_key);
  auto body = poster_->post_json(url_, dump_json(request), headers);
  if (!body.ok()) return body.status().with_context("rerank " + url_);
  ATIENDE_ASSIGN_OR_RETURN(auto scores, parse_rerank_response(*body, documents.size()));
  if (scores.size() > top_n) scores.resize(top_n);
  return scores;
}

Result<RerankOptions> rerank_options_from_config(const Config& config) {
  RerankOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.enabled, config.get_bool("retrieve.rerank", false));
  ATIENDE_ASSIGN_OR_RETURN(o.http.base_url, config.get_string("rerank.base_url", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.http.model, config.get_string("rerank.model", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.http.api_key, config.get_string("rerank.api_key", ""));
  ATIENDE_ASSIGN_OR_RETURN(const int64_t candidates, config.get_int("rerank.candidates", 30));
  if (candidates < 1 || candidates > 1000) {
    return Status::invalid_argument("rerank.candidates: must be between 1 and 1000");
  }
  o.candidates = static_cast<size_t>(candidates);
  ATIENDE_ASSIGN_OR_RETURN(o.fail_open, config.get_bool("rerank.fail_open", true));
  ATIENDE_ASSIGN_OR_RETURN(o.timeout_ms, config.get_int("rerank.timeout_ms", o.timeout_ms));
  if (o.timeout_ms < 1 || o.timeout_ms > 600000) {
    return Status::invalid_argument("rerank.timeout_ms: must be between 1 and 600000");
  }
  if (o.enabled) {
    if (o.http.base_url.empty()) {
      return Status::invalid_argument("rerank.base_url: required when retrieve.rerank = true");
    }
    if (!o.http.base_url.starts_with("http://") && !o.http.base_url.starts_with("https://")) {
      return Status::invalid_argument("rerank.base_url: must start with http:// or https://");
    }
    if (o.http.model.empty()) {
      return Status::invalid_argument("rerank.model: required when retrieve.rerank = true");
    }
  }
  return o;
}

RerankingRetriever::RerankingRetriever(std::shared_ptr<const Retriever> inner,
                                       std::shared_ptr<const Reranker> reranker,
                                       RerankOptions options)
    : inner_(std::move(inner)), reranker_(std::move(reranker)), options_(std::move(options)) {}

Result<std::vector<Hit>> RerankingRetriever::search(const SearchRequest& request) const {
  SearchRequest wide = request;
  wide.k = std::max(request.k, options_.candidates);
  ATIENDE_ASSIGN_OR_RETURN(auto hits, inner_->search(wide));
  if (hits.empty()) return hits;
  std::vector<std::string> documents;
  documents.reserve(hits.size());
  for (const auto& hit : hits) {
    documents.push_back(hit.title.empty() ? hit.text : hit.title + "\n" + hit.text);
  }
  auto scores = reranker_->rerank(request.query, documents, request.k);
  if (!scores.ok()) {
    if (!options_.fail_open) return scores.status();
    spdlog::warn("reranker failed, keeping retrieval order: {}", scores.status().to_string());
    if (hits.size() > request.k) hits.resize(request.k);
    return hits;
  }
  std::vector<Hit> out;
  out.reserve(std::min(request.k, scores->size()));
  for (const auto& s : *scores) {
    if (out.size() >= request.k) break;
    Hit hit = std::move(hits[s.index]);
    hit.score = s.relevance_score;
    out.push_back(std::move(hit));
  }
  return out;
}

}  // namespace atiende::retrieve
