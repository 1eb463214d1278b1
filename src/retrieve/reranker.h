#pragma once
/// Reranker: rescores candidate passages for a query (cross-encoder style), plus the reranking
/// retriever decorator and the OpenAI/llama-server-compatible `/v1/rerank` implementation.

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "net/json_poster.h"
#include "retrieve/retriever.h"

namespace atiende::retrieve {

/// One rescored candidate: `index` into the documents given to rerank().
struct RerankScore {
  size_t index = 0;
  double relevance_score = 0;  ///< higher is better
};

class Reranker {
 public:
  virtual ~Reranker() = default;
  /// Scores of the best `top_n` documents, best first; each index appears at most once.
  /// Thread-safe.
  virtual Result<std::vector<RerankScore>> rerank(std::string_view query,
                                                  std::span<const std::string> documents,
                                                  size_t top_n) const = 0;
};

/// The reranker's transport (net/json_poster.h); tests fake it.
using JsonPoster = net::JsonPoster;

struct HttpRerankerOptions {
  std::string base_url;  ///< rerank.base_url, e.g. "http://127.0.0.1:8012" or ".../v1"
  std::string model;     ///< rerank.model
  std::string api_key;   ///< rerank.api_key / ATIENDE_RERANK_API_KEY (Bearer); may be empty
};

/// Speaks {"model","query","documents":[...],"top_n"} -> {"results":[{"index","relevance_score"}]}
/// (llama-server, vLLM, Jina/Cohere-style servers). Validates the response: indexes in range,
/// finite scores, duplicates dropped; a malformed body is unavailable naming what is wrong.
class HttpReranker final : public Reranker {
 public:
  HttpReranker(HttpRerankerOptions options, std::shared_ptr<const JsonPoster> poster);
  Result<std::vector<RerankScore>> rerank(std::string_view query,
                                          std::span<const std::string> documents,
                                          size_t top_n) const override;
  /// The endpoint: base_url + "/v1/rerank" (or + "/rerank" when base_url ends in "/v1").
  const std::string& url() const { return url_; }

 private:
  HttpRerankerOptions options_;
  std::shared_ptr<const JsonPoster> poster_;
  std::string url_;
};

/// Parses a /v1/rerank response body for `document_count` documents.
Result<std::vector<RerankScore>> parse_rerank_response(std::string_view body,
                                                       size_t document_count);

struct RerankOptions {
  bool enabled = false;    ///< retrieve.rerank
  size_t candidates = 30;  ///< rerank.candidates: hits fetched from the inner retriever (>= k)
  /// On reranker failure return the inner order (logged) instead of an error.
  bool fail_open = true;   ///< rerank.fail_open
  int64_t timeout_ms = 5000;  ///< rerank.timeout_ms: whole HTTP call, retries included
  HttpRerankerOptions http;
};

/// Reads retrieve.rerank, rerank.base_url, rerank.model, rerank.api_key (env
/// ATIENDE_RERANK_API_KEY), rerank.candidates, rerank.fail_open, rerank.timeout_ms. When enabled, base_url and model
/// are required (error names the key).
Result<RerankOptions> rerank_options_from_config(const Config& config);

/// Decorator: asks `inner` for max(k, candidates) hits, reranks their title + text, returns the
/// best k with score = relevance_score. Thread-safe when inner and reranker are.
class RerankingRetriever final : public Retriever {
 public:
  RerankingRetriever(std::shared_ptr<const Retriever> inner,
                     std::shared_ptr<const Reranker> reranker, RerankOptions options);
  Result<std::vector<Hit>> search(const SearchRequest& request) const override;

 private:
  std::shared_ptr<const Retriever> inner_;
  std::shared_ptr<const Reranker> reranker_;
  RerankOptions options_;
};

}  // namespace atiende::retrieve
