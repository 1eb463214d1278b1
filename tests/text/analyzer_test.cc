#include "text/analyzer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace atiende::text {
namespace {

using ::testing::ElementsAre;

const Analyzer& es() { return Analyzer::for_language("es"); }
const Analyzer& en() { return Analyzer::for_language("en"); }

TEST(Fold, LowercasesStripsAccentsKeepsEnye) {
  EXPECT_EQ(fold("Teléfono ÑANDÚ"), "telefono ñandu");
  EXPECT_EQ(fold("pingüino"), "pinguino");
  EXPECT_EQ(fold("Ｆａｃｔｕｒａ"), "factura");
  EXPECT_EQ(fold("an\xCC\x83o"), "año");  // decomposed ñ
}

TEST(Analyzer, TelefonoVariantsGiveOneTerm) {
  const std::string t = es().term_of_word("teléfono");
  EXPECT_EQ(t, "telefon");
  EXPECT_EQ(es().term_of_word("telefono"), t);
  EXPECT_EQ(es().term_of_word("TELÉFONOS"), t);
  EXPECT_EQ(es().term_of_word("Teléfonos"), t);
  EXPECT_EQ(es().term_of_word("telefonos"), t);
}

TEST(Analyzer, FacturacionVariantsGiveOneTerm) {
  const std::string t = es().term_of_word("facturación");
  EXPECT_EQ(t, "factur");
  EXPECT_EQ(es().term_of_word("facturacion"), t);
  EXPECT_EQ(es().term_of_word("FACTURACIÓN"), t);
  EXPECT_EQ(es().term_of_word("facturas"), t);
  EXPECT_EQ(es().term_of_word("factura"), t);
}

TEST(Analyzer, EnyeStaysDistinct) {
  EXPECT_NE(es().term_of_word("año"), es().term_of_word("ano"));
  EXPECT_NE(es().term_of_word("años"), es().term_of_word("anos"));
  EXPECT_EQ(es().term_of_word("AÑO"), es().term_of_word("año"));
  EXPECT_EQ(es().term_of_word("contraseña"), "contraseñ");
  EXPECT_EQ(es().term_of_word("CONTRASEÑAS"), "contraseñ");
  EXPECT_NE(es().term_of_word("contraseña"), es().term_of_word("contrasena"));
}

TEST(Analyzer, UnaccentedUserInputMatchesAccentedText) {
  EXPECT_EQ(es().term_of_word("garantía"), es().term_of_word("garantia"));
  EXPECT_EQ(es().term_of_word("cancelación"), es().term_of_word("cancelacion"));
  EXPECT_EQ(es().term_of_word("cancelación"), es().term_of_word("cancelar"));
  EXPECT_EQ(es().term_of_word("portabilidad"), es().term_of_word("PORTABILIDAD"));
  EXPECT_EQ(es().term_of_word("tecnología"), es().term_of_word("tecnologia"));
}

TEST(Analyzer, RemovesStopwordsButKeepsPositions) {
  auto tokens = es().analyze("¿Cuál es el precio de la línea?");
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].term, "preci");
  EXPECT_EQ(tokens[0].position, 3u);
  EXPECT_EQ(tokens[1].term, "line");
  EXPECT_EQ(tokens[1].position, 6u);
  EXPECT_TRUE(es().is_stopword("Qué"));
  EXPECT_FALSE(es().is_stopword("señal"));
}

TEST(Analyzer, OffsetsInBytesAndCodePoints) {
  const std::string text = "¿Dónde está mi módem nuevo?";
  auto tokens = es().analyze(text);
  ASSERT_EQ(tokens.size(), 2u);
  EXPECT_EQ(tokens[0].term, "modem");
  EXPECT_EQ(text.substr(tokens[0].start_byte, tokens[0].end_byte - tokens[0].start_byte), "módem");
  EXPECT_EQ(tokens[0].start, 15u);  // code points: "¿Dónde está mi " is 15
  EXPECT_EQ(tokens[0].end, 20u);
  EXPECT_EQ(tokens[1].start, 21u);
  EXPECT_EQ(tokens[1].end, 26u);
  EXPECT_EQ(tokens[1].position, 4u);
}

TEST(Analyzer, TelecomTokensKeptWhole) {
  EXPECT_THAT(es().terms("Red 5G y plan de 4GB"), ElementsAre("red", "5g", "plan", "4gb"));
  EXPECT_THAT(es().terms("plan de 4 GB"), ElementsAre("plan", "4gb"));
  EXPECT_THAT(es().terms("10 gigas"), ElementsAre("10gb"));
  EXPECT_THAT(es().terms("Llama al +57 300 123 4567 ya"), ElementsAre("llam", "573001234567"));
  EXPECT_THAT(es().terms("300-123-4567"), ElementsAre("3001234567"));
  EXPECT_THAT(es().terms("(601) 234 5678"), ElementsAre("6012345678"));
  EXPECT_THAT(es().terms("300.123.4567"), ElementsAre("3001234567"));
  EXPECT_THAT(es().terms("1.000.000 usuarios"), ElementsAre("1.000.000", "usuari"));
  EXPECT_THAT(es().terms("entre 2023 y 2024"), ElementsAre("2023", "2024"));
  EXPECT_THAT(es().terms("iPhone 15 Pro"), ElementsAre("iphon", "15", "iphone15", "pro"));
  EXPECT_THAT(es().terms("Galaxy S24"), ElementsAre("galaxy", "s24"));
  EXPECT_THAT(es().terms("Wi-Fi y e-SIM"), ElementsAre("wifi", "esim"));
  EXPECT_THAT(es().terms("cuesta 1.5 o 2,5"), ElementsAre("cuest", "1.5", "2,5"));
}

TEST(Analyzer, English) {
  EXPECT_THAT(en().terms("The cancellations of billing"), ElementsAre("cancel", "bill"));
}

TEST(Analyzer, InvalidUtf8NeverCrashes) {
  auto tokens = es().analyze(std::string("hola\xFF\xFEmundo"));
  EXPECT_FALSE(tokens.empty());
}

}  // namespace
}  // namespace atiende::text
