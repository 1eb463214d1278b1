#include <gtest/gtest.h>

#include "ingest/dedup.h"

namespace atiende::ingest {
namespace {

TEST(SimHash, FoldsCaseDigitsAndWhitespace) {
  EXPECT_EQ(simhash64("UnaEmpresa S.A. - página 3 de 10"), simhash64("unaempresa s.a.  -  página 4 de 10"));
  EXPECT_EQ(simhash64(""), 0u);
  // Without folding, numbers matter (two price lists are different content).
  EXPECT_NE(simhash64("Plan 10 GB por 30.000 al mes", false),
            simhash64("Plan 20 GB por 50.000 al mes", false));
}

TEST(SimHash, SimilarTextsAreCloseAndDifferentTextsFar) {
  const uint64_t a = simhash64(
      "Todos los derechos reservados. UnaEmpresa S.A., línea de atención al cliente.");
  const uint64_t b = simhash64(
      "Todos los derechos reservados. UnaEmpresa S.A., linea de atención al cliente.");
  const uint64_t c = simhash64("Para activar el roaming entra en la app y elige el país de destino.");
  EXPECT_LE(hamming_distance(a, b), 6);
  EXPECT_GT(hamming_distance(a, c), 12);
}

TEST(NearDuplicateIndex, FindsWithinDistanceAndForgetsOwners) {
  NearDuplicateIndex index(3);
  const uint64_t fp = 0xF0F0F0F0F0F0F0F0ULL;
  index.add(fp, "doc-a");
  EXPECT_EQ(index.find(fp), "doc-a");
  EXPECT_EQ(index.find(fp ^ 0x7), "doc-a");              // 3 bits away
  EXPECT_EQ(index.find(fp ^ 0xF), "");                   // 4 bits away
  EXPECT_EQ(index.find(fp ^ (1ULL << 63) ^ 1ULL), "doc-a");  // bits in different bands
  index.add(fp ^ 0xFF00, "doc-b");
  EXPECT_EQ(index.size(), 2u);
  index.remove_owner("doc-a");
  EXPECT_EQ(index.size(), 1u);
  EXPECT_EQ(index.find(fp), "");
  EXPECT_EQ(index.find(fp ^ 0xFF00), "doc-b");
}

}  // namespace
}  // namespace atiende::ingest
