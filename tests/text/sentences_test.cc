#include "text/sentences.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/utf8.h"

namespace atiende::text {
namespace {

std::vector<std::string> sentences(const std::string& text, std::string_view lang = "es") {
  std::vector<std::string> out;
  for (const auto& s : split_sentences(text, lang)) {
    out.push_back(text.substr(s.start_byte, s.end_byte - s.start_byte));
  }
  return out;
}

using ::testing::ElementsAre;

TEST(Sentences, SpanishQuestionsAndExclamations) {
  EXPECT_THAT(sentences("¿Cómo activo el roaming? Entra a la app. ¡Listo! Ya está."),
              ElementsAre("¿Cómo activo el roaming?", "Entra a la app.", "¡Listo!", "Ya está."));
}

TEST(Sentences, AbbreviationsAndDecimalsDoNotSplit) {
  EXPECT_THAT(sentences("La Sra. Gómez y el Dr. Ruiz viven en la Av. Caracas núm. 5. El plan "
                        "cuesta 1.5 veces más. Vea la pág. 3 del manual."),
              ElementsAre("La Sra. Gómez y el Dr. Ruiz viven en la Av. Caracas núm. 5.",
                          "El plan cuesta 1.5 veces más.", "Vea la pág. 3 del manual."));
  EXPECT_THAT(sentences("Vive en la Cra. 7 con calle 72. Gracias."),
              ElementsAre("Vive en la Cra. 7 con calle 72.", "Gracias."));
  EXPECT_THAT(sentences("Lo firmó J. Pérez. Luego salió."),
              ElementsAre("Lo firmó J. Pérez.", "Luego salió."));
  EXPECT_THAT(sentences("Digo que no. Luego veremos."),
              ElementsAre("Digo que no.", "Luego veremos."));
}

TEST(Sentences, LowercaseAfterPeriodContinues) {
  EXPECT_THAT(sentences("Visite www.unaempresa.co para más. etc. y sigue"),
              ElementsAre("Visite www.unaempresa.co para más. etc. y sigue"));
}

TEST(Sentences, NewlinesAndBullets) {
  EXPECT_THAT(sentences("Requisitos\n- Documento de identidad\n- Número de la línea\n\nFin del "
                        "texto"),
              ElementsAre("Requisitos", "- Documento de identidad", "- Número de la línea",
                          "Fin del texto"));
  // A wrapped long line is not a boundary.
  EXPECT_THAT(sentences("Este es un texto largo que se parte en dos líneas porque el editor\n"
                        "lo envolvió sin punto."),
              ElementsAre("Este es un texto largo que se parte en dos líneas porque el editor\n"
                          "lo envolvió sin punto."));
  EXPECT_THAT(sentences("Pasos:\n1. Reinicie el módem\n2. Espere"),
              ElementsAre("Pasos:", "1. Reinicie el módem", "2. Espere"));
}

TEST(Sentences, CodePointOffsets) {
  const std::string text = "¿Qué es 5G? Es la red.";
  auto spans = split_sentences(text);
  ASSERT_EQ(spans.size(), 2u);
  EXPECT_EQ(spans[0].start, 0u);
  EXPECT_EQ(spans[0].end, 11u);
  EXPECT_EQ(spans[1].start, 12u);
  EXPECT_EQ(spans[1].end, count_code_points(text));
}

TEST(Sentences, English) {
  EXPECT_THAT(sentences("Mr. Smith called. He paid $4.50 today! Done?", "en"),
              ElementsAre("Mr. Smith called.", "He paid $4.50 today!", "Done?"));
}

TEST(Sentences, EmptyAndInvalid) {
  EXPECT_TRUE(split_sentences("   \n\n ").empty());
  EXPECT_EQ(split_sentences(std::string("a\xFF. B")).size(), 2u);
}

}  // namespace
}  // namespace atiende::text
