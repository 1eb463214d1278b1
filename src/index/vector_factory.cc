#include "index/vector_factory.h"

#include "index/hnsw_index.h"
#include "index/vector_flat.h"

namespace atiende::index {
namespace {

Result<size_t> positive_int(const Config& config, std::string_view key, int64_t fallback,
                            int64_t max) {
  ATIENDE_ASSIGN_OR_RETURN(const int64_t value, config.get_int(key, fallback));
  if (value < 1 || value > max) {
    return Status::invalid_argument(std::string(key) + ": must be between 1 and " +
                                    std::to_string(max) + ", got " + std::to_string(value));
  }
  return static_cast<size_t>(value);
}

}  // namespace

Result<VectorIndexSpec> vector_index_spec_from_config(const Config& config) {
  VectorIndexSpec spec;
  ATIENDE_ASSIGN_OR_RETURN(spec.backend, config.get_string("index.vector", spec.backend));
  if (spec.backend != "flat" && spec.backend != "hnsw") {
    return Status::invalid_argument("index.vector: unknown vector index \"" + spec.backend +
                                    "\" (expected \"flat\" or \"hnsw\")");
  }
  ATIENDE_ASSIGN_OR_RETURN(spec.hnsw_m, positive_int(config, "index.hnsw_m", 16, 256));
  ATIENDE_ASSIGN_OR_RETURN(spec.hnsw_ef_construction,
                           positive_int(config, "index.hnsw_ef_construction", 200, 10000));
  ATIENDE_ASSIGN_OR_RETURN(spec.hnsw_ef_search,
                           positive_int(config, "index.hnsw_ef_search", 64, 10000));
  return spec;
}

Result<std::unique_ptr<VectorIndex>> make_vector_index(const VectorIndexSpec& spec,
                                                       size_t dimension) {
  if (dimension == 0) return Status::invalid_argument("vector index: dimension must be > 0");
  if (spec.backend == "flat") return std::unique_ptr<VectorIndex>(new FlatIndex(dimension));
  if (spec.backend == "hnsw") {
    HnswOptions options;
    options.m = spec.hnsw_m;
    options.ef_construction = spec.hnsw_ef_construction;
    options.ef_search = spec.hnsw_ef_search;
    return std::unique_ptr<VectorIndex>(new HnswIndex(dimension, options));
  }
  return Status::invalid_argument("index.vector: unknown vector index \"" + spec.backend + "\"");
}

Result<std::unique_ptr<VectorIndex>> make_vector_index(const Config& config, size_t dimension) {
  ATIENDE_ASSIGN_OR_RETURN(const VectorIndexSpec spec, vector_index_spec_from_config(config));
  return make_vector_index(spec, dimension);
}

}  // namespace atiende::index
