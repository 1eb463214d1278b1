#include "embed/openai_embedder.h"

#include <cmath>

#include "common/crypto.h"
#include "common/json.h"

namespace atiende::embed {
namespace {

class OpenAiEmbedder final : public Embedder {
 public:
  OpenAiEmbedder(OpenAiEmbedderOptions options, std::shared_ptr<const net::JsonPoster> poster)
      : options_(std::move(options)),
        poster_(std::move(poster)),
        url_(net::openai_endpoint_url(options_.base_url, "embeddings")) {}

  size_t dimension() const override { return options_.dimension; }

  std::string name() const override {
    std::string name = "openai:" + options_.model + ":d" + std::to_string(options_.dimension);
    if (!options_.query_prefix.empty() || !options_.passage_prefix.empty()) {
      name += ":" + sha256_hex(options_.query_prefix + '\n' + options_.passage_prefix).substr(0, 8);
    }
    return name;
  }

  Result<std::vector<Vector>> embed(std::span<const std::string> texts,
                                    EmbedRole role) const override {
    std::vector<Vector> out;
    out.reserve(texts.size());
    for (size_t begin = 0; begin < texts.size(); begin += options_.batch_size) {
      const size_t end = std::min(texts.size(), begin + options_.batch_size);
      ATIENDE_ASSIGN_OR_RETURN(auto batch, embed_batch(texts.subspan(begin, end - begin), role));
      for (auto& v : batch) out.push_back(std::move(v));
    }
    return out;
  }

  /// Sets the dimension from one probe call (construction only).
  Status probe_dimension() {
    const std::string probe[] = {"dimension probe"};
    ATIENDE_ASSIGN_OR_RETURN(auto vectors, embed_batch(probe, EmbedRole::kQuery));
    options_.dimension = vectors.at(0).size();
    return {};
  }

 private:
  Result<std::vector<Vector>> embed_batch(std::span<const std::string> texts, EmbedRole role) const {
    const std::string& prefix =
        role == EmbedRole::kQuery ? options_.query_prefix : options_.passage_prefix;
    Json request = {{"model", options_.model}, {"input", Json::array()},
                    {"encoding_format", "float"}};
    for (const auto& text : texts) request["input"].push_back(prefix + text);
    net::JsonPoster::Headers headers;
    if (!options_.api_key.empty()) headers.emplace_back("Authorization", "Bearer " + options_.api_key);
    auto body = poster_->post_json(url_, dump_json(request), headers);
    if (!body.ok()) return body.status().with_context("embeddings " + url_);
    auto vectors = parse_response(*body, texts.size());
    if (!vectors.ok()) return vectors.status().with_context("embeddings " + url_);
    return vectors;
  }

  Result<std::vector<Vector>> parse_response(std::string_view body, size_t count) const {
    auto parsed = parse_json(body, JsonLimits{64u << 20, 16});
    if (!parsed.ok()) return Status::unavailable("response is not JSON: " + parsed.status().message());
    const Json& root = *parsed;
    if (!root.is_object() || !root.contains("data") || !root["data"].is_array()) {
      return Status::unavailable("response has no \"data\" array");
    }
    const Json& data = root["data"];
    if (data.size() != count) {
      return Status::unavailable("response has " + std::to_string(data.size()) +
                                 " embeddings for " + std::to_string(count) + " inputs");
    }
    std::vector<Vector> out(count);
    for (size_t position = 0; position < data.size(); ++position) {
      const Json& item = data[position];
      size_t index = position;
      if (item.is_object() && item.contains("index")) {
        if (!item["index"].is_number_unsigned() || item["index"].get<uint64_t>() >= count) {
          return Status::unavailable("embedding " + std::to_string(position) +
                                     " has a bad \"index\"");
        }
        index = static_cast<size_t>(item["index"].get<uint64_t>());
      }
      if (!out[index].empty()) {
        return Status::unavailable("index " + std::to_string(index) + " appears twice");
      }
      if (!item.is_object() || !item.contains("embedding") || !item["embedding"].is_array() ||
          item["embedding"].empty()) {
        return Status::unavailable("embedding " + std::to_string(index) + " is not a number array");
      }
      const Json& values = item["embedding"];
      if (options_.dimension != 0 && values.size() != options_.dimension) {
        return Status::unavailable("embedding " + std::to_string(index) + " has " +
                                   std::to_string(values.size()) + " dimensions, expected " +
                                   std::to_string(options_.dimension));
      }
      Vector& v = out[index];
      v.reserve(values.size());
      double norm = 0;
      for (const Json& x : values) {
        if (!x.is_number() || !std::isfinite(x.get<double>())) {
          return Status::unavailable("embedding " + std::to_string(index) +
                                     " holds a non-finite or non-number value");
        }
        v.push_back(x.get<float>());
        norm += static_cast<double>(v.back()) * v.back();
      }
      if (norm > 0) {
        const float scale = static_cast<float>(1.0 / std::sqrt(norm));
        for (float& x : v) x *= scale;
      }
    }
    return out;
  }

  OpenAiEmbedderOptions options_;
  std::shared_ptr<const net::JsonPoster> poster_;
  std::string url_;
};

}  // namespace

Result<OpenAiEmbedderOptions> openai_embedder_options_from_config(const Config& config) {
  OpenAiEmbedderOptions o;
  ATIENDE_ASSIGN_OR_RETURN(o.base_url, config.get_string("embed.base_url", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.model, config.get_string("embed.model", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.api_key, config.get_string("embed.api_key", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.query_prefix, config.get_string("embed.query_prefix", ""));
  ATIENDE_ASSIGN_OR_RETURN(o.passage_prefix, config.get_string("embed.passage_prefix", ""));
  ATIENDE_ASSIGN_OR_RETURN(const int64_t dimension, config.get_int("embed.dimension", 0));
  ATIENDE_ASSIGN_OR_RETURN(const int64_t batch, config.get_int("embed.batch_size", 32));
  ATIENDE_ASSIGN_OR_RETURN(o.timeout_ms, config.get_int("embed.timeout_ms", o.timeout_ms));
  if (o.base_url.empty()) {
    return Status::invalid_argument("embed.base_url: required when embed.provider = \"openai\"");
  }
  if (!o.base_url.starts_with("http://") && !o.base_url.starts_with("https://")) {
    return Status::invalid_argument("embed.base_url: must start with http:// or https://");
  }
  if (o.model.empty()) {
    return Status::invalid_argument("embed.model: required when embed.provider = \"openai\"");
  }
  if (dimension < 0 || dimension > 65536) {
    return Status::invalid_argument("embed.dimension: must be between 0 (ask the server) and 65536");
  }
  if (batch < 1 || batch > 2048) {
    return Status::invalid_argument("embed.batch_size: must be between 1 and 2048");
  }
  if (o.timeout_ms < 1 || o.timeout_ms > 600000) {
    return Status::invalid_argument("embed.timeout_ms: must be between 1 and 600000");
  }
  o.dimension = static_cast<size_t>(dimension);
  o.batch_size = static_cast<size_t>(batch);
  return o;
}

Result<std::unique_ptr<Embedder>> make_openai_embedder(
    OpenAiEmbedderOptions options, std::shared_ptr<const net::JsonPoster> poster) {
  if (!poster) {
    poster = std::make_shared<net::NetJsonPoster>(std::make_shared<net::HttpClient>(),
                                                  std::chrono::milliseconds(options.timeout_ms));
  }
  auto embedder = std::make_unique<OpenAiEmbedder>(std::move(options), std::move(poster));
  if (embedder->dimension() == 0) ATIENDE_RETURN_IF_ERROR(embedder->probe_dimension());
  return std::unique_ptr<Embedder>(std::move(embedder));
}

}  // namespace atiende::embed
