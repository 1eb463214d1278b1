#include "privacy/checksums.h"
#include "privacy/text_util.h"

#include <gtest/gtest.h>

namespace atiende::privacy {
namespace {

TEST(Checksums, Luhn) {
  EXPECT_TRUE(luhn_valid("4111 1111 1111 1111"));
  EXPECT_FALSE(luhn_valid("4111 1111 1111 1112"));
  EXPECT_EQ(luhn_check_digit("35209900176148"), 1);
  EXPECT_FALSE(luhn_valid("7"));
}

TEST(Checksums, CreditCardNeedsIssuerAndLength) {
  EXPECT_TRUE(credit_card_valid("4111-1111-1111-1111"));     // Visa
  EXPECT_TRUE(credit_card_valid("5500 0000 0000 0004"));     // Mastercard
  EXPECT_TRUE(credit_card_valid("3782 822463 10005"));       // Amex (15)
  EXPECT_FALSE(credit_card_valid("1234 5678 9012 3452"));    // Luhn-valid, no issuer
  EXPECT_FALSE(credit_card_valid("4111 1111 1111 1112"));    // Luhn fails
  EXPECT_FALSE(credit_card_valid("352099001761481"));        // an IMEI: 15 digits, not Amex
}

TEST(Checksums, Iban) {
  EXPECT_TRUE(iban_valid("ES91 2100 0418 4502 0005 1332"));
  EXPECT_TRUE(iban_valid("GB82WEST12345698765432"));
  EXPECT_FALSE(iban_valid("ES91 2100 0418 4502 0005 1333"));  // mod-97 fails
  EXPECT_FALSE(iban_valid("ES91 2100 0418 4502 0005 13"));    // wrong length for ES
  EXPECT_FALSE(iban_valid("QQ91 2100 0418 4502 0005 1332"));  // unknown country
  EXPECT_EQ(iban_length_for_country("ES"), 24);
}

TEST(Checksums, SpanishIds) {
  EXPECT_TRUE(es_dni_valid("12345678Z"));
  EXPECT_TRUE(es_dni_valid("12.345.678-z"));
  EXPECT_FALSE(es_dni_valid("12345678A"));
  EXPECT_TRUE(es_nie_valid("X1234567L"));
  EXPECT_TRUE(es_nie_valid("Y7654321G"));
  EXPECT_FALSE(es_nie_valid("X1234567A"));
  EXPECT_FALSE(es_nie_valid("A1234567L"));
  EXPECT_TRUE(es_cif_valid("B12345674"));
  EXPECT_FALSE(es_cif_valid("B12345675"));
  EXPECT_TRUE(es_cif_valid("Q1234567D"));   // Q takes a control letter
  EXPECT_FALSE(es_cif_valid("Q12345674"));  // ... never a digit
}

TEST(Checksums, ColombianNit) {
  EXPECT_EQ(co_nit_dv("800197268"), 4);  // DIAN's own NIT
  EXPECT_TRUE(co_nit_valid("800.197.268-4"));
  EXPECT_TRUE(co_nit_valid("900123456-8"));
  EXPECT_FALSE(co_nit_valid("900123456-7"));
  EXPECT_EQ(co_nit_dv("12a"), -1);
}

TEST(Checksums, DeviceIds) {
  EXPECT_TRUE(imei_valid("35-209900-176148-1"));
  EXPECT_FALSE(imei_valid("352099001761482"));
  EXPECT_FALSE(imei_valid("3520990017614"));
  EXPECT_TRUE(iccid_valid("8957101234567890120"));
  EXPECT_FALSE(iccid_valid("8957101234567890121"));
  EXPECT_FALSE(iccid_valid("7957101234567890120"));
}

}  // namespace
}  // namespace atiende::privacy

namespace atiende::privacy::internal {
namespace {

TEST(ContextWords, WholeWordsAndPhrasesBeforeAndAfterWithDistances) {
  const ContextWords words({"cédula", "número de documento", "c.c", "$", "tel."});
  const std::string text = "Mi número de documento es 80123456 y mi Cédula, 7012345; tel. 3001234567";
  size_t distance = 0;
  const size_t id = text.find("80123456");
  ASSERT_TRUE(words.found_near(text, id, id + 8, 40, 0, &distance));
  EXPECT_EQ(distance, 4u);  // "documento" ends 4 bytes before (" es ")
  const size_t cc = text.find("7012345");
  ASSERT_TRUE(words.found_near(text, cc, cc + 7, 10, 0, &distance));  // accent and case folded
  EXPECT_EQ(distance, 2u);
  const size_t phone = text.find("3001234567");
  ASSERT_TRUE(words.found_near(text, phone, phone + 10, 6, 0, &distance));  // a literal with a dot
  EXPECT_EQ(distance, 1u);
  // Inside a longer word, split by another word, or outside the window: not found.
  const std::string inside = "Cedulación 123; número  de documento 456; número de 789";
  for (const char* n : {"123", "456", "789"}) {
    const size_t at = inside.find(n);
    EXPECT_FALSE(words.found_near(inside, at, at + 3, 40, 0)) << n;
  }
  const std::string after = "80123456 (cédula)";
  EXPECT_TRUE(words.found_near(after, 0, 8, 10, 12, &distance));
  EXPECT_EQ(distance, 2u);
  EXPECT_FALSE(words.found_near(after, 0, 8, 10, 0));
  EXPECT_TRUE(ContextWords({"$"}).found_near("pago $ 59.900", 7, 13, 5, 0));
}

}  // namespace
}  // namespace atiende::privacy::internal
