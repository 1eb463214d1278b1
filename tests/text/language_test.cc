#include "text/language.h"

#include <gtest/gtest.h>

namespace atiende::text {
namespace {

TEST(Language, LongTexts) {
  auto es = detect_language(
      "Para solicitar la portabilidad de su número debe presentar el documento de identidad. "
      "El proceso tarda hasta tres días hábiles y no tiene costo.");
  EXPECT_EQ(es.language, "es");
  EXPECT_GT(es.confidence, 0.95);
  auto en = detect_language(
      "To request number portability you must present your identity document. The process "
      "takes up to three business days and is free of charge.");
  EXPECT_EQ(en.language, "en");
  EXPECT_GT(en.confidence, 0.95);
}

TEST(Language, ShortMessages) {
  EXPECT_EQ(detect_language_short("hola").language, "es");
  EXPECT_EQ(detect_language_short("hello there", "es").language, "en");
  EXPECT_EQ(detect_language_short("my bill is wrong", "es").language, "en");
  EXPECT_EQ(detect_language_short("mi factura está mal", "en").language, "es");
  EXPECT_EQ(detect_language_short("¿y el roaming?", "en").language, "es");
  EXPECT_EQ(detect_language_short("the internet does not work").language, "en");
  EXPECT_EQ(detect_language_short("no tengo señal").language, "es");
}

TEST(Language, NoEvidenceKeepsFallback) {
  auto g = detect_language("12345 !!!", "en");
  EXPECT_EQ(g.language, "en");
  EXPECT_DOUBLE_EQ(g.confidence, 0.5);
  EXPECT_EQ(detect_language_short("ok", "es").language, "es");
  EXPECT_EQ(detect_language("").language, "es");
}

TEST(Language, SurvivesInvalidUtf8) {
  EXPECT_EQ(detect_language(std::string("la factura\xFF del mes de la l\xC3nea")).language, "es");
}

}  // namespace
}  // namespace atiende::text
