#include "privacy/cleaning.h"

#include <gtest/gtest.h>

namespace atiende::privacy {
namespace {

TEST(Cleaning, StripsGreetingAndSignature) {
  EXPECT_EQ(strip_greetings_and_signature(
                "Hola, buenas tardes. No tengo señal desde ayer.\nGracias.\nSaludos,\nAna"),
            "No tengo señal desde ayer.");
  EXPECT_EQ(strip_greetings_and_signature("Buenos días: quiero portar mi línea"),
            "quiero portar mi línea");
  EXPECT_EQ(strip_greetings_and_signature("El router no enciende\n\nEnviado desde mi iPhone"),
            "El router no enciende");
  EXPECT_EQ(strip_greetings_and_signature("Holanda no tiene roaming incluido"),
            "Holanda no tiene roaming incluido");
}

TEST(Cleaning, NoiseTurns) {
  EXPECT_TRUE(is_noise_turn("ok"));
  EXPECT_TRUE(is_noise_turn("Gracias!!"));
  EXPECT_TRUE(is_noise_turn("  ...  "));
  EXPECT_TRUE(is_noise_turn("👍"));
  EXPECT_FALSE(is_noise_turn("ok, pero sigo sin internet"));
}

TEST(Cleaning, CleanTurnsKeepsRolesDropsNoiseAndDuplicates) {
  std::vector<Turn> turns = {{"customer", "Hola"},
                             {"customer", "Hola, no tengo internet"},
                             {"agent", "Buenas tardes, ¿me confirma su dirección?"},
                             {"customer", "no tengo internet"},
                             {"customer", "ok"}};
  EXPECT_EQ(clean_turns(turns), 3u);
  ASSERT_EQ(turns.size(), 2u);
  EXPECT_EQ(turns[0].role, "customer");
  EXPECT_EQ(turns[0].text, "no tengo internet");
  EXPECT_EQ(turns[1].role, "agent");
  EXPECT_EQ(turns[1].text, "¿me confirma su dirección?");
}

}  // namespace
}  // namespace atiende::privacy
