// One typed suite for every Store backend. A PostgreSQL backend joins by adding a fixture type
// with the same `open()` shape to StoreBackends.

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "store/sqlite_store.h"
#include "store/store.h"

namespace atiende::store {
namespace {

struct SqliteMemoryBackend {
  static Result<std::unique_ptr<Store>> open() { return open_sqlite_store(":memory:"); }
};

struct SqliteFileBackend {
  static Result<std::unique_ptr<Store>> open() {
    static int counter = 0;
    auto dir = std::filesystem::temp_directory_path() /
               ("atiende_store_test_" + std::to_string(::getpid()) + "_" +
                std::to_string(counter++));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return open_sqlite_store((dir / "atiende.db").string());
  }
};

Document doc(const std::string& id, const std::string& hash, const std::string& type = "doc") {
  Document d;
  d.id = id;
  d.title = "Título " + id;
  d.type = type;
  d.language = "es";
  d.source = "test";
  d.metadata_json = R"({"category":"billing"})";
  d.content_hash = hash;
  return d;
}

Chunk chunk(const std::string& text, int64_t start, int32_t page = 0) {
  Chunk c;
  c.text = text;
  c.title = "t";
  c.start = start;
  c.end = start + static_cast<int64_t>(text.size());
  c.page = page;
  return c;
}

template <typename Backend>
class StoreConformance : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = Backend::open();
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(*opened);
  }
  std::unique_ptr<Store> store_;
};

using StoreBackends = ::testing::Types<SqliteMemoryBackend, SqliteFileBackend>;
TYPED_TEST_SUITE(StoreConformance, StoreBackends);

TYPED_TEST(StoreConformance, InsertThenReadBack) {
  Store& s = *this->store_;
  auto gen0 = s.generation();
  ASSERT_TRUE(gen0.ok());
  auto out = s.upsert_document(doc("a", "h1"), {chunk("uno", 0, 1), chunk("dos", 3, 2)});
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->doc_id, "a");
  EXPECT_FALSE(out->replaced);
  EXPECT_FALSE(out->unchanged);
  ASSERT_EQ(out->inserted_chunks.size(), 2u);
  EXPECT_GT(out->inserted_chunks[0].id, 0);
  EXPECT_NE(out->inserted_chunks[0].id, out->inserted_chunks[1].id);
  EXPECT_EQ(out->inserted_chunks[1].ordinal, 1);
  EXPECT_EQ(out->inserted_chunks[1].type, "doc");
  EXPECT_GT(*s.generation(), *gen0);

  auto got = s.get_document("a");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->title, "Título a");
  EXPECT_EQ((*got)->metadata_json, R"({"category":"billing"})");
  EXPECT_EQ((*got)->chunk_count, 2);
  EXPECT_GT((*got)->created_ms, 0);

  auto chunks = s.chunks_of("a");
  ASSERT_TRUE(chunks.ok());
  ASSERT_EQ(chunks->size(), 2u);
  EXPECT_EQ((*chunks)[0].text, "uno");
  EXPECT_EQ((*chunks)[1].page, 2);
  EXPECT_EQ((*chunks)[1].start, 3);
  EXPECT_EQ((*chunks)[1].language, "es");
  EXPECT_EQ((*chunks)[1].metadata_json, R"({"category":"billing"})");
  EXPECT_EQ(*s.count_documents(), 1);
  EXPECT_EQ(*s.count_chunks(), 2);
  auto missing = s.get_document("zzz");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

TYPED_TEST(StoreConformance, SameHashIsUnchangedAndWritesNothing) {
  Store& s = *this->store_;
  ASSERT_TRUE(s.upsert_document(doc("a", "h1"), {chunk("uno", 0)}).ok());
  const int64_t gen = *s.generation();
  auto again = s.upsert_document(doc("a", "h1"), {chunk("otro", 0)});
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->unchanged);
  EXPECT_TRUE(again->inserted_chunks.empty());
  EXPECT_EQ(*s.generation(), gen);
  EXPECT_EQ((*s.chunks_of("a"))[0].text, "uno");
}

TYPED_TEST(StoreConformance, ReplaceReportsRemovedAndNewIds) {
  Store& s = *this->store_;
  auto first = s.upsert_document(doc("a", "h1"), {chunk("uno", 0), chunk("dos", 3)});
  ASSERT_TRUE(first.ok());
  auto second = s.upsert_document(doc("a", "h2"), {chunk("tres", 0)});
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE(second->replaced);
  EXPECT_FALSE(second->unchanged);
  ASSERT_EQ(second->removed_chunk_ids.size(), 2u);
  EXPECT_EQ(second->removed_chunk_ids[0], first->inserted_chunks[0].id);
  ASSERT_EQ(second->inserted_chunks.size(), 1u);
  // Ids are never reused.
  EXPECT_GT(second->inserted_chunks[0].id, first->inserted_chunks[1].id);
  EXPECT_EQ(*s.count_chunks(), 1);
  auto d = s.get_document("a");
  EXPECT_EQ((*d)->content_hash, "h2");
}

TYPED_TEST(StoreConformance, DeleteRemovesChunksAndNotFoundWhenAbsent) {
  Store& s = *this->store_;
  auto first = s.upsert_document(doc("a", "h1"), {chunk("uno", 0), chunk("dos", 3)});
  ASSERT_TRUE(s.upsert_document(doc("b", "h1"), {chunk("x", 0)}).ok());
  const int64_t gen = *s.generation();
  auto removed = s.delete_document("a");
  ASSERT_TRUE(removed.ok());
  EXPECT_EQ(removed->size(), 2u);
  EXPECT_GT(*s.generation(), gen);
  EXPECT_FALSE(s.get_document("a")->has_value());
  EXPECT_EQ(*s.count_chunks(), 1);
  auto again = s.delete_document("a");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().code(), StatusCode::kNotFound);
}

TYPED_TEST(StoreConformance, GetChunksKeepsAskedOrderAndSkipsMissing) {
  Store& s = *this->store_;
  auto a = s.upsert_document(doc("a", "h"), {chunk("uno", 0), chunk("dos", 3), chunk("tres", 6)});
  ASSERT_TRUE(a.ok());
  const auto& c = a->inserted_chunks;
  std::vector<int64_t> ask = {c[2].id, 999999, c[0].id, c[1].id};
  auto got = s.get_chunks(ask);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->size(), 3u);
  EXPECT_EQ((*got)[0].text, "tres");
  EXPECT_EQ((*got)[1].text, "uno");
  EXPECT_EQ((*got)[2].text, "dos");
}

TYPED_TEST(StoreConformance, ForEachChunkVisitsAllInIdOrderAndStopsOnError) {
  Store& s = *this->store_;
  for (int d = 0; d < 30; ++d) {
    std::vector<Chunk> chunks;
    for (int i = 0; i < 40; ++i) chunks.push_back(chunk("c" + std::to_string(i), i * 10));
    ASSERT_TRUE(s.upsert_document(doc("d" + std::to_string(d), "h"), chunks).ok());
  }
  int64_t last = 0;
  int visited = 0;
  Status status = s.for_each_chunk([&](const Chunk& c) -> Status {
    EXPECT_GT(c.id, last);
    last = c.id;
    ++visited;
    return {};
  });
  ASSERT_TRUE(status.ok());
  EXPECT_EQ(visited, 1200);
  visited = 0;
  status = s.for_each_chunk([&](const Chunk&) -> Status {
    return ++visited == 700 ? Status::cancelled("enough") : Status{};
  });
  EXPECT_EQ(status.code(), StatusCode::kCancelled);
  EXPECT_EQ(visited, 700);
}

TYPED_TEST(StoreConformance, ListDocumentsPagesAndFiltersByType) {
  Store& s = *this->store_;
  ASSERT_TRUE(s.upsert_document(doc("c", "h", "faq"), {chunk("x", 0)}).ok());
  ASSERT_TRUE(s.upsert_document(doc("a", "h", "doc"), {chunk("x", 0)}).ok());
  ASSERT_TRUE(s.upsert_document(doc("b", "h", "faq"), {}).ok());
  auto all = s.list_documents({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, "a");
  EXPECT_EQ((*all)[2].id, "c");
  auto faqs = s.list_documents({.type = "faq"});
  ASSERT_EQ(faqs->size(), 2u);
  EXPECT_EQ((*faqs)[0].id, "b");
  EXPECT_EQ((*faqs)[0].chunk_count, 0);
  auto page = s.list_documents({.type = "", .offset = 1, .limit = 1});
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, "b");
  EXPECT_FALSE(s.list_documents({.type = "", .offset = -1, .limit = 1}).ok());
}

TYPED_TEST(StoreConformance, BatchIsAllOrNothingAndPrunesBySource) {
  Store& s = *this->store_;
  std::vector<DocumentWithChunks> batch;
  for (const char* id : {"f#1", "f#2", "f#3"}) {
    Document d = doc(id, "h");
    d.source = "faq.csv";
    batch.push_back({d, {chunk(id, 0)}});
  }
  auto first = s.upsert_documents(batch, std::string("faq.csv"));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  ASSERT_EQ(first->documents.size(), 3u);
  EXPECT_TRUE(first->pruned_doc_ids.empty());

  // A duplicate id makes the whole batch invalid: nothing changes.
  std::vector<DocumentWithChunks> bad = {batch[0], batch[0]};
  bad[0].document.content_hash = "new";
  auto rejected = s.upsert_documents(bad, std::nullopt);
  ASSERT_FALSE(rejected.ok());
  EXPECT_EQ(rejected.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ((*s.get_document("f#1"))->content_hash, "h");

  // Row 2 disappeared from the file: it is pruned in the same transaction.
  Document other = doc("other", "h");
  other.source = "elsewhere";
  ASSERT_TRUE(s.upsert_document(other, {chunk("o", 0)}).ok());
  std::vector<DocumentWithChunks> second = {batch[0], batch[2]};
  second[1].document.content_hash = "h3";
  auto out = s.upsert_documents(second, std::string("faq.csv"));
  ASSERT_TRUE(out.ok());
  EXPECT_TRUE(out->documents[0].unchanged);
  EXPECT_TRUE(out->documents[1].replaced);
  ASSERT_EQ(out->pruned_doc_ids, std::vector<std::string>{"f#2"});
  EXPECT_EQ(out->pruned_chunk_ids.size(), 1u);
  EXPECT_FALSE(s.get_document("f#2")->has_value());
  EXPECT_TRUE(s.get_document("other")->has_value());
}

TYPED_TEST(StoreConformance, ConcurrentWritersAndReadersStayConsistent) {
  Store& s = *this->store_;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&s, t] {
      for (int i = 0; i < 25; ++i) {
        const std::string id = "t" + std::to_string(t) + "_" + std::to_string(i);
        auto out = s.upsert_document(doc(id, "h"), {chunk("a", 0), chunk("b", 1)});
        EXPECT_TRUE(out.ok());
        auto chunks = s.chunks_of(id);
        EXPECT_TRUE(chunks.ok());
        EXPECT_EQ(chunks->size(), 2u);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(*s.count_documents(), 100);
  EXPECT_EQ(*s.count_chunks(), 200);
}

}  // namespace
}  // namespace atiende::store
