#include "index/vector_flat.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <queue>

#include "index/vector_io.h"

namespace atiende::index {
namespace {

constexpr char kFlatMagic[8] = {'A', 'T', 'V', 'F', 'L', 'A', 'T', '1'};

/// Orders "better" first: higher score, then smaller id.
struct Better {
  bool operator()(const ScoredChunk& a, const ScoredChunk& b) const {
    if (a.score != b.score) return a.score > b.score;
    return a.chunk_id < b.chunk_id;
  }
};

}  // namespace

float dot_product(const float* a, const float* b, size_t n) {
  // Eight independent accumulators: lets gcc use SIMD without -ffast-math reassociation.
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    for (size_t j = 0; j < 8; ++j) acc[j] += a[i + j] * b[i + j];
  }
  float tail = 0;
  for (; i < n; ++i) tail += a[i] * b[i];
  return ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7])) + tail;
}

Status validate_vector_batch(std::span<const int64_t> ids, std::span<const float> vectors,
                             size_t dimension) {
  if (vectors.size() != ids.size() * dimension) {
    return Status::invalid_argument("vector batch shape: " + std::to_string(ids.size()) +
                                    " ids need " + std::to_string(ids.size() * dimension) +
                                    " floats (dimension " + std::to_string(dimension) + "), got " +
                                    std::to_string(vectors.size()));
  }
  for (size_t i = 0; i < vectors.size(); ++i) {
    if (!std::isfinite(vectors[i])) {
      return Status::invalid_argument("vector for id " + std::to_string(ids[i / dimension]) +
                                      " has a non-finite value at position " +
                                      std::to_string(i % dimension));
    }
  }
  return {};
}

FlatIndex::FlatIndex(size_t dimension) : dimension_(dimension == 0 ? 1 : dimension) {}

Status FlatIndex::add(std::span<const int64_t> ids, std::span<const float> vectors) {
  ATIENDE_RETURN_IF_ERROR(validate_vector_batch(ids, vectors, dimension_));
  rows_.reserve(rows_.size() + vectors.size());
  ids_.reserve(ids_.size() + ids.size());
  for (size_t i = 0; i < ids.size(); ++i) {
    const float* src = vectors.data() + i * dimension_;
    auto [it, inserted] = positions_.try_emplace(ids[i], ids_.size());
    if (inserted) {
      ids_.push_back(ids[i]);
      rows_.insert(rows_.end(), src, src + dimension_);
    } else {
      std::memcpy(rows_.data() + it->second * dimension_, src, dimension_ * sizeof(float));
    }
  }
  return {};
}

Status FlatIndex::remove(std::span<const int64_t> ids) {
  for (int64_t id : ids) {
    auto it = positions_.find(id);
    if (it == positions_.end()) continue;
    const size_t row = it->second;
    const size_t last = ids_.size() - 1;
    positions_.erase(it);
    if (row != last) {
      std::memcpy(rows_.data() + row * dimension_, rows_.data() + last * dimension_,
                  dimension_ * sizeof(float));
      ids_[row] = ids_[last];
      positions_[ids_[row]] = row;
    }
    ids_.pop_back();
    rows_.resize(ids_.size() * dimension_);
  }
  return {};
}

Result<std::vector<ScoredChunk>> FlatIndex::search(std::span<const float> query, size_t k,
                                                   const VectorSearchParams& /*params*/) const {
  if (query.size() != dimension_) {
    return Status::invalid_argument("query vector has " + std::to_string(query.size()) +
                                    " floats; the index dimension is " +
                                    std::to_string(dimension_));
  }
  k = std::min(k, ids_.size());
  std::vector<ScoredChunk> heap;  // min-heap on Better: top is the worst kept
  if (k == 0) return heap;
  heap.reserve(k + 1);
  Better better;
  const float* row = rows_.data();
  for (size_t i = 0; i < ids_.size(); ++i, row += dimension_) {
    ScoredChunk candidate{ids_[i], dot_product(query.data(), row, dimension_)};
    if (heap.size() < k) {
      heap.push_back(candidate);
      std::push_heap(heap.begin(), heap.end(), better);
    } else if (better(candidate, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), better);
      heap.back() = candidate;
      std::push_heap(heap.begin(), heap.end(), better);
    }
  }
  std::sort(heap.begin(), heap.end(), better);
  return heap;
}

Status FlatIndex::check_integrity() const {
  if (rows_.size() != ids_.size() * dimension_) {
    return Status::data_loss("flat index: " + std::to_string(rows_.size()) + " floats for " +
                             std::to_string(ids_.size()) + " ids");
  }
  if (positions_.size() != ids_.size()) {
    return Status::data_loss("flat index: id map has " + std::to_string(positions_.size()) +
                             " entries for " + std::to_string(ids_.size()) + " rows");
  }
  for (size_t row = 0; row < ids_.size(); ++row) {
    auto it = positions_.find(ids_[row]);
    if (it == positions_.end() || it->second != row) {
      return Status::data_loss("flat index: id " + std::to_string(ids_[row]) + " at row " +
                               std::to_string(row) + " is not mapped back to its row");
    }
  }
  for (size_t i = 0; i < rows_.size(); ++i) {
    if (!std::isfinite(rows_[i])) {
      return Status::data_loss("flat index: non-finite value in vector of id " +
                               std::to_string(ids_[i / dimension_]));
    }
  }
  return {};
}

Status FlatIndex::save(const std::filesystem::path& path, int64_t generation) const {
  VectorFileWriter writer(path);
  writer.write_bytes(kFlatMagic, sizeof(kFlatMagic));
  writer.write(static_cast<uint64_t>(dimension_));
  writer.write(generation);
  writer.write(static_cast<uint64_t>(ids_.size()));
  writer.write_span(std::span<const int64_t>(ids_));
  writer.write_span(std::span<const float>(rows_));
  return writer.finish();
}

Result<int64_t> FlatIndex::load(const std::filesystem::path& path) {
  VectorFileReader reader(path);
  ATIENDE_RETURN_IF_ERROR(reader.status());
  char magic[sizeof(kFlatMagic)];
  reader.read_bytes(magic, sizeof(magic));
  ATIENDE_RETURN_IF_ERROR(reader.status());
  if (std::memcmp(magic, kFlatMagic, sizeof(magic)) != 0) {
    return Status::data_loss(path.string() + ": not a flat vector index file");
  }
  const auto dimension = reader.read<uint64_t>();
  const auto generation = reader.read<int64_t>();
  const auto count = reader.read<uint64_t>();
  ATIENDE_RETURN_IF_ERROR(reader.status());
  if (dimension != dimension_) {
    return Status::failed_precondition(path.string() + ": dimension " + std::to_string(dimension) +
                                       ", the index expects " + std::to_string(dimension_));
  }
  const uint64_t row_bytes = sizeof(int64_t) + dimension_ * sizeof(float);
  if (count > reader.remaining() / row_bytes) {
    return Status::data_loss(path.string() + ": count " + std::to_string(count) +
                             " does not fit the file size");
  }
  std::vector<int64_t> ids(count);
  std::vector<float> rows(count * dimension_);
  reader.read_span(std::span<int64_t>(ids));
  reader.read_span(std::span<float>(rows));
  ATIENDE_RETURN_IF_ERROR(reader.finish());
  std::unordered_map<int64_t, size_t> positions;
  positions.reserve(count);
  for (size_t row = 0; row < ids.size(); ++row) {
    if (!positions.emplace(ids[row], row).second) {
      return Status::data_loss(path.string() + ": id " + std::to_string(ids[row]) + " repeated");
    }
  }
  ids_ = std::move(ids);
  rows_ = std::move(rows);
  positions_ = std::move(positions);
  return generation;
}

}  // namespace atiende::index
