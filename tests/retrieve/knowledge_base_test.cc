#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "retrieve/kb_test_util.h"

namespace atiende::retrieve {
namespace {

using testing::fake_options;
using testing::fake_parts;
using testing::FakeEmbedder;
using testing::make_doc;
using testing::TempDir;

std::shared_ptr<store::Store> open_store(const TempDir& dir) {
  auto store = store::open_sqlite_store((dir.path() / "atiende.db").string());
  EXPECT_TRUE(store.ok()) << store.status().to_string();
  return std::shared_ptr<store::Store>(std::move(*store));
}

std::vector<store::DocumentWithChunks> corpus() {
  return {
      make_doc("faq-roaming", "Roaming en Europa",
               {"El roaming en Europa esta incluido en los planes 5G.",
                "Activa el roaming desde la app antes de viajar."},
               "faq", R"({"category":"roaming"})"),
      make_doc("faq-factura", "Factura duplicada",
               {"Si ves un cobro duplicado en tu factura, abre un reclamo."}, "faq",
               R"({"category":"billing"})"),
      make_doc("manual-router", "Manual del router",
               {"Reinicia el router si no hay internet.", "La luz roja indica falla de fibra.",
                "Configura el wifi desde 192.168.1.1."},
               "doc", R"({"category":"router"})"),
      make_doc("faq-esim", "eSIM", {"La eSIM se activa con un codigo QR en tu telefono."}, "faq",
               R"({"category":"sim"})", "es"),
  };
}

std::unique_ptr<KnowledgeBase> open_kb(std::shared_ptr<store::Store> store,
                                       std::shared_ptr<const embed::Embedder> embedder,
                                       const std::filesystem::path& index_dir,
                                       const std::string& backend = "flat",
                                       ProgressFn progress = {}) {
  auto kb = KnowledgeBase::open(fake_parts(std::move(store), std::move(embedder)),
                                fake_options(index_dir, backend), progress);
  EXPECT_TRUE(kb.ok()) << kb.status().to_string();
  return kb.ok() ? std::move(*kb) : nullptr;
}

std::vector<int64_t> ids_of(const std::vector<Hit>& hits) {
  std::vector<int64_t> ids;
  for (const auto& h : hits) ids.push_back(h.chunk_id);
  return ids;
}

/// Every query in every mode gives the same ids and scores on both knowledge bases.
void expect_same_results(const KnowledgeBase& a, const KnowledgeBase& b) {
  for (const char* q : {"roaming europa", "factura cobro duplicado", "router internet fibra",
                        "esim qr telefono", "wifi", "planes 5G viajar"}) {
    for (auto mode : {SearchMode::kBm25, SearchMode::kVector, SearchMode::kHybrid}) {
      auto ha = a.search(q, 10, mode);
      auto hb = b.search(q, 10, mode);
      ASSERT_TRUE(ha.ok() && hb.ok());
      EXPECT_EQ(ids_of(*ha), ids_of(*hb)) << q << " / " << search_mode_name(mode);
      for (size_t i = 0; i < std::min(ha->size(), hb->size()); ++i) {
        EXPECT_NEAR((*ha)[i].score, (*hb)[i].score, 1e-5);
      }
    }
  }
}

TEST(KnowledgeBaseTest, SearchesEveryModeWithFullHits) {
  TempDir dir;
  auto embedder = std::make_shared<FakeEmbedder>();
  auto kb = open_kb(open_store(dir), embedder, dir.path() / "index");
  ASSERT_TRUE(kb);
  auto docs = corpus();
  ASSERT_TRUE(kb->upsert_documents(docs, std::nullopt).ok());

  for (auto mode : {SearchMode::kBm25, SearchMode::kVector, SearchMode::kHybrid}) {
    auto hits = kb->search("cobro duplicado factura", 3, mode);
    ASSERT_TRUE(hits.ok()) << hits.status().to_string();
    ASSERT_FALSE(hits->empty()) << search_mode_name(mode);
    EXPECT_LE(hits->size(), 3u);
    const Hit& top = (*hits)[0];
    EXPECT_EQ(top.doc_id, "faq-factura") << search_mode_name(mode);
    EXPECT_EQ(top.title, "Factura duplicada");
    EXPECT_EQ(top.text, "Si ves un cobro duplicado en tu factura, abre un reclamo.");
    EXPECT_EQ(top.start, 0);
    EXPECT_EQ(top.end, static_cast<int64_t>(top.text.size()));
    EXPECT_EQ(top.type, "faq");
    EXPECT_EQ(top.language, "es");
    EXPECT_EQ(top.source, "test/faq-factura.jsonl");
    EXPECT_GT(top.chunk_id, 0);
    for (size_t i = 1; i < hits->size(); ++i) EXPECT_GE((*hits)[i - 1].score, (*hits)[i].score);
  }
  // Offsets of a later chunk.
  auto hits = kb->search("luz roja fibra", 1, SearchMode::kBm25);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].start, 39);

  EXPECT_EQ(kb->search("  ", 3, SearchMode::kHybrid).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(kb->search("x", 0, SearchMode::kHybrid).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(kb->search("x", 1001, SearchMode::kHybrid).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(kb->check_integrity().ok());
}

TEST(KnowledgeBaseTest, FiltersInEveryModeIncludingVectorOverFetch) {
  TempDir dir;
  auto kb = open_kb(open_store(dir), std::make_shared<FakeEmbedder>(), dir.path() / "index");
  ASSERT_TRUE(kb);
  ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
  const index::Filter docs_only{{{"type", {"doc"}}}};
  const index::Filter sim_or_billing{{{"metadata.category", {"sim", "billing"}}}};
  for (auto mode : {SearchMode::kBm25, SearchMode::kVector, SearchMode::kHybrid}) {
    auto hits = kb->search("roaming factura router esim", 10, mode, docs_only);
    ASSERT_TRUE(hits.ok());
    EXPECT_FALSE(hits->empty());
    for (const auto& h : *hits) EXPECT_EQ(h.type, "doc") << search_mode_name(mode);
    hits = kb->search("roaming factura router esim telefono", 10, mode, sim_or_billing);
    ASSERT_TRUE(hits.ok());
    EXPECT_FALSE(hits->empty());
    for (const auto& h : *hits) {
      EXPECT_TRUE(h.doc_id == "faq-esim" || h.doc_id == "faq-factura") << h.doc_id;
    }
  }
  // Vector mode returns every matching chunk even when k exceeds the over-fetch window.
  auto all_docs = kb->search("zzz", 50, SearchMode::kVector, docs_only);
  ASSERT_TRUE(all_docs.ok());
  EXPECT_EQ(all_docs->size(), 3u);
  const index::Filter bad{{{"colour", {"red"}}}};
  EXPECT_EQ(kb->search("x", 3, SearchMode::kHybrid, bad).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(KnowledgeBaseTest, ReopenLoadsPersistedIndexesWithoutRebuilding) {
  TempDir dir;
  auto store = open_store(dir);
  auto embedder = std::make_shared<FakeEmbedder>();
  {
    auto kb = open_kb(store, embedder, dir.path() / "index", "hnsw");
    ASSERT_TRUE(kb);
    EXPECT_TRUE(kb->stats().lexical_rebuilt);
    ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
    ASSERT_TRUE(kb->save().ok());
  }
  const size_t embedded_before = embedder->embedded_count();
  auto kb = open_kb(store, embedder, dir.path() / "index", "hnsw");
  ASSERT_TRUE(kb);
  const auto stats = kb->stats();
  EXPECT_FALSE(stats.lexical_rebuilt);
  EXPECT_FALSE(stats.vector_rebuilt);
  EXPECT_EQ(embedder->embedded_count(), embedded_before);  // no passage re-embedded
  EXPECT_EQ(stats.lexical_size, 7u);
  EXPECT_EQ(stats.vector_size, 7u);
  EXPECT_EQ(stats.indexed_generation, *store->generation());
  auto hits = kb->search("esim qr", 1, SearchMode::kHybrid);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc_id, "faq-esim");
}

TEST(KnowledgeBaseTest, StaleIndexesAreRebuiltFromTheStore) {
  TempDir dir;
  auto store = open_store(dir);
  auto embedder = std::make_shared<FakeEmbedder>();
  {
    auto kb = open_kb(store, embedder, dir.path() / "index");
    ASSERT_TRUE(kb);
    ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
    ASSERT_TRUE(kb->save().ok());
  }
  // Another writer changes the store behind the saved indexes.
  const std::vector<store::DocumentWithChunks> extra = {
      make_doc("faq-portabilidad", "Portabilidad", {"La portabilidad numerica tarda 24 horas."})};
  ASSERT_TRUE(store->upsert_documents(extra, std::nullopt).ok());
  ASSERT_TRUE(store->delete_document("faq-esim").ok());

  std::vector<std::pair<uint64_t, uint64_t>> progress;
  auto kb = open_kb(store, embedder, dir.path() / "index", "flat",
                    [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); });
  ASSERT_TRUE(kb);
  EXPECT_TRUE(kb->stats().lexical_rebuilt);
  EXPECT_TRUE(kb->stats().vector_rebuilt);
  ASSERT_FALSE(progress.empty());
  EXPECT_EQ(progress.back(), (std::pair<uint64_t, uint64_t>{7, 7}));
  auto hits = kb->search("portabilidad numerica", 1, SearchMode::kBm25);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc_id, "faq-portabilidad");
  hits = kb->search("esim qr telefono", 5, SearchMode::kBm25);
  ASSERT_TRUE(hits.ok());
  for (const auto& h : *hits) EXPECT_NE(h.doc_id, "faq-esim");
}

TEST(KnowledgeBaseTest, ChangedEmbedderRebuildsOnlyVectors) {
  TempDir dir;
  auto store = open_store(dir);
  {
    auto kb = open_kb(store, std::make_shared<FakeEmbedder>("fake-v1"), dir.path() / "index");
    ASSERT_TRUE(kb);
    ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
    ASSERT_TRUE(kb->save().ok());
  }
  auto v2 = std::make_shared<FakeEmbedder>("fake-v2", 32);
  auto kb = open_kb(store, v2, dir.path() / "index");
  ASSERT_TRUE(kb);
  EXPECT_FALSE(kb->stats().lexical_rebuilt);
  EXPECT_TRUE(kb->stats().vector_rebuilt);
  EXPECT_EQ(v2->embedded_count(), 7u);
  EXPECT_EQ(kb->stats().embedder, "fake-v2");
  auto hits = kb->search("router", 2, SearchMode::kVector);
  ASSERT_TRUE(hits.ok());
  EXPECT_FALSE(hits->empty());
  // A changed backend rebuilds vectors too.
  kb.reset();
  kb = open_kb(store, v2, dir.path() / "index", "hnsw");
  ASSERT_TRUE(kb);
  EXPECT_FALSE(kb->stats().lexical_rebuilt);
  EXPECT_TRUE(kb->stats().vector_rebuilt);
}

TEST(KnowledgeBaseTest, IncrementalUpdatesEqualARebuildFromTheStore) {
  TempDir dir;
  auto store = open_store(dir);
  auto embedder = std::make_shared<FakeEmbedder>();
  auto kb = open_kb(store, embedder, dir.path() / "index");
  ASSERT_TRUE(kb);
  ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
  // Replace a document (new chunk ids), delete one, re-ingest unchanged, add with prune.
  const std::vector<store::DocumentWithChunks> replaced = {make_doc(
      "manual-router", "Manual del router v2",
      {"Reinicia el router y espera dos minutos.", "Si la luz roja sigue, llama a soporte."},
      "doc", R"({"category":"router"})")};
  ASSERT_TRUE(kb->upsert_documents(replaced, std::nullopt).ok());
  ASSERT_TRUE(kb->delete_document("faq-factura").ok());
  auto unchanged = kb->upsert_documents(corpus(), std::nullopt);  // re-adds factura only
  ASSERT_TRUE(unchanged.ok());
  EXPECT_TRUE(unchanged->documents[0].unchanged);
  // Through store() + apply, as ingest may do.
  auto outcome = kb->store().upsert_document(
      make_doc("faq-pago", "Pago", {"Paga tu factura en linea."}).document,
      make_doc("faq-pago", "Pago", {"Paga tu factura en linea."}).chunks);
  ASSERT_TRUE(outcome.ok());
  ASSERT_TRUE(kb->apply(*outcome).ok());
  auto removed = kb->store().delete_document("faq-roaming");
  ASSERT_TRUE(removed.ok());
  ASSERT_TRUE(kb->apply_removed(*removed).ok());
  EXPECT_EQ(kb->delete_document("faq-roaming").status().code(), StatusCode::kNotFound);

  ASSERT_TRUE(kb->check_integrity().ok());
  const auto count = *store->count_chunks();
  EXPECT_EQ(kb->stats().lexical_size, static_cast<size_t>(count));
  EXPECT_EQ(kb->stats().vector_size, static_cast<size_t>(count));
  EXPECT_EQ(kb->stats().indexed_generation, *store->generation());

  // A knowledge base rebuilt from the same store (no persisted indexes) answers identically.
  auto rebuilt = open_kb(store, embedder, "");
  ASSERT_TRUE(rebuilt);
  EXPECT_TRUE(rebuilt->stats().lexical_rebuilt);
  expect_same_results(*kb, *rebuilt);
  // And so does one that reloads what the incremental one saved.
  ASSERT_TRUE(kb->save().ok());
  auto reloaded = open_kb(store, embedder, dir.path() / "index");
  ASSERT_TRUE(reloaded);
  EXPECT_FALSE(reloaded->stats().vector_rebuilt);
  expect_same_results(*reloaded, *rebuilt);
}

TEST(KnowledgeBaseTest, FailedEmbeddingMarksIndexesStaleSoTheNextOpenRebuilds) {
  TempDir dir;
  auto store = open_store(dir);
  auto embedder = std::make_shared<FakeEmbedder>();
  {
    auto kb = open_kb(store, embedder, dir.path() / "index");
    ASSERT_TRUE(kb);
    ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
    embedder->fail_from_now_on();
    const std::vector<store::DocumentWithChunks> extra = {
        make_doc("faq-nuevo", "Nuevo", {"Contenido nuevo sobre facturacion."})};
    EXPECT_EQ(kb->upsert_documents(extra, std::nullopt).status().code(), StatusCode::kUnavailable);
    EXPECT_EQ(kb->stats().indexed_generation, -1);
    ASSERT_TRUE(kb->save().ok());
  }
  auto healthy = std::make_shared<FakeEmbedder>();
  auto kb = open_kb(store, healthy, dir.path() / "index");
  ASSERT_TRUE(kb);
  EXPECT_TRUE(kb->stats().lexical_rebuilt);
  auto hits = kb->search("contenido nuevo", 1, SearchMode::kBm25);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc_id, "faq-nuevo");
}

TEST(KnowledgeBaseTest, ReindexRebuildsAndReportsProgress) {
  TempDir dir;
  auto store = open_store(dir);
  auto kb = open_kb(store, std::make_shared<FakeEmbedder>(), dir.path() / "index", "hnsw");
  ASSERT_TRUE(kb);
  ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
  uint64_t last_done = 0;
  uint64_t last_total = 0;
  ASSERT_TRUE(kb->reindex([&](uint64_t done, uint64_t total) {
                  last_done = done;
                  last_total = total;
                }).ok());
  EXPECT_EQ(last_done, 7u);
  EXPECT_EQ(last_total, 7u);
  EXPECT_TRUE(kb->check_integrity().ok());
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "index" / "manifest.json"));
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "index" / "vectors.hnsw"));
  auto hits = kb->search("router", 1, SearchMode::kHybrid);
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].doc_id, "manual-router");
}

TEST(KnowledgeBaseTest, ConcurrentSearchesDuringMutationsStayConsistent) {
  TempDir dir;
  auto store = open_store(dir);
  auto kb = open_kb(store, std::make_shared<FakeEmbedder>(), dir.path() / "index", "hnsw");
  ASSERT_TRUE(kb);
  ASSERT_TRUE(kb->upsert_documents(corpus(), std::nullopt).ok());
  std::atomic<bool> done{false};
  std::atomic<int> failures{0};
  std::atomic<int> searches{0};
  auto reader = [&]() {
    while (!done) {
      for (auto mode : {SearchMode::kBm25, SearchMode::kVector, SearchMode::kHybrid}) {
        auto hits = kb->search("router factura roaming tema", 5, mode);
        if (!hits.ok()) ++failures;
        ++searches;
      }
    }
  };
  std::thread r1(reader);
  std::thread r2(reader);
  // Mutate only once the readers are searching (the 30 writes can finish in a few ms).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (searches.load() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::yield();
  }
  for (int i = 0; i < 30; ++i) {
    const std::vector<store::DocumentWithChunks> docs = {
        make_doc("tema-" + std::to_string(i % 5), "Tema " + std::to_string(i),
                 {"Texto del tema numero " + std::to_string(i), "Otro parrafo " + std::to_string(i)})};
    ASSERT_TRUE(kb->upsert_documents(docs, std::nullopt).ok());
    if (i % 7 == 0) {
      ASSERT_TRUE(kb->delete_document("tema-" + std::to_string(i % 5)).ok());
    }
  }
  done = true;
  r1.join();
  r2.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(searches.load(), 0);
  ASSERT_TRUE(kb->check_integrity().ok());
  EXPECT_EQ(kb->stats().vector_size, static_cast<size_t>(*store->count_chunks()));
}

}  // namespace
}  // namespace atiende::retrieve
