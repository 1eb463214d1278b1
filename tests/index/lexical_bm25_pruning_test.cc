// Dynamic pruning (MaxScore) must return exactly what scoring every posting returns: the same
// chunk ids in the same order (ties broken by chunk id) with the same scores, for any k, filter,
// field weights and bigram setting, before and after mutations and a save/load round trip.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "index/lexical_bm25.h"

namespace atiende::index {
namespace {

/// Random Spanish-looking words with Zipf frequencies (a few very common terms with long posting
/// lists, a long tail of rare ones), the shape that makes pruning matter.
class Corpus {
 public:
  explicit Corpus(uint32_t seed, size_t vocabulary = 400) : rng_(seed) {
    const std::vector<std::string> syllables = {"ca", "de", "mi", "to", "la", "re", "sa", "no",
                                                "ve", "ta", "lo", "pe", "ri", "cu", "ba", "ga",
                                                "fo", "ni", "ro", "za", "mo", "li", "du", "pla"};
    while (words_.size() < vocabulary) {
      std::string w;
      const int n = 2 + static_cast<int>(rng_() % 3);
      for (int i = 0; i < n; ++i) w += syllables[rng_() % syllables.size()];
      words_.push_back(w);
    }
    // Real words too, so the Spanish analyzer's stemming and folding take part.
    for (const char* w : {"factura", "facturación", "teléfono", "telefonos", "señal", "módem",
                          "roaming", "portabilidad", "contraseña", "5G", "4GB"}) {
      words_.insert(words_.begin() + static_cast<long>(rng_() % 30), w);
    }
    double total = 0;
    for (size_t i = 0; i < words_.size(); ++i) total += 1.0 / static_cast<double>(i + 1);
    double acc = 0;
    for (size_t i = 0; i < words_.size(); ++i) {
      acc += 1.0 / static_cast<double>(i + 1) / total;
      cumulative_.push_back(acc);
    }
  }

  const std::string& word() {
    const double u = std::uniform_real_distribution<double>(0, 1)(rng_);
    const auto it = std::lower_bound(cumulative_.begin(), cumulative_.end(), u);
    return words_[std::min<size_t>(static_cast<size_t>(it - cumulative_.begin()),
                                   words_.size() - 1)];
  }
  std::string text(int min_words, int max_words) {
    const int n = min_words + static_cast<int>(rng_() % (max_words - min_words + 1));
    std::string t;
    for (int i = 0; i < n; ++i) t += (i ? " " : "") + word();
    return t;
  }
  store::Chunk chunk(int64_t id) {
    static const char* kTypes[] = {"doc", "faq", "ticket"};
    static const char* kCategories[] = {"billing", "network", "roaming", "security"};
    store::Chunk c;
    c.id = id;
    c.doc_id = "doc-" + std::to_string(id % 97);
    c.title = rng_() % 5 == 0 ? "" : text(1, 5);  // some chunks have no title
    c.text = text(3, 40);
    c.type = kTypes[rng_() % 3];
    c.language = rng_() % 10 == 0 ? "en" : "es";
    c.metadata_json = std::string(R"({"category":")") + kCategories[rng_() % 4] + R"("})";
    return c;
  }
  std::mt19937& rng() { return rng_; }

 private:
  std::mt19937 rng_;
  std::vector<std::string> words_;
  std::vector<double> cumulative_;
};

std::vector<Filter> filters() {
  std::vector<Filter> out(5);
  out[1].conditions.push_back({"type", {"faq"}});
  out[2].conditions.push_back({"metadata.category", {"billing", "roaming"}});
  out[3].conditions.push_back({"language", {"es"}});
  out[3].conditions.push_back({"type", {"doc", "ticket"}});
  out[4].conditions.push_back({"doc_id", {"doc-3", "doc-5", "doc-8"}});
  return out;
}

/// Runs `queries` random queries (random k and filter) against both indexes and asserts the hit
/// lists are identical; counts the non-empty ones in `nonempty`.
void expect_same_hits(const LexicalIndex& pruned, const LexicalIndex& exhaustive, Corpus& corpus,
                      int queries, const std::string& label, size_t* nonempty) {
  const std::vector<Filter> all_filters = filters();
  const size_t ks[] = {1, 2, 5, 10, 50};
  for (int q = 0; q < queries; ++q) {
    std::string query = corpus.text(1, 9);
    if (q % 7 == 0) query += " " + query.substr(0, query.find(' '));  // a repeated term
    // Long queries (pasted text): many terms, so the pruned search uses shorter windows.
    if (q % 40 == 1) query = corpus.text(20, 40);
    if (q % 40 == 2) query = corpus.text(250, 300);
    const size_t k = ks[corpus.rng()() % 5];
    const Filter& filter = all_filters[corpus.rng()() % all_filters.size()];
    auto a = pruned.search(query, k, filter);
    auto b = exhaustive.search(query, k, filter);
    ASSERT_TRUE(a.ok() && b.ok()) << label;
    ASSERT_EQ(a->size(), b->size()) << label << " query '" << query << "' k=" << k;
    for (size_t i = 0; i < a->size(); ++i) {
      ASSERT_EQ((*a)[i].chunk_id, (*b)[i].chunk_id)
          << label << " query '" << query << "' k=" << k << " rank " << i;
      ASSERT_LE(std::fabs((*a)[i].score - (*b)[i].score), 1e-6f)
          << label << " query '" << query << "' k=" << k << " rank " << i;
    }
    if (!a->empty()) ++*nonempty;
  }
}

struct PruningCase {
  std::string name;
  Bm25Options options;
};

class Bm25PruningTest : public ::testing::TestWithParam<PruningCase> {};

TEST_P(Bm25PruningTest, MatchesExhaustiveScoringThroughMutationsAndReload) {
  Bm25Options pruned_options = GetParam().options;
  pruned_options.dynamic_pruning = true;
  Bm25Options exhaustive_options = pruned_options;
  exhaustive_options.dynamic_pruning = false;
  auto pruned = make_bm25_index(pruned_options);
  auto exhaustive = make_bm25_index(exhaustive_options);
  Corpus corpus(11);

  // Chunk ids are shuffled so slot order (insertion) is not id order: tie-breaks by id are real.
  std::vector<int64_t> ids(2600);  // more than one window (2048 slots) of the pruned search
  for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<int64_t>(i) * 3 + 1;
  std::shuffle(ids.begin(), ids.end(), corpus.rng());
  std::vector<store::Chunk> batch;
  for (size_t i = 0; i < ids.size(); ++i) {
    store::Chunk c = corpus.chunk(ids[i]);
    // Every 9th chunk copies an earlier one (another id): equal scores that straddle the top k.
    if (i % 9 == 8) {
      store::Chunk copy = batch.empty() ? c : batch[corpus.rng()() % batch.size()];
      copy.id = ids[i];
      c = copy;
    }
    batch.push_back(c);
    if (batch.size() == 500) {
      ASSERT_TRUE(pruned->upsert(batch).ok());
      ASSERT_TRUE(exhaustive->upsert(batch).ok());
      batch.clear();
    }
  }
  ASSERT_TRUE(pruned->upsert(batch).ok());
  ASSERT_TRUE(exhaustive->upsert(batch).ok());
  ASSERT_TRUE(pruned->check_integrity().ok()) << pruned->check_integrity().to_string();
  size_t nonempty_fresh = 0;
  ASSERT_NO_FATAL_FAILURE(expect_same_hits(*pruned, *exhaustive, corpus, 300, "fresh",
                                           &nonempty_fresh));
  EXPECT_GT(nonempty_fresh, 150u);  // the queries do find chunks

  // Mutations one at a time (each ends a batch, so bounds go stale and get rebuilt): replace
  // chunks with longer or shorter ones (field averages drift), remove many (compaction).
  for (int round = 0; round < 1200; ++round) {
    const int64_t id = ids[corpus.rng()() % ids.size()];
    if (corpus.rng()() % 3 == 0) {
      std::vector<int64_t> gone = {id};
      ASSERT_TRUE(pruned->remove(gone).ok());
      ASSERT_TRUE(exhaustive->remove(gone).ok());
    } else {
      store::Chunk c = corpus.chunk(id);
      if (round % 2 == 0) c.text += " " + corpus.text(30, 80);
      std::vector<store::Chunk> one = {c};
      ASSERT_TRUE(pruned->upsert(one).ok());
      ASSERT_TRUE(exhaustive->upsert(one).ok());
    }
    if (round % 400 == 399) {
      ASSERT_TRUE(pruned->check_integrity().ok()) << pruned->check_integrity().to_string();
      size_t nonempty_mutated = 0;
      ASSERT_NO_FATAL_FAILURE(expect_same_hits(*pruned, *exhaustive, corpus, 50, "mutated",
                                               &nonempty_mutated));
      EXPECT_GT(nonempty_mutated, 25u);
    }
  }
  std::vector<int64_t> many(ids.begin(), ids.begin() + 1800);
  ASSERT_TRUE(pruned->remove(many).ok());
  ASSERT_TRUE(exhaustive->remove(many).ok());
  ASSERT_TRUE(pruned->check_integrity().ok()) << pruned->check_integrity().to_string();
  size_t nonempty_after_removals = 0;
  ASSERT_NO_FATAL_FAILURE(expect_same_hits(*pruned, *exhaustive, corpus, 200, "after removals",
                                           &nonempty_after_removals));
  EXPECT_GT(nonempty_after_removals, 100u);  // the queries do find chunks

  const auto path = std::filesystem::temp_directory_path() /
                    ("atiende_bm25_pruning_" + GetParam().name + ".bin");
  ASSERT_TRUE(pruned->save(path, 3).ok());
  auto loaded = make_bm25_index(pruned_options);
  ASSERT_TRUE(loaded->load(path).ok());
  std::filesystem::remove(path);
  size_t nonempty_loaded = 0;
  ASSERT_NO_FATAL_FAILURE(expect_same_hits(*loaded, *exhaustive, corpus, 200, "loaded",
                                           &nonempty_loaded));
  EXPECT_GT(nonempty_loaded, 100u);  // the queries do find chunks
}

INSTANTIATE_TEST_SUITE_P(
    Options, Bm25PruningTest,
    ::testing::Values(PruningCase{"defaults", Bm25Options{}},
                      PruningCase{"no_bigrams", Bm25Options{.bigram_weight = 0}},
                      PruningCase{"heavy_title_full_norm",
                                  Bm25Options{.k1 = 2.0, .b = 1.0, .title_weight = 5.0,
                                              .title_b = 1.0, .bigram_weight = 1.0}},
                      PruningCase{"no_title_no_norm",
                                  Bm25Options{.k1 = 0.5, .b = 0.0, .title_weight = 0.0,
                                              .title_b = 0.0}}),
    [](const ::testing::TestParamInfo<PruningCase>& param_info) { return param_info.param.name; });

TEST(Bm25Pruning, EqualScoresKeepTheLowerChunkIdsAtTheCut) {
  // 30 identical chunks inserted in descending id order: every k must take the lowest ids.
  auto pruned = make_bm25_index(Bm25Options{});
  std::vector<store::Chunk> chunks;
  for (int64_t id = 300; id > 0; id -= 10) {
    store::Chunk c;
    c.id = id;
    c.doc_id = "d";
    c.title = "Portabilidad";
    c.text = "Portabilidad del número en tres días hábiles.";
    c.type = "faq";
    c.language = "es";
    chunks.push_back(c);
  }
  // Filler so the idf of the query terms is not tiny.
  for (int64_t id = 1001; id < 1400; ++id) {
    store::Chunk c;
    c.id = id;
    c.doc_id = "f";
    c.text = "Recargas y saldo en la aplicación " + std::to_string(id);
    c.language = "es";
    chunks.push_back(c);
  }
  ASSERT_TRUE(pruned->upsert(chunks).ok());
  for (size_t k : {1u, 4u, 29u, 30u, 31u}) {
    auto hits = pruned->search("portabilidad número", k, {});
    ASSERT_TRUE(hits.ok());
    ASSERT_EQ(hits->size(), std::min<size_t>(k, 30));
    for (size_t i = 0; i < hits->size(); ++i) {
      EXPECT_EQ((*hits)[i].chunk_id, static_cast<int64_t>(10 * (i + 1))) << "k=" << k;
      EXPECT_EQ((*hits)[i].score, hits->front().score);
    }
  }
}

TEST(Bm25Pruning, ZeroTitleWeightListsEachChunkOnce) {
  // A term only in the title adds 0 when title_weight is 0; the chunk must still be listed once.
  for (bool pruning : {false, true}) {
    auto idx = make_bm25_index(Bm25Options{.title_weight = 0.0, .dynamic_pruning = pruning});
    std::vector<store::Chunk> chunks(3);
    for (int i = 0; i < 3; ++i) {
      chunks[i].id = i + 1;
      chunks[i].language = "es";
    }
    chunks[0].title = "Roaming";
    chunks[0].text = "Active el servicio antes de viajar.";
    chunks[1].text = "El roaming cuesta poco.";
    chunks[2].text = "Servicio técnico a domicilio.";
    ASSERT_TRUE(idx->upsert(chunks).ok());
    auto hits = idx->search("roaming servicio", 10, {});
    ASSERT_TRUE(hits.ok());
    std::vector<int64_t> got;
    for (const auto& h : *hits) got.push_back(h.chunk_id);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, (std::vector<int64_t>{1, 2, 3})) << "pruning " << pruning;
  }
}

}  // namespace
}  // namespace atiende::index
