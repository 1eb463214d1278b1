#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "privacy/analyzer.h"
#include "privacy/gazetteer.h"

namespace atiende::privacy {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> persons(std::string_view text) {
  static const auto analyzer = [] {
    AnalyzerOptions o;
    o.entities = {"PERSON"};
    return std::move(*Analyzer::create(o));
  }();
  auto spans = analyzer->analyze(text);
  EXPECT_TRUE(spans.ok());
  std::vector<std::string> out;
  for (const auto& s : *spans) {
    out.emplace_back(text.substr(s.start_byte, s.end_byte - s.start_byte));
  }
  return out;
}

TEST(Gazetteer, ShipsHundredsOfNames) {
  const Gazetteer& g = Gazetteer::builtin();
  EXPECT_GT(g.given_name_count(), 300u);
  EXPECT_GT(g.surname_count(), 300u);
  EXPECT_TRUE(g.is_given_name("jose"));  // folded keys
  EXPECT_TRUE(g.is_surname("gonzalez"));
  EXPECT_TRUE(g.is_stop_word("galaxy"));
}

TEST(Person, GivenNamePlusSurnames) {
  EXPECT_THAT(persons("El titular María Fernanda Gómez Restrepo pidió el cambio."),
              ElementsAre("María Fernanda Gómez Restrepo"));
  EXPECT_THAT(persons("Hablé ayer con Juan Pablo de la Torre sobre la factura."),
              ElementsAre("Juan Pablo de la Torre"));
}

TEST(Person, ContextCues) {
  EXPECT_THAT(persons("Buenas tardes, me llamo Yeison Quintero y tengo un problema"),
              ElementsAre("Yeison Quintero"));
  EXPECT_THAT(persons("me llamo andrés felipe ramírez"), ElementsAre("andrés felipe ramírez"));
  EXPECT_THAT(persons("La Sra. Zuleta llamó dos veces."), ElementsAre("Zuleta"));
  EXPECT_THAT(persons("la línea está a nombre de Xiomara Betancur"),
              ElementsAre("Xiomara Betancur"));
}

TEST(Person, FalsePositiveTraps) {
  // Sentence starts, products, brands, months and places are not people.
  EXPECT_THAT(persons("Quisiera cambiar mi plan. Necesito más datos."), IsEmpty());
  EXPECT_THAT(persons("Compré un Samsung Galaxy S23 en UnaEmpresa en Enero."), IsEmpty());
  EXPECT_THAT(persons("Vivo en Bogotá pero viajo a Madrid en Semana Santa."), IsEmpty());
  EXPECT_THAT(persons("Tengo el Plan Max 5G y el iPhone 15 Pro Max."), IsEmpty());
  EXPECT_THAT(persons("La oficina de la Calle Miguel Benítez está cerrada."), IsEmpty());
  EXPECT_THAT(persons("Paciente varón de 64 años, remitido por la Cruz Roja."), IsEmpty());
  EXPECT_THAT(persons("Viajo a Santiago de Chile y luego a Santa Marta."), IsEmpty());
}

TEST(Person, ConjunctionSeparatesPeople) {
  EXPECT_THAT(persons("Ayer Pedro y Juan fueron a la tienda."), ElementsAre("Pedro", "Juan"));
  EXPECT_THAT(persons("Gracias, Eider. Hablé con Martina."),
              ElementsAre("Eider", "Martina"));
}

TEST(Person, NameAtSentenceStartFromGazetteer) {
  EXPECT_THAT(persons("Carlos Martínez reportó la falla. Luego llamó Ana."),
              ElementsAre("Carlos Martínez", "Ana"));
}

}  // namespace
}  // namespace atiende::privacy
