// The only translation unit that includes hnswlib (it defines non-inline functions).
#include "index/hnsw_index.h"

// hnswlib 0.6.2's SSE path prefetches `*(datal + j + 1)`, reading one element past a full link
// list (a heap over-read ASan reports in searchBaseLayer). Without manual vectorization those
// prefetches are compiled out; distances use our own SIMD dot product through DotSpace below.
#define NO_MANUAL_VECTORIZATION
#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstring>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "index/vector_flat.h"
#include "index/vector_io.h"

namespace atiende::index {
namespace {

using Graph = hnswlib::HierarchicalNSW<float>;
using hnswlib::labeltype;
using hnswlib::tableint;

constexpr char kHnswMagic[8] = {'A', 'T', 'V', 'H', 'N', 'S', 'W', '1'};
constexpr size_t kCompactMinDeleted = 1024;
constexpr size_t kParallelAddMin = 2048;

/// Inner-product distance (1 - a·b) over our vectorized dot product.
class DotSpace final : public hnswlib::SpaceInterface<float> {
 public:
  explicit DotSpace(size_t dim) : dim_(dim) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &distance; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  static float distance(const void* a, const void* b, const void* dim) {
    return 1.0f - dot_product(static_cast<const float*>(a), static_cast<const float*>(b),
                              *static_cast<const size_t*>(dim));
  }
  size_t dim_;
};

labeltype to_label(int64_t id) { return static_cast<labeltype>(id); }
int64_t to_id(labeltype label) { return static_cast<int64_t>(label); }

std::filesystem::path graph_path(const std::filesystem::path& path) {
  return path.string() + ".graph";
}

size_t resolve_threads(size_t requested) {
  if (requested != 0) return requested;
  const size_t hw = std::max<unsigned>(1, std::thread::hardware_concurrency());
  return std::min<size_t>(hw, 4);
}

}  // namespace

struct HnswIndex::Impl {
  Impl(size_t dim, HnswOptions opts) : dimension(dim), options(opts), space(dim) {}

  size_t dimension;
  HnswOptions options;
  DotSpace space;
  std::unique_ptr<Graph> graph;

  std::unique_ptr<Graph> new_graph(size_t capacity) {
    return std::make_unique<Graph>(&space, std::max<size_t>(capacity, 1), options.m,
                                   options.ef_construction, options.seed);
  }

  size_t live() const { return graph->cur_element_count - graph->num_deleted_; }

  Status ensure_capacity(Graph& g, size_t needed) {
    if (needed <= g.max_elements_) return {};
    try {
      g.resizeIndex(std::max(needed, g.max_elements_ * 2));
    } catch (const std::exception& e) {
      return Status::resource_exhausted(std::string("hnsw resize failed: ") + e.what());
    }
    return {};
  }

  /// Inserts (label, row) pairs into `g`, in parallel for large batches. Labels are distinct.
  Status insert(Graph& g, const std::vector<std::pair<labeltype, const float*>>& items) {
    std::atomic<size_t> next{0};
    std::mutex error_mutex;
    Status first_error;
    auto work = [&]() {
      for (size_t i = next++; i < items.size(); i = next++) {
        try {
          g.addPoint(items[i].second, items[i].first);
        } catch (const std::exception& e) {
          std::lock_guard lock(error_mutex);
          if (first_error.ok()) {
            first_error = Status::internal(std::string("hnsw insert of id ") +
                                           std::to_string(to_id(items[i].first)) +
                                           " failed: " + e.what());
          }
          next = items.size();
        }
      }
    };
    const size_t threads = items.size() >= kParallelAddMin ? resolve_threads(options.add_threads) : 1;
    if (threads <= 1) {
      work();
    } else {
      std::vector<std::thread> pool;
      for (size_t t = 0; t < threads; ++t) pool.emplace_back(work);
      for (auto& thread : pool) thread.join();
    }
    return first_error;
  }
};

HnswIndex::HnswIndex(size_t dimension, HnswOptions options)
    : impl_(std::make_unique<Impl>(dimension == 0 ? 1 : dimension, options)) {
  impl_->options.m = std::clamp<size_t>(impl_->options.m, 2, 256);
  impl_->options.ef_construction = std::max<size_t>(impl_->options.ef_construction, 1);
  impl_->options.ef_search = std::max<size_t>(impl_->options.ef_search, 1);
  impl_->graph = impl_->new_graph(std::max<size_t>(impl_->options.initial_capacity, 16));
}

HnswIndex::~HnswIndex() = default;

size_t HnswIndex::dimension() const { return impl_->dimension; }

size_t HnswIndex::size() const { return impl_->live(); }

size_t HnswIndex::deleted_count() const { return impl_->graph->num_deleted_; }

Status HnswIndex::add(std::span<const int64_t> ids, std::span<const float> vectors) {
  ATIENDE_RETURN_IF_ERROR(validate_vector_batch(ids, vectors, impl_->dimension));
  // A repeated id keeps its last vector (and concurrent inserts need distinct labels).
  std::unordered_map<int64_t, size_t> last;
  last.reserve(ids.size());
  for (size_t i = 0; i < ids.size(); ++i) last[ids[i]] = i;
  std::vector<std::pair<labeltype, const float*>> items;
  items.reserve(last.size());
  size_t fresh = 0;
  Graph& g = *impl_->graph;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (last[ids[i]] != i) continue;
    items.emplace_back(to_label(ids[i]), vectors.data() + i * impl_->dimension);
    if (g.label_lookup_.count(to_label(ids[i])) == 0) ++fresh;
  }
  ATIENDE_RETURN_IF_ERROR(impl_->ensure_capacity(g, g.cur_element_count + fresh));
  return impl_->insert(g, items);
}

Status HnswIndex::remove(std::span<const int64_t> ids) {
  Graph& g = *impl_->graph;
  for (int64_t id : ids) {
    auto it = g.label_lookup_.find(to_label(id));
    if (it == g.label_lookup_.end() || g.isMarkedDeleted(it->second)) continue;
    try {
      g.markDeletedInternal(it->second);
    } catch (const std::exception& e) {
      return Status::internal("hnsw remove of id " + std::to_string(id) + " failed: " + e.what());
    }
  }
  if (g.num_deleted_ > kCompactMinDeleted && g.num_deleted_ > impl_->live()) return compact();
  return {};
}

Status HnswIndex::compact() {
  Graph& old = *impl_->graph;
  std::vector<std::pair<labeltype, const float*>> items;
  items.reserve(impl_->live());
  for (tableint i = 0; i < old.cur_element_count; ++i) {
    if (old.isMarkedDeleted(i)) continue;
    items.emplace_back(old.getExternalLabel(i),
                       reinterpret_cast<const float*>(old.getDataByInternalId(i)));
  }
  std::unique_ptr<Graph> fresh;
  try {
    fresh = impl_->new_graph(std::max(items.size() + items.size() / 4,
                                      std::max<size_t>(impl_->options.initial_capacity, 16)));
  } catch (const std::exception& e) {
    return Status::resource_exhausted(std::string("hnsw compaction failed: ") + e.what());
  }
  ATIENDE_RETURN_IF_ERROR(impl_->insert(*fresh, items));
  impl_->graph = std::move(fresh);
  return {};
}

Result<std::vector<ScoredChunk>> HnswIndex::search(std::span<const float> query, size_t k,
                                                   const VectorSearchParams& params) const {
  if (query.size() != impl_->dimension) {
    return Status::invalid_argument("query vector has " + std::to_string(query.size()) +
                                    " floats; the index dimension is " +
                                    std::to_string(impl_->dimension));
  }
  const Graph& g = *impl_->graph;
  std::vector<ScoredChunk> out;
  if (k == 0 || impl_->live() == 0) return out;
  const size_t ef = std::max(k, params.ef_search != 0 ? params.ef_search : impl_->options.ef_search);
  const void* q = query.data();
  // searchKnn with a per-call ef (hnswlib 0.6.2 only has the index-wide setEf, which would race
  // between concurrent searches) and without its shared atomic metric counters.
  tableint current = g.enterpoint_node_;
  float current_dist = g.fstdistfunc_(q, g.getDataByInternalId(current), g.dist_func_param_);
  for (int level = g.maxlevel_; level > 0; --level) {
    bool changed = true;
    while (changed) {
      changed = false;
      unsigned int* links = g.get_linklist(current, level);
      const int count = g.getListCount(links);
      const tableint* neighbours = reinterpret_cast<const tableint*>(links + 1);
      for (int i = 0; i < count; ++i) {
        const float d = g.fstdistfunc_(q, g.getDataByInternalId(neighbours[i]), g.dist_func_param_);
        if (d < current_dist) {
          current_dist = d;
          current = neighbours[i];
          changed = true;
        }
      }
    }
  }
  auto top = g.num_deleted_ != 0 ? g.searchBaseLayerST<true, false>(current, q, ef)
                                 : g.searchBaseLayerST<false, false>(current, q, ef);
  while (top.size() > k) top.pop();
  out.reserve(top.size());
  while (!top.empty()) {
    out.push_back({to_id(g.getExternalLabel(top.top().second)), 1.0f - top.top().first});
    top.pop();
  }
  std::sort(out.begin(), out.end(), [](const ScoredChunk& a, const ScoredChunk& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.chunk_id < b.chunk_id;
  });
  return out;
}

Status HnswIndex::check_integrity() const {
  const Graph& g = *impl_->graph;
  const size_t n = g.cur_element_count;
  auto fault = [](size_t element, const std::string& what) {
    return Status::data_loss("hnsw element " + std::to_string(element) + ": " + what);
  };
  if (n > g.max_elements_) return Status::data_loss("hnsw: element count exceeds capacity");
  if (g.data_size_ != impl_->dimension * sizeof(float) ||
      g.size_data_per_element_ != g.size_links_level0_ + g.data_size_ + sizeof(labeltype) ||
      g.offsetData_ != g.size_links_level0_ || g.label_offset_ != g.offsetData_ + g.data_size_) {
    return Status::data_loss("hnsw: element layout does not match dimension " +
                             std::to_string(impl_->dimension));
  }
  if (g.label_lookup_.size() != n) {
    return Status::data_loss("hnsw: label table has " + std::to_string(g.label_lookup_.size()) +
                             " entries for " + std::to_string(n) + " elements");
  }
  if (n > 0 && (g.enterpoint_node_ >= n || g.element_levels_[g.enterpoint_node_] != g.maxlevel_)) {
    return Status::data_loss("hnsw: invalid entry point");
  }
  size_t deleted = 0;
  std::unordered_set<tableint> seen;
  for (tableint i = 0; i < n; ++i) {
    auto it = g.label_lookup_.find(g.getExternalLabel(i));
    if (it == g.label_lookup_.end() || it->second != i) {
      return fault(i, "label not mapped back to the element");
    }
    if (g.isMarkedDeleted(i)) ++deleted;
    const int top_level = g.element_levels_[i];
    if (top_level < 0 || top_level > g.maxlevel_) return fault(i, "level out of range");
    for (int level = 0; level <= top_level; ++level) {
      unsigned int* links = g.get_linklist_at_level(i, level);
      const size_t count = g.getListCount(links);
      if (count > (level == 0 ? g.maxM0_ : g.maxM_)) return fault(i, "too many links");
      const tableint* neighbours = reinterpret_cast<const tableint*>(links + 1);
      seen.clear();
      for (size_t j = 0; j < count; ++j) {
        if (neighbours[j] >= n) return fault(i, "link out of range");
        if (neighbours[j] == i) return fault(i, "link to itself");
        if (!seen.insert(neighbours[j]).second) return fault(i, "duplicate link");
        if (g.element_levels_[neighbours[j]] < level) return fault(i, "link above neighbour level");
      }
    }
    const float* data = reinterpret_cast<const float*>(g.getDataByInternalId(i));
    for (size_t d = 0; d < impl_->dimension; ++d) {
      if (!std::isfinite(data[d])) return fault(i, "non-finite vector value");
    }
  }
  if (deleted != g.num_deleted_) {
    return Status::data_loss("hnsw: deleted count " + std::to_string(g.num_deleted_) +
                             " but " + std::to_string(deleted) + " elements are marked");
  }
  return {};
}

Status HnswIndex::save(const std::filesystem::path& path, int64_t generation) const {
  const auto graph_file = graph_path(path);
  const std::filesystem::path graph_temp = graph_file.string() + ".tmp";
  try {
    impl_->graph->saveIndex(graph_temp.string());
  } catch (const std::exception& e) {
    return Status::unavailable(graph_temp.string() + ": cannot write: " + e.what());
  }
  std::error_code ec;
  const uint64_t graph_size = std::filesystem::file_size(graph_temp, ec);
  if (ec) return Status::unavailable(graph_temp.string() + ": not written: " + ec.message());
  ATIENDE_ASSIGN_OR_RETURN(const uint64_t graph_sum, checksum_file(graph_temp));
  std::filesystem::rename(graph_temp, graph_file, ec);
  if (ec) return Status::unavailable(graph_file.string() + ": rename failed: " + ec.message());

  VectorFileWriter writer(path);
  writer.write_bytes(kHnswMagic, sizeof(kHnswMagic));
  writer.write(static_cast<uint64_t>(impl_->dimension));
  writer.write(generation);
  writer.write(static_cast<uint64_t>(impl_->options.m));
  writer.write(static_cast<uint64_t>(impl_->options.ef_construction));
  writer.write(graph_size);
  writer.write(graph_sum);
  return writer.finish();
}

Result<int64_t> HnswIndex::load(const std::filesystem::path& path) {
  VectorFileReader reader(path);
  ATIENDE_RETURN_IF_ERROR(reader.status());
  char magic[sizeof(kHnswMagic)];
  reader.read_bytes(magic, sizeof(magic));
  const auto dimension = reader.read<uint64_t>();
  const auto generation = reader.read<int64_t>();
  const auto m = reader.read<uint64_t>();
  const auto ef_construction = reader.read<uint64_t>();
  const auto graph_size = reader.read<uint64_t>();
  const auto graph_sum = reader.read<uint64_t>();
  ATIENDE_RETURN_IF_ERROR(reader.finish());
  if (std::memcmp(magic, kHnswMagic, sizeof(magic)) != 0) {
    return Status::data_loss(path.string() + ": not an hnsw vector index file");
  }
  if (dimension != impl_->dimension) {
    return Status::failed_precondition(path.string() + ": dimension " + std::to_string(dimension) +
                                       ", the index expects " +
                                       std::to_string(impl_->dimension));
  }
  const auto graph_file = graph_path(path);
  std::error_code ec;
  const uint64_t actual_size = std::filesystem::file_size(graph_file, ec);
  if (ec) return Status::data_loss(graph_file.string() + ": missing: " + ec.message());
  if (actual_size != graph_size) {
    return Status::data_loss(graph_file.string() + ": size does not match its index file");
  }
  ATIENDE_ASSIGN_OR_RETURN(const uint64_t actual_sum, checksum_file(graph_file));
  if (actual_sum != graph_sum) {
    return Status::data_loss(graph_file.string() + ": checksum does not match its index file");
  }
  std::unique_ptr<Graph> loaded;
  try {
    loaded = std::make_unique<Graph>(&impl_->space, graph_file.string(), false, 0);
  } catch (const std::exception& e) {
    return Status::data_loss(graph_file.string() + ": cannot load: " + e.what());
  }
  // hnswlib 0.6.2's load constructor leaves num_deleted_ uninitialized before counting: recount.
  size_t marked = 0;
  for (tableint i = 0; i < loaded->cur_element_count; ++i) marked += loaded->isMarkedDeleted(i);
  loaded->num_deleted_ = marked;
  loaded->metric_distance_computations = 0;
  loaded->metric_hops = 0;
  std::swap(impl_->graph, loaded);
  const HnswOptions previous = impl_->options;
  impl_->options.m = m;
  impl_->options.ef_construction = ef_construction;
  if (Status integrity = check_integrity(); !integrity.ok()) {
    std::swap(impl_->graph, loaded);
    impl_->options = previous;
    return integrity.with_context(path.string());
  }
  return generation;
}

}  // namespace atiende::index
