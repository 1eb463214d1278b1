#include "privacy/checksums.h"

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
