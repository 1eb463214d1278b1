#include "embed/local_embedder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

namespace atiende::embed {
namespace {

float dot(const Vector& a, const Vector& b) {
  float s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

LocalEmbedderOptions no_thesaurus() {
  LocalEmbedderOptions o;
  o.thesaurus_path = "";
  return o;
}

TEST(LocalEmbedder, UnitVectorsOfTheConfiguredDimension) {
  auto e = make_local_embedder(no_thesaurus(), nullptr);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->dimension(), 512u);
  std::vector<std::string> texts = {"¿Cómo pago mi factura?", "", "5G 4GB +57 300 123 4567"};
  auto v = (*e)->embed(texts, EmbedRole::kPassage);
  ASSERT_TRUE(v.ok());
  ASSERT_EQ(v->size(), 3u);
  EXPECT_NEAR(dot((*v)[0], (*v)[0]), 1.0f, 1e-4);
  EXPECT_FLOAT_EQ(dot((*v)[1], (*v)[1]), 0.0f);  // no features: the zero vector
  EXPECT_NEAR(dot((*v)[2], (*v)[2]), 1.0f, 1e-4);
  for (const auto& row : *v) EXPECT_EQ(row.size(), 512u);
}

TEST(LocalEmbedder, DeterministicAndAccentInsensitive) {
  auto e = make_local_embedder(no_thesaurus(), nullptr);
  ASSERT_TRUE(e.ok());
  std::vector<std::string> texts = {"facturación del teléfono", "FACTURACION DEL TELEFONO",
                                    "facturación del teléfono"};
  auto v = (*e)->embed(texts, EmbedRole::kQuery);
  ASSERT_TRUE(v.ok());
  EXPECT_NEAR(dot((*v)[0], (*v)[1]), 1.0f, 1e-4);
  EXPECT_EQ((*v)[0], (*v)[2]);
}

TEST(LocalEmbedder, RelatedTextsAreCloserThanUnrelated) {
  auto e = make_local_embedder(no_thesaurus(), nullptr);
  ASSERT_TRUE(e.ok());
  std::vector<std::string> texts = {
      "¿Cuándo se independizó el país?",
      "La independencia del país se declaró en 1810 tras la revolución.",
      "El plan de datos incluye 10 GB y llamadas ilimitadas."};
  auto v = (*e)->embed(texts, EmbedRole::kPassage);
  ASSERT_TRUE(v.ok());
  EXPECT_GT(dot((*v)[0], (*v)[1]), dot((*v)[0], (*v)[2]) + 0.05f);
}

TEST(LocalEmbedder, IdfDownWeightsCommonFeatures) {
  std::vector<std::string> corpus;
  for (int i = 0; i < 50; ++i) corpus.push_back("servicio cliente número " + std::to_string(i));
  corpus.push_back("portabilidad numérica servicio");
  auto idf = fit_local_idf(no_thesaurus(), corpus);
  ASSERT_TRUE(idf);
  EXPECT_EQ(idf->documents, 51u);
  EXPECT_FALSE(idf->df.empty());
  auto plain = make_local_embedder(no_thesaurus(), nullptr);
  auto weighted = make_local_embedder(no_thesaurus(), idf);
  ASSERT_TRUE(plain.ok() && weighted.ok());
  EXPECT_NE((*plain)->name(), (*weighted)->name());
  std::vector<std::string> q = {"portabilidad servicio", "portabilidad numérica servicio",
                                "servicio cliente"};
  auto a = (*plain)->embed(q, EmbedRole::kQuery).value();
  auto b = (*weighted)->embed(q, EmbedRole::kQuery).value();
  // With IDF the rare shared word dominates: q0 moves toward q1 and away from q2.
  EXPECT_GT(dot(b[0], b[1]) - dot(b[0], b[2]), dot(a[0], a[1]) - dot(a[0], a[2]));
}

TEST(LocalEmbedder, ConfigKeysAndName) {
  Config config(map_env({{"ATIENDE_EMBED_LOCAL_DIM", "256"}, {"ATIENDE_EMBED_LOCAL_THESAURUS", ""}}));
  auto e = make_local_embedder(config);
  ASSERT_TRUE(e.ok()) << e.status().to_string();
  EXPECT_EQ((*e)->dimension(), 256u);
  EXPECT_EQ((*e)->name().rfind("local-hash-v1-d256-", 0), 0u) << (*e)->name();
  Config bad(map_env({{"ATIENDE_EMBED_LOCAL_DIM", "3"}}));
  auto err = make_local_embedder(bad);
  ASSERT_FALSE(err.ok());
  EXPECT_NE(err.status().message().find("embed.local_dim"), std::string::npos);
}

TEST(LocalEmbedder, ThesaurusWhenInstalled) {
  const std::string path = "/usr/share/mythes/th_es_ES_v2.dat";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "mythes-es not installed";
  LocalEmbedderOptions o;
  o.synonym_weight = 0.5;
  auto e = make_local_embedder(o, nullptr);
  ASSERT_TRUE(e.ok());
  EXPECT_NE((*e)->name().find("-thes"), std::string::npos);
  std::vector<std::string> q = {"mar"};
  std::vector<std::string> p = {"océano", "montaña"};
  auto qv = (*e)->embed(q, EmbedRole::kQuery).value();
  auto pv = (*e)->embed(p, EmbedRole::kPassage).value();
  EXPECT_GT(dot(qv[0], pv[0]), dot(qv[0], pv[1]));
}

}  // namespace
}  // namespace atiende::embed
