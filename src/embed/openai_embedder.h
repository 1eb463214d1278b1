#pragma once
/// OpenAiEmbedder: the OpenAI-compatible `/v1/embeddings` API (llama-server with --embeddings,
/// vLLM, Ollama, OpenAI). Sends {"model","input":[texts...],"encoding_format":"float"} and reads
/// {"data":[{"index","embedding":[...]}]}.
///
/// Config keys (embed.provider = "openai"):
///   embed.base_url        required, e.g. "http://127.0.0.1:8081/v1" ("/v1" is added when absent)
///   embed.model           required, e.g. "bge-m3"
///   embed.api_key         env ATIENDE_EMBED_API_KEY (Bearer); may be empty for local servers
///   embed.dimension       0 (default) = ask the server once at start-up with a probe text
///   embed.batch_size      texts per request (default 32, 1..2048)
///   embed.timeout_ms      per request, retries included (default 30000)
///   embed.query_prefix    prepended to queries (e.g. "query: " for E5 models; default "")
///   embed.passage_prefix  prepended to passages (e.g. "passage: "; default "")

#include <memory>
#include <string>

#include "common/config.h"
#include "common/status.h"
#include "embed/embedder.h"
#include "net/json_poster.h"

namespace atiende::embed {

struct OpenAiEmbedderOptions {
  std::string base_url;
  std::string model;
  std::string api_key;
  size_t dimension = 0;  ///< 0 = probe the server
  size_t batch_size = 32;
  int64_t timeout_ms = 30000;
  std::string query_prefix;
  std::string passage_prefix;
};

/// Reads the keys above; bad or missing values are invalid_argument naming the key.
Result<OpenAiEmbedderOptions> openai_embedder_options_from_config(const Config& config);

/// Builds the embedder. With dimension 0 it embeds one probe text to learn the dimension, so an
/// unreachable server fails here (unavailable, naming the URL) rather than at the first search.
/// name() is "openai:<model>:d<dim>[:<digest of the prefixes>]", so a change of model or prefixes
/// rebuilds the stored vectors. Vectors are L2-normalized. Responses are validated (count, index
/// range, dimension, finite numbers); a bad one is unavailable naming what is wrong.
/// Thread-safe. `poster` null = a NetJsonPoster on a new HttpClient.
Result<std::unique_ptr<Embedder>> make_openai_embedder(OpenAiEmbedderOptions options,
                                                       std::shared_ptr<const net::JsonPoster> poster);

}  // namespace atiende::embed
