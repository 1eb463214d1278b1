#include "text/token_count.h"

#include <gtest/gtest.h>

namespace atiende::text {
namespace {

TEST(TokenCount, Heuristic) {
  EXPECT_EQ(approx_token_count(""), 0u);
  EXPECT_EQ(approx_token_count("   "), 0u);
  EXPECT_EQ(approx_token_count("hola"), 1u);
  EXPECT_EQ(approx_token_count("hola mundo"), 3u);   // 1 + ceil(5/4)=2
  EXPECT_EQ(approx_token_count("¿Qué?"), 3u);        // ¿ + que + ?
  EXPECT_EQ(approx_token_count("3001234567"), 4u);   // ceil(10/3)
  EXPECT_EQ(approx_token_count("電話"), 2u);
}

TEST(TokenCount, ProseIsInTheExpectedRange) {
  const std::string text =
      "Para cambiar de plan, ingresa a tu cuenta con tu usuario y contraseña, elige la opción de "
      "planes y selecciona el que más te convenga.";
  // About 30 tokens in common BPE vocabularies; the heuristic should land within 20-45.
  const size_t n = approx_token_count(text);
  EXPECT_GE(n, 20u);
  EXPECT_LE(n, 45u);
}

}  // namespace
}  // namespace atiende::text
