#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "privacy/analyzer.h"

namespace atiende::privacy {
namespace {

class RecognizersTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto a = Analyzer::create(AnalyzerOptions{});
    ASSERT_TRUE(a.ok()) << a.status().to_string();
    analyzer_ = std::move(*a).release();
  }
  static void TearDownTestSuite() { delete analyzer_; }

  /// "TYPE:text" of every span found.
  static std::vector<std::string> found(std::string_view text) {
    auto spans = analyzer_->analyze(text);
    EXPECT_TRUE(spans.ok()) << spans.status().to_string();
    std::vector<std::string> out;
    for (const auto& s : *spans) {
      out.push_back(s.type + ":" +
                    std::string(text.substr(s.start_byte, s.end_byte - s.start_byte)));
    }
    return out;
  }
  static Analyzer* analyzer_;
};
Analyzer* RecognizersTest::analyzer_ = nullptr;

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

TEST_F(RecognizersTest, Email) {
  EXPECT_THAT(found("Escríbeme a José.Pérez+soporte@correo.com.co por favor"),
              ElementsAre("EMAIL:José.Pérez+soporte@correo.com.co"));
}

TEST_F(RecognizersTest, UrlSkipsCompanyDomains) {
  EXPECT_THAT(found("Mira https://mi-blog.example.org/perfil?id=9."),
              ElementsAre("URL:https://mi-blog.example.org/perfil?id=9"));
  EXPECT_THAT(found("Entra a https://www.unaempresa.com/planes"), IsEmpty());
}

TEST_F(RecognizersTest, NetworkAddresses) {
  EXPECT_THAT(found("Mi IP es 181.49.20.7 y la MAC 00:1A:2b:3C:4d:5E"),
              ElementsAre("IP_ADDRESS:181.49.20.7", "MAC_ADDRESS:00:1A:2b:3C:4d:5E"));
  EXPECT_THAT(found("router 2800:e2:2780:1a::3f"), ElementsAre("IP_ADDRESS:2800:e2:2780:1a::3f"));
  EXPECT_THAT(found("versión 999.12.1.4 del firmware"), IsEmpty());  // octet > 255
}

TEST_F(RecognizersTest, PhonesColombiaSpainAndInternational) {
  EXPECT_THAT(found("llámame al 300 123 4567"), ElementsAre("PHONE:300 123 4567"));
  EXPECT_THAT(found("mi móvil es 612 34 56 78"), ElementsAre("PHONE:612 34 56 78"));
  EXPECT_THAT(found("fijo (601) 555 1234"), ElementsAre("PHONE:(601) 555 1234"));
  EXPECT_THAT(found("desde EE.UU.: +1 415 555 2671"), ElementsAre("PHONE:+1 415 555 2671"));
  EXPECT_THAT(found("Pedido 12345678 confirmado"), IsEmpty());
}

TEST_F(RecognizersTest, PhoneNormalizedToE164) {
  auto a = analyzer_->analyze("300 123 4567 o +57 3001234567");
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0].normalized, "+573001234567");
  EXPECT_EQ((*a)[1].normalized, "+573001234567");
}

TEST_F(RecognizersTest, CardsAndIban) {
  EXPECT_THAT(found("tarjeta 4111 1111 1111 1111 vence 12/27"),
              ElementsAre("CREDIT_CARD:4111 1111 1111 1111"));
  EXPECT_THAT(found("tarjeta 4111 1111 1111 1112"), IsEmpty());  // Luhn fails
  EXPECT_THAT(found("IBAN ES91 2100 0418 4502 0005 1332."),
              ElementsAre("IBAN:ES91 2100 0418 4502 0005 1332"));
  EXPECT_THAT(found("IBAN ES91 2100 0418 4502 0005 1333"), IsEmpty());
}

TEST_F(RecognizersTest, SpanishIds) {
  EXPECT_THAT(found("DNI 12345678Z"), ElementsAre("ES_DNI:12345678Z"));
  EXPECT_THAT(found("DNI 12345678A"), IsEmpty());
  EXPECT_THAT(found("NIE X1234567L"), ElementsAre("ES_NIE:X1234567L"));
  EXPECT_THAT(found("NIE X1234567A"), IsEmpty());
  EXPECT_THAT(found("CIF de la empresa: B12345674"), ElementsAre("ES_CIF:B12345674"));
}

TEST_F(RecognizersTest, ColombianIdsNeedContext) {
  EXPECT_THAT(found("NIT 800.197.268-4"), ElementsAre("CO_NIT:800.197.268-4"));
  EXPECT_THAT(found("NIT 800.197.268-5"), Not(Contains("CO_NIT:800.197.268-5")));
  EXPECT_THAT(found("mi cédula es 1.020.304.050"), ElementsAre("CO_CC:1.020.304.050"));
  EXPECT_THAT(found("C.C. 52345678 de Bogotá"), Contains("CO_CC:52345678"));
  EXPECT_THAT(found("cédula de extranjería 456789"), ElementsAre("CO_CE:456789"));
  // Without a context word a bare number is not a cédula.
  EXPECT_THAT(found("el pedido 1020304050 llegó"), IsEmpty());
  // The phone context nearer than the cédula context wins.
  EXPECT_THAT(found("cédula 79865432, celular 3109876543"),
              ElementsAre("CO_CC:79865432", "PHONE:3109876543"));
}

TEST_F(RecognizersTest, DeviceIds) {
  EXPECT_THAT(found("IMEI 35-209900-176148-1"), ElementsAre("IMEI:35-209900-176148-1"));
  EXPECT_THAT(found("IMEI 352099001761481"), ElementsAre("IMEI:352099001761481"));
  EXPECT_THAT(found("IMEI 352099001761482"), IsEmpty());
  EXPECT_THAT(found("ICCID 8957 1012 3456 7890 120"), ElementsAre("ICCID:8957 1012 3456 7890 120"));
}

TEST_F(RecognizersTest, HeldOutMissesStayFixed) {
  // Dual-SIM phones: the slot number must not hide the IMEI behind it.
  EXPECT_THAT(found("IMEI 1 358902434702283 e IMEI 2 352099001761481"),
              ElementsAre("IMEI:358902434702283", "IMEI:352099001761481"));
  EXPECT_THAT(found("IMEI2 352099001761481"), ElementsAre("IMEI:352099001761481"));
  // A cédula read aloud and typed with spaces.
  EXPECT_THAT(found("Cédula de ciudadanía número 80 123 456"), ElementsAre("CO_CC:80 123 456"));
  // A reference number that is also a valid Colombian mobile is not a phone.
  EXPECT_THAT(found("El número de orden 3001245789 no aparece"), IsEmpty());
  EXPECT_THAT(found("avisos del pedido al celular 3001245789"), ElementsAre("PHONE:3001245789"));
  // A Spanish "2º 1ª" door keeps the rest of the address (the postal code) inside the span.
  EXPECT_THAT(found("Envíenlo a Avda. Diagonal 640, 2º 1ª, 08017 Barcelona"),
              ElementsAre("ADDRESS:Avda. Diagonal 640, 2º 1ª, 08017"));
  // A legal-form suffix makes the words a company, not a person.
  EXPECT_THAT(found("Factura a nombre de Talleres Gómez S.L. por favor"), IsEmpty());
  EXPECT_THAT(found("Factura a nombre de Inversiones Rojas S.A.S."), IsEmpty());
  EXPECT_THAT(found("Factura a nombre de Andrés Gómez, sin más."),
              ElementsAre("PERSON:Andrés Gómez"));
  // The parenthesis around the country code belongs to the number.
  EXPECT_THAT(found("escríbeme al (+57) 3105550172"), ElementsAre("PHONE:(+57) 3105550172"));
}

TEST_F(RecognizersTest, DateOfBirthNeedsContext) {
  EXPECT_THAT(found("fecha de nacimiento: 14/03/1987"), ElementsAre("DATE_OF_BIRTH:14/03/1987"));
  EXPECT_THAT(found("nací el 3 de mayo de 1990"), ElementsAre("DATE_OF_BIRTH:3 de mayo de 1990"));
  EXPECT_THAT(found("la factura del 14/03/2024"), IsEmpty());
}

TEST_F(RecognizersTest, Addresses) {
  EXPECT_THAT(found("vivo en la Calle 45 # 12-34 apto 301, Bogotá"),
              Contains("ADDRESS:Calle 45 # 12-34 apto 301"));
  EXPECT_THAT(found("entregar en Cra. 7 No. 80-20"), ElementsAre("ADDRESS:Cra. 7 No. 80-20"));
  EXPECT_THAT(found("Mi domicilio: Av. de la Constitución 12, 3º B, Madrid"),
              Contains("ADDRESS:Av. de la Constitución 12, 3º B"));
  EXPECT_THAT(found("código postal 110111"), ElementsAre("ADDRESS:110111"));
}

TEST_F(RecognizersTest, CustomIdsFromDefaults) {
  EXPECT_THAT(found("cliente CLI-0012345, contrato CTR-2024-000123"),
              ElementsAre("CUSTOMER_ID:CLI-0012345", "CONTRACT_ID:CTR-2024-000123"));
}

TEST_F(RecognizersTest, CustomRecognizerFromConfig) {
  auto config = Config::load_string(
      "[privacy]\nthreshold = 0.5\n[[privacy.custom]]\ntype = \"CUSTOMER_ID\"\n"
      "pattern = '\\b(UE\\d{6})\\b'\ncontext = [\"cliente\"]\nscore = 0.9\n",
      map_env({}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  auto options = analyzer_options_from_config(*config);
  ASSERT_TRUE(options.ok()) << options.status().to_string();
  auto a = Analyzer::create(*options);
  ASSERT_TRUE(a.ok());
  auto with = (*a)->analyze("cliente UE123456");
  ASSERT_TRUE(with.ok());
  ASSERT_EQ(with->size(), 1u);
  EXPECT_EQ((*with)[0].type, "CUSTOMER_ID");
  auto without = (*a)->analyze("referencia UE123456");  // context required
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->empty());
  auto bad = Config::load_string("[[privacy.custom]]\ntype = \"X\"\npattern = \"(\"\n", map_env({}));
  ASSERT_TRUE(bad.ok());
  auto bad_options = analyzer_options_from_config(*bad);
  ASSERT_TRUE(bad_options.ok());
  auto failed = Analyzer::create(*bad_options);
  ASSERT_FALSE(failed.ok());
  EXPECT_THAT(failed.status().message(), ::testing::HasSubstr("X"));
}

TEST_F(RecognizersTest, OffsetsAreCodePointsWithBytesAlongside) {
  auto spans = analyzer_->analyze("Teléfono: 300 123 4567");
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 1u);
  EXPECT_EQ((*spans)[0].start, 10u);       // "Teléfono: " is 10 code points
  EXPECT_EQ((*spans)[0].start_byte, 11u);  // ... and 11 bytes
  EXPECT_EQ((*spans)[0].end - (*spans)[0].start, 12u);
}

TEST_F(RecognizersTest, InvalidUtf8IsAnError) {
  auto spans = analyzer_->analyze(std::string("hola \xC3\x28 mundo"));
  ASSERT_FALSE(spans.ok());
  EXPECT_THAT(spans.status().message(), ::testing::HasSubstr("byte 5"));
}

TEST_F(RecognizersTest, ThresholdTradesRecallForPrecision) {
  AnalyzerOptions strict;
  strict.threshold = 0.95;
  auto a = Analyzer::create(strict);
  ASSERT_TRUE(a.ok());
  auto spans = (*a)->analyze("llámame al 300 123 4567, correo ana@correo.com");
  ASSERT_TRUE(spans.ok());
  ASSERT_EQ(spans->size(), 1u);  // the phone (0.9) falls under the threshold, the email stays
  EXPECT_EQ((*spans)[0].type, "EMAIL");
}

TEST(ResolveOverlaps, HigherScoreThenLongerWins) {
  auto span = [](size_t s, size_t e, std::string type, double score) {
    PiiSpan p;
    p.start_byte = s;
    p.end_byte = e;
    p.type = std::move(type);
    p.score = score;
    return p;
  };
  auto kept = resolve_overlaps({span(0, 10, "A", 0.5), span(2, 5, "B", 0.9),
                                span(4, 12, "C", 0.9), span(20, 25, "D", 0.1)});
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].type, "C");  // same score as B, longer
  EXPECT_EQ(kept[1].type, "D");
}

}  // namespace
}  // namespace atiende::privacy
