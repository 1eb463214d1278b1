// One typed suite over every VectorIndex backend (flat and hnsw), plus ANN recall against the
// exact flat index after adds, removes and re-adds.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <vector>

#include <unistd.h>

#include "common/config.h"
#include "index/hnsw_index.h"
#include "index/vector_factory.h"
#include "index/vector_flat.h"

namespace atiende::index {
namespace {

/// `count` random unit vectors of `dim` floats, row-major.
std::vector<float> random_unit_vectors(size_t count, size_t dim, uint64_t seed) {
  std::mt19937_64 engine(seed);
  std::normal_distribution<float> normal(0.0f, 1.0f);
  std::vector<float> out(count * dim);
  for (size_t i = 0; i < count; ++i) {
    float norm = 0;
    for (size_t d = 0; d < dim; ++d) {
      out[i * dim + d] = normal(engine);
      norm += out[i * dim + d] * out[i * dim + d];
    }
    norm = std::sqrt(norm);
    for (size_t d = 0; d < dim; ++d) out[i * dim + d] /= norm;
  }
  return out;
}

std::vector<int64_t> iota_ids(size_t count, int64_t first) {
  std::vector<int64_t> ids(count);
  for (size_t i = 0; i < count; ++i) ids[i] = first + static_cast<int64_t>(i);
  return ids;
}

std::span<const float> row(const std::vector<float>& rows, size_t i, size_t dim) {
  return std::span<const float>(rows).subspan(i * dim, dim);
}

std::set<int64_t> id_set(const std::vector<ScoredChunk>& hits) {
  std::set<int64_t> ids;
  for (const auto& hit : hits) ids.insert(hit.chunk_id);
  return ids;
}

class TempDir {
 public:
  TempDir() {
    path_ = std::filesystem::temp_directory_path() /
            ("atiende_vec_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

struct FlatBackend {
  static std::unique_ptr<VectorIndex> make(size_t dim) { return std::make_unique<FlatIndex>(dim); }
};
struct HnswBackend {
  static std::unique_ptr<VectorIndex> make(size_t dim) {
    HnswOptions options;
    options.m = 16;
    options.ef_construction = 100;
    options.initial_capacity = 8;  // exercises resizing
    return std::make_unique<HnswIndex>(dim, options);
  }
};

template <typename Backend>
class VectorIndexTest : public ::testing::Test {
 protected:
  static constexpr size_t kDim = 16;
  std::unique_ptr<VectorIndex> index_ = Backend::make(kDim);
  VectorSearchParams params_{.ef_search = 128};
};

using Backends = ::testing::Types<FlatBackend, HnswBackend>;
TYPED_TEST_SUITE(VectorIndexTest, Backends);

TYPED_TEST(VectorIndexTest, EmptyIndexReturnsNothing) {
  auto query = random_unit_vectors(1, this->kDim, 1);
  auto hits = this->index_->search(query, 5, this->params_);
  ASSERT_TRUE(hits.ok()) << hits.status().to_string();
  EXPECT_TRUE(hits->empty());
  EXPECT_EQ(this->index_->size(), 0u);
  EXPECT_TRUE(this->index_->check_integrity().ok());
}

TYPED_TEST(VectorIndexTest, FindsItselfFirstWithScoreOne) {
  const size_t n = 50;
  auto vectors = random_unit_vectors(n, this->kDim, 2);
  auto ids = iota_ids(n, 100);
  ASSERT_TRUE(this->index_->add(ids, vectors).ok());
  EXPECT_EQ(this->index_->size(), n);
  for (size_t i = 0; i < n; ++i) {
    auto hits = this->index_->search(row(vectors, i, this->kDim), 3, this->params_);
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), 3u);
    EXPECT_EQ((*hits)[0].chunk_id, ids[i]);
    EXPECT_NEAR((*hits)[0].score, 1.0f, 1e-4);
    EXPECT_GE((*hits)[0].score, (*hits)[1].score);
    EXPECT_GE((*hits)[1].score, (*hits)[2].score);
  }
  EXPECT_TRUE(this->index_->check_integrity().ok());
}

TYPED_TEST(VectorIndexTest, KLargerThanSizeReturnsAll) {
  auto vectors = random_unit_vectors(4, this->kDim, 3);
  ASSERT_TRUE(this->index_->add(iota_ids(4, 1), vectors).ok());
  auto hits = this->index_->search(row(vectors, 0, this->kDim), 10, this->params_);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 4u);
  auto none = this->index_->search(row(vectors, 0, this->kDim), 0, this->params_);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TYPED_TEST(VectorIndexTest, RejectsBadShapesAndValues) {
  std::vector<int64_t> ids = {1, 2};
  std::vector<float> short_rows(this->kDim * 2 - 1, 0.1f);
  EXPECT_EQ(this->index_->add(ids, short_rows).code(), StatusCode::kInvalidArgument);
  std::vector<float> nan_rows(this->kDim * 2, 0.1f);
  nan_rows[this->kDim + 3] = std::nanf("");
  const Status status = this->index_->add(ids, nan_rows);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("id 2"), std::string::npos) << status.message();
  EXPECT_EQ(this->index_->size(), 0u);
  std::vector<float> wrong_query(this->kDim + 1, 0.0f);
  EXPECT_EQ(this->index_->search(wrong_query, 1, this->params_).status().code(),
            StatusCode::kInvalidArgument);
}

TYPED_TEST(VectorIndexTest, RemoveHidesAndReAddReplaces) {
  const size_t n = 40;
  auto vectors = random_unit_vectors(n, this->kDim, 4);
  auto ids = iota_ids(n, 1);
  ASSERT_TRUE(this->index_->add(ids, vectors).ok());
  std::vector<int64_t> gone = {3, 7, 999};  // 999 is unknown: ignored
  ASSERT_TRUE(this->index_->remove(gone).ok());
  ASSERT_TRUE(this->index_->remove(gone).ok());  // removing twice is harmless
  EXPECT_EQ(this->index_->size(), n - 2);
  auto hits = this->index_->search(row(vectors, 2, this->kDim), n, this->params_);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), n - 2);
  EXPECT_EQ(id_set(*hits).count(3), 0u);
  EXPECT_EQ(id_set(*hits).count(7), 0u);

  // Re-add id 3 with the vector that used to be id 10's: a query for it finds 3 and 10 tied.
  std::vector<int64_t> again = {3};
  auto replacement = std::vector<float>(row(vectors, 9, this->kDim).begin(),
                                        row(vectors, 9, this->kDim).end());
  ASSERT_TRUE(this->index_->add(again, replacement).ok());
  EXPECT_EQ(this->index_->size(), n - 1);
  hits = this->index_->search(replacement, 2, this->params_);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(id_set(*hits), (std::set<int64_t>{3, 10}));
  EXPECT_TRUE(this->index_->check_integrity().ok());

  // Re-adding a live id replaces its vector instead of duplicating it.
  std::vector<int64_t> live = {20};
  auto moved = std::vector<float>(row(vectors, 0, this->kDim).begin(),
                                  row(vectors, 0, this->kDim).end());
  ASSERT_TRUE(this->index_->add(live, moved).ok());
  EXPECT_EQ(this->index_->size(), n - 1);
  hits = this->index_->search(moved, 2, this->params_);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(id_set(*hits), (std::set<int64_t>{1, 20}));
  EXPECT_TRUE(this->index_->check_integrity().ok());
}

TYPED_TEST(VectorIndexTest, RepeatedIdInOneBatchKeepsTheLastVector) {
  auto vectors = random_unit_vectors(3, this->kDim, 5);
  std::vector<int64_t> ids = {5, 6, 5};
  ASSERT_TRUE(this->index_->add(ids, vectors).ok());
  EXPECT_EQ(this->index_->size(), 2u);
  auto hits = this->index_->search(row(vectors, 2, this->kDim), 1, this->params_);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].chunk_id, 5);
  EXPECT_NEAR((*hits)[0].score, 1.0f, 1e-4);
}

TYPED_TEST(VectorIndexTest, NegativeAndLargeIdsRoundTrip) {
  auto vectors = random_unit_vectors(3, this->kDim, 6);
  std::vector<int64_t> ids = {-5, INT64_MAX, 0};
  ASSERT_TRUE(this->index_->add(ids, vectors).ok());
  for (size_t i = 0; i < ids.size(); ++i) {
    auto hits = this->index_->search(row(vectors, i, this->kDim), 1, this->params_);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ((*hits)[0].chunk_id, ids[i]);
  }
}

TYPED_TEST(VectorIndexTest, SaveLoadRoundTripKeepsGenerationAndResults) {
  TempDir dir;
  const size_t n = 200;
  auto vectors = random_unit_vectors(n, this->kDim, 7);
  ASSERT_TRUE(this->index_->add(iota_ids(n, 1), vectors).ok());
  std::vector<int64_t> gone = {4, 5, 6};
  ASSERT_TRUE(this->index_->remove(gone).ok());
  const auto file = dir.path() / "vectors.bin";
  ASSERT_TRUE(this->index_->save(file, 42).ok());

  auto loaded = TypeParam::make(this->kDim);
  auto generation = loaded->load(file);
  ASSERT_TRUE(generation.ok()) << generation.status().to_string();
  EXPECT_EQ(*generation, 42);
  EXPECT_EQ(loaded->size(), this->index_->size());
  EXPECT_TRUE(loaded->check_integrity().ok());
  auto queries = random_unit_vectors(10, this->kDim, 8);
  for (size_t q = 0; q < 10; ++q) {
    auto a = this->index_->search(row(queries, q, this->kDim), 5, this->params_);
    auto b = loaded->search(row(queries, q, this->kDim), 5, this->params_);
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(a->size(), b->size());
    for (size_t i = 0; i < a->size(); ++i) EXPECT_EQ((*a)[i].chunk_id, (*b)[i].chunk_id);
  }
  // The loaded index accepts further mutations.
  std::vector<int64_t> more = {1000};
  ASSERT_TRUE(loaded->add(more, row(queries, 0, this->kDim)).ok());
  EXPECT_EQ(loaded->size(), this->index_->size() + 1);
  EXPECT_TRUE(loaded->check_integrity().ok());
}

TYPED_TEST(VectorIndexTest, LoadRejectsCorruptionAndOtherDimensionsWithoutChange) {
  TempDir dir;
  auto vectors = random_unit_vectors(30, this->kDim, 9);
  ASSERT_TRUE(this->index_->add(iota_ids(30, 1), vectors).ok());
  const auto file = dir.path() / "vectors.bin";
  ASSERT_TRUE(this->index_->save(file, 7).ok());

  auto other_dim = TypeParam::make(this->kDim * 2);
  EXPECT_EQ(other_dim->load(file).status().code(), StatusCode::kFailedPrecondition);

  // Flip one byte in every file the backend wrote: load fails with data_loss, index unchanged.
  std::vector<std::filesystem::path> written;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    written.push_back(entry.path());
  }
  ASSERT_FALSE(written.empty());
  for (const auto& victim_source : written) {
    const auto copy_dir = dir.path() / ("copy_" + victim_source.filename().string());
    std::filesystem::create_directories(copy_dir);
    for (const auto& file_path : written) {
      std::filesystem::copy_file(file_path, copy_dir / file_path.filename());
    }
    const auto victim = copy_dir / victim_source.filename();
    const auto middle = static_cast<std::streamoff>(std::filesystem::file_size(victim) / 2);
    {
      std::fstream f(victim, std::ios::in | std::ios::out | std::ios::binary);
      char c = 0;
      f.seekg(middle);
      f.read(&c, 1);
      c = static_cast<char>(c ^ 0x5A);
      f.seekp(middle);
      f.write(&c, 1);
    }
    auto target = TypeParam::make(this->kDim);
    std::vector<int64_t> keep = {77};
    ASSERT_TRUE(target->add(keep, row(vectors, 0, this->kDim)).ok());
    EXPECT_EQ(target->load(copy_dir / "vectors.bin").status().code(), StatusCode::kDataLoss)
        << "corrupted " << victim;
    EXPECT_EQ(target->size(), 1u);
  }

  auto missing = TypeParam::make(this->kDim);
  EXPECT_FALSE(missing->load(dir.path() / "nope.bin").ok());
}

// ---- ANN recall against the exact oracle, after mutations ----

double recall_at_k(const VectorIndex& ann, const FlatIndex& oracle, const std::vector<float>& queries,
                   size_t dim, size_t k, const VectorSearchParams& params) {
  size_t found = 0;
  size_t total = 0;
  for (size_t q = 0; q < queries.size() / dim; ++q) {
    auto truth = oracle.search(row(queries, q, dim), k, params);
    auto got = ann.search(row(queries, q, dim), k, params);
    EXPECT_TRUE(truth.ok() && got.ok());
    const auto got_ids = id_set(*got);
    for (const auto& hit : *truth) found += got_ids.count(hit.chunk_id);
    total += truth->size();
  }
  return total == 0 ? 1.0 : static_cast<double>(found) / static_cast<double>(total);
}

TEST(HnswRecallTest, MatchesFlatAfterAddsRemovesAndReAdds) {
  constexpr size_t kDim = 32;
  constexpr size_t kN = 3000;
  HnswOptions options;
  options.m = 16;
  options.ef_construction = 100;
  options.initial_capacity = 256;
  HnswIndex ann(kDim, options);
  FlatIndex oracle(kDim);
  const VectorSearchParams params{.ef_search = 100};
  auto vectors = random_unit_vectors(kN, kDim, 11);
  auto ids = iota_ids(kN, 1);
  ASSERT_TRUE(ann.add(ids, vectors).ok());
  ASSERT_TRUE(oracle.add(ids, vectors).ok());
  auto queries = random_unit_vectors(100, kDim, 12);
  EXPECT_GE(recall_at_k(ann, oracle, queries, kDim, 10, params), 0.9);

  // Remove every third id, re-add a quarter of those with new vectors, add fresh ids.
  std::vector<int64_t> removed;
  for (int64_t id = 1; id <= static_cast<int64_t>(kN); id += 3) removed.push_back(id);
  ASSERT_TRUE(ann.remove(removed).ok());
  ASSERT_TRUE(oracle.remove(removed).ok());
  std::vector<int64_t> readded(removed.begin(), removed.begin() + removed.size() / 4);
  auto new_vectors = random_unit_vectors(readded.size(), kDim, 13);
  ASSERT_TRUE(ann.add(readded, new_vectors).ok());
  ASSERT_TRUE(oracle.add(readded, new_vectors).ok());
  auto fresh_vectors = random_unit_vectors(500, kDim, 14);
  auto fresh_ids = iota_ids(500, 100000);
  ASSERT_TRUE(ann.add(fresh_ids, fresh_vectors).ok());
  ASSERT_TRUE(oracle.add(fresh_ids, fresh_vectors).ok());

  EXPECT_EQ(ann.size(), oracle.size());
  ASSERT_TRUE(ann.check_integrity().ok()) << ann.check_integrity().to_string();
  ASSERT_TRUE(oracle.check_integrity().ok());
  EXPECT_GE(recall_at_k(ann, oracle, queries, kDim, 10, params), 0.9);
  // Nothing removed (and not re-added) ever comes back.
  const std::set<int64_t> readded_set(readded.begin(), readded.end());
  for (size_t q = 0; q < 100; ++q) {
    auto hits = ann.search(row(queries, q, kDim), 20, params);
    ASSERT_TRUE(hits.ok());
    for (const auto& hit : *hits) {
      const bool was_removed = (hit.chunk_id - 1) % 3 == 0 && hit.chunk_id <= static_cast<int64_t>(kN);
      EXPECT_TRUE(!was_removed || readded_set.count(hit.chunk_id)) << hit.chunk_id;
    }
  }
}

TEST(HnswRecallTest, CompactsWhenMostElementsAreDeleted) {
  constexpr size_t kDim = 8;
  HnswIndex ann(kDim, HnswOptions{.m = 8, .ef_construction = 50});
  FlatIndex oracle(kDim);
  auto vectors = random_unit_vectors(3000, kDim, 21);
  auto ids = iota_ids(3000, 1);
  ASSERT_TRUE(ann.add(ids, vectors).ok());
  ASSERT_TRUE(oracle.add(ids, vectors).ok());
  std::vector<int64_t> removed(ids.begin(), ids.begin() + 2000);
  ASSERT_TRUE(ann.remove(removed).ok());
  ASSERT_TRUE(oracle.remove(removed).ok());
  EXPECT_EQ(ann.deleted_count(), 0u);  // compacted: 2000 deleted > 1000 live
  EXPECT_EQ(ann.size(), 1000u);
  ASSERT_TRUE(ann.check_integrity().ok());
  auto queries = random_unit_vectors(50, kDim, 22);
  EXPECT_GE(recall_at_k(ann, oracle, queries, kDim, 10, VectorSearchParams{.ef_search = 64}), 0.9);
}

TEST(FlatIndexTest, ExactOrderWithTiesBrokenById) {
  FlatIndex index(2);
  std::vector<int64_t> ids = {9, 3, 5};
  std::vector<float> rows = {1, 0, 1, 0, 0, 1};
  ASSERT_TRUE(index.add(ids, rows).ok());
  std::vector<float> query = {1, 0};
  auto hits = index.search(query, 3, {});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 3u);
  EXPECT_EQ((*hits)[0].chunk_id, 3);
  EXPECT_EQ((*hits)[1].chunk_id, 9);
  EXPECT_EQ((*hits)[2].chunk_id, 5);
  EXPECT_FLOAT_EQ((*hits)[2].score, 0.0f);
}

TEST(DotProductTest, MatchesNaiveSumForOddLengths) {
  for (size_t n : {1u, 7u, 8u, 9u, 33u}) {
    std::vector<float> a(n), b(n);
    double expected = 0;
    for (size_t i = 0; i < n; ++i) {
      a[i] = static_cast<float>(i) * 0.5f - 1.0f;
      b[i] = 2.0f - static_cast<float>(i) * 0.25f;
      expected += static_cast<double>(a[i]) * b[i];
    }
    EXPECT_NEAR(dot_product(a.data(), b.data(), n), expected, 1e-3) << n;
  }
}

TEST(VectorFactoryTest, BuildsByNameFromConfigAndRejectsUnknown) {
  auto config = Config::load_string("[index]\nvector = \"flat\"\n", map_env({}));
  ASSERT_TRUE(config.ok());
  auto flat = make_vector_index(*config, 4);
  ASSERT_TRUE(flat.ok());
  EXPECT_NE(dynamic_cast<FlatIndex*>(flat->get()), nullptr);

  auto hnsw = make_vector_index(Config(map_env({{"ATIENDE_INDEX_VECTOR", "hnsw"},
                                                {"ATIENDE_INDEX_HNSW_M", "24"}})),
                                4);
  ASSERT_TRUE(hnsw.ok());
  EXPECT_NE(dynamic_cast<HnswIndex*>(hnsw->get()), nullptr);

  auto unknown = make_vector_index(Config(map_env({{"ATIENDE_INDEX_VECTOR", "faiss"}})), 4);
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("index.vector"), std::string::npos);
  auto bad_m = make_vector_index(Config(map_env({{"ATIENDE_INDEX_HNSW_M", "0"}})), 4);
  EXPECT_NE(bad_m.status().message().find("index.hnsw_m"), std::string::npos);
}

}  // namespace
}  // namespace atiende::index
