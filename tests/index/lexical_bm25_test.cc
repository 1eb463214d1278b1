#include "index/lexical_bm25.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "common/files.h"

namespace atiende::index {
namespace {

store::Chunk chunk(int64_t id, std::string title, std::string text, std::string type = "faq",
                   std::string metadata = "{}", std::string language = "es",
                   std::string doc_id = "") {
  store::Chunk c;
  c.id = id;
  c.doc_id = doc_id.empty() ? "doc-" + std::to_string(id) : doc_id;
  c.title = std::move(title);
  c.text = std::move(text);
  c.type = std::move(type);
  c.language = std::move(language);
  c.metadata_json = std::move(metadata);
  return c;
}

std::vector<int64_t> ids(const Result<std::vector<ScoredChunk>>& hits) {
  std::vector<int64_t> out;
  if (!hits.ok()) return out;
  for (const auto& h : *hits) out.push_back(h.chunk_id);
  return out;
}

class Bm25Test : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ = make_bm25_index(Bm25Options{});
    std::vector<store::Chunk> chunks = {
        chunk(1, "¿Cómo pago mi factura?",
              "Puede pagar la facturación mensual en la app o en bancos autorizados.", "faq",
              R"({"category":"billing","priority":2})"),
        chunk(2, "Cobertura 5G", "La red 5G está disponible en las principales ciudades.", "doc",
              R"({"category":"network"})"),
        chunk(3, "Cambiar la contraseña",
              "Para cambiar su contraseña ingrese a Mi Cuenta y elija Seguridad.", "faq",
              R"({"category":"security"})"),
        chunk(4, "Roaming internacional",
              "Active el roaming antes de viajar. El teléfono debe estar desbloqueado.", "faq",
              R"({"category":"roaming"})"),
        chunk(5, "Billing questions", "You can pay your bill online or at the store.", "faq",
              R"({"category":"billing"})", "en"),
    };
    ASSERT_TRUE(index_->upsert(chunks).ok());
  }
  std::unique_ptr<LexicalIndex> index_;
};

TEST_F(Bm25Test, FindsSpanishVariants) {
  EXPECT_EQ(ids(index_->search("facturacion", 3, {})).front(), 1);
  EXPECT_EQ(ids(index_->search("FACTURAS", 3, {})).front(), 1);
  EXPECT_EQ(ids(index_->search("telefonos desbloqueados", 3, {})).front(), 4);
  EXPECT_EQ(ids(index_->search("contrasena", 3, {})).size(), 0u);  // ñ is not n
  EXPECT_EQ(ids(index_->search("CONTRASEÑA", 3, {})).front(), 3);
  EXPECT_EQ(ids(index_->search("red 5G", 3, {})).front(), 2);
  EXPECT_EQ(ids(index_->search("how do I pay my bill", 3, {})).front(), 5);
  EXPECT_TRUE(ids(index_->search("de la el", 3, {})).empty());
  EXPECT_TRUE(ids(index_->search("", 3, {})).empty());
}

TEST_F(Bm25Test, TitleWeighsMoreThanBody) {
  auto idx = make_bm25_index(Bm25Options{});
  std::vector<store::Chunk> chunks = {
      chunk(10, "Otro tema", "Información sobre la portabilidad del número y otros trámites."),
      chunk(11, "Portabilidad", "Información sobre otros trámites del número y requisitos."),
  };
  ASSERT_TRUE(idx->upsert(chunks).ok());
  EXPECT_EQ(ids(idx->search("portabilidad", 2, {})).front(), 11);
}

TEST_F(Bm25Test, ScoresAreSortedAndKIsRespected) {
  auto hits = index_->search("pagar factura roaming contraseña red", 2, {});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_GE((*hits)[0].score, (*hits)[1].score);
  EXPECT_TRUE(index_->search("factura", 0, {})->empty());
}

TEST_F(Bm25Test, Filters) {
  Filter f;
  f.conditions.push_back({"type", {"doc"}});
  EXPECT_EQ(ids(index_->search("red factura", 5, f)), std::vector<int64_t>{2});
  Filter meta;
  meta.conditions.push_back({"metadata.category", {"security", "roaming"}});
  auto hits = ids(index_->search("cambiar contraseña roaming factura", 5, meta));
  std::sort(hits.begin(), hits.end());
  EXPECT_EQ(hits, (std::vector<int64_t>{3, 4}));
  Filter num;
  num.conditions.push_back({"metadata.priority", {"2"}});
  EXPECT_EQ(ids(index_->search("factura", 5, num)), std::vector<int64_t>{1});
  Filter lang;
  lang.conditions.push_back({"language", {"en"}});
  EXPECT_EQ(ids(index_->search("bill", 5, lang)), std::vector<int64_t>{5});
  Filter doc;
  doc.conditions.push_back({"doc_id", {"doc-4"}});
  EXPECT_EQ(ids(index_->search("roaming teléfono", 5, doc)), std::vector<int64_t>{4});
  Filter both;
  both.conditions.push_back({"type", {"faq"}});
  both.conditions.push_back({"metadata.category", {"network"}});
  EXPECT_TRUE(ids(index_->search("red", 5, both)).empty());
  Filter bad;
  bad.conditions.push_back({"colour", {"x"}});
  auto err = index_->search("red", 5, bad);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.error().message().find("colour"), std::string::npos);
}

TEST_F(Bm25Test, UpsertReplacesAndRemoveDeletes) {
  EXPECT_EQ(index_->size(), 5u);
  std::vector<store::Chunk> replacement = {chunk(2, "Cobertura fibra", "Fibra óptica en casa.")};
  ASSERT_TRUE(index_->upsert(replacement).ok());
  EXPECT_EQ(index_->size(), 5u);
  EXPECT_TRUE(ids(index_->search("5G", 5, {})).empty());
  EXPECT_EQ(ids(index_->search("fibra", 5, {})), std::vector<int64_t>{2});
  std::vector<int64_t> gone = {1, 99};
  ASSERT_TRUE(index_->remove(gone).ok());
  EXPECT_EQ(index_->size(), 4u);
  EXPECT_TRUE(ids(index_->search("factura", 5, {})).empty());
  EXPECT_TRUE(index_->check_integrity().ok()) << index_->check_integrity().to_string();
}

TEST(Bm25, IntegrityAfterManyRandomMutations) {
  auto idx = make_bm25_index(Bm25Options{.bigram_weight = 0.3});
  std::mt19937 rng(7);
  const std::vector<std::string> words = {"factura", "plan",  "datos",  "roaming", "señal",
                                          "módem",   "fibra", "equipo", "garantía", "línea"};
  auto random_text = [&] {
    std::string t;
    for (int i = 0; i < 8; ++i) t += words[rng() % words.size()] + " ";
    return t;
  };
  for (int round = 0; round < 3000; ++round) {
    const int64_t id = static_cast<int64_t>(rng() % 1500);
    if (rng() % 3 == 0) {
      std::vector<int64_t> one = {id};
      ASSERT_TRUE(idx->remove(one).ok());
    } else {
      std::vector<store::Chunk> one = {chunk(id, random_text(), random_text())};
      ASSERT_TRUE(idx->upsert(one).ok());
    }
    if (round % 500 == 0) {
      ASSERT_TRUE(idx->check_integrity().ok()) << idx->check_integrity().to_string();
    }
  }
  ASSERT_TRUE(idx->check_integrity().ok()) << idx->check_integrity().to_string();
  // Every hit is a live chunk and the result is the same after save + load.
  auto before = idx->search("factura fibra garantia", 20, {});
  ASSERT_TRUE(before.ok());
  const auto path = std::filesystem::temp_directory_path() / "atiende_bm25_integrity.bin";
  ASSERT_TRUE(idx->save(path, 42).ok());
  auto loaded = make_bm25_index(Bm25Options{.bigram_weight = 0.3});
  auto gen = loaded->load(path);
  ASSERT_TRUE(gen.ok()) << gen.status().to_string();
  EXPECT_EQ(*gen, 42);
  EXPECT_EQ(loaded->size(), idx->size());
  auto after = loaded->search("factura fibra garantia", 20, {});
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after->size(), before->size());
  for (size_t i = 0; i < after->size(); ++i) {
    EXPECT_EQ((*after)[i].chunk_id, (*before)[i].chunk_id);
    EXPECT_FLOAT_EQ((*after)[i].score, (*before)[i].score);
  }
  std::filesystem::remove(path);
}

TEST_F(Bm25Test, SaveLoadRoundTripAndCorruption) {
  const auto path = std::filesystem::temp_directory_path() / "atiende_bm25_roundtrip.bin";
  ASSERT_TRUE(index_->save(path, 7).ok());
  auto loaded = make_bm25_index(Bm25Options{});
  ASSERT_EQ(loaded->load(path).value_or(-1), 7);
  Filter f;
  f.conditions.push_back({"metadata.category", {"billing"}});
  EXPECT_EQ(ids(loaded->search("factura", 5, f)), std::vector<int64_t>{1});
  EXPECT_TRUE(loaded->check_integrity().ok());

  auto data = read_file(path);
  ASSERT_TRUE(data.ok());
  std::string corrupt = *data;
  corrupt[corrupt.size() / 2] ^= 0x55;
  ASSERT_TRUE(write_file_atomic(path, corrupt).ok());
  auto bad = loaded->load(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), StatusCode::kDataLoss);
  EXPECT_EQ(loaded->size(), 5u);  // a failed load leaves the index as it was
  ASSERT_TRUE(write_file_atomic(path, data->substr(0, 20)).ok());
  EXPECT_FALSE(loaded->load(path).ok());
  ASSERT_TRUE(write_file_atomic(path, "garbage").ok());
  EXPECT_FALSE(loaded->load(path).ok());
  std::filesystem::remove(path);
  EXPECT_FALSE(loaded->load(path).ok());
}

TEST(Bm25Options, ReadsAndValidatesConfigKeys) {
  Config config(map_env({{"ATIENDE_INDEX_BM25_K1", "0.9"}}));
  auto options = bm25_options_from_config(config);
  ASSERT_TRUE(options.ok());
  EXPECT_DOUBLE_EQ(options->k1, 0.9);
  EXPECT_DOUBLE_EQ(options->b, 0.75);
  Config bad(map_env({{"ATIENDE_INDEX_BM25_B", "1.5"}}));
  auto err = bm25_options_from_config(bad);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.error().message().find("index.bm25_b"), std::string::npos);
}

}  // namespace
}  // namespace atiende::index
