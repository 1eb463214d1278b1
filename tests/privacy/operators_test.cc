#include "privacy/operators.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace atiende::privacy {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

PiiSpan span(std::string type, std::string normalized) {
  PiiSpan s;
  s.type = std::move(type);
  s.normalized = std::move(normalized);
  return s;
}

const std::string kKeyHex = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(Operators, ParseNamesAndMaskArgument) {
  EXPECT_EQ(parse_operator("mask:2")->mask_keep, 2);
  EXPECT_EQ(parse_operator("ENCRYPT")->kind, OperatorKind::kEncrypt);
  EXPECT_FALSE(parse_operator("shred").ok());
  EXPECT_FALSE(parse_operator("hash:3").ok());
}

TEST(Operators, ReplaceIsConsistentPerDocument) {
  PseudonymScope scope;
  EXPECT_EQ(scope.token("PERSON", "ana"), "<PERSON_1>");
  EXPECT_EQ(scope.token("PERSON", "luis"), "<PERSON_2>");
  EXPECT_EQ(scope.token("PERSON", "ana"), "<PERSON_1>");
  EXPECT_EQ(scope.token("PHONE", "+573001234567"), "<PHONE_1>");
  scope.reset();
  EXPECT_EQ(scope.token("PERSON", "luis"), "<PERSON_1>");
}

TEST(Operators, ReplaceWithCorpusKeyIsStableAcrossScopes) {
  PseudonymScope a("corpus-secret");
  PseudonymScope b("corpus-secret");
  PseudonymScope c("other-secret");
  const std::string t = a.token("PHONE", "+573001234567");
  EXPECT_THAT(t, MatchesRegex("<PHONE_[0-9a-f]{8}>"));
  EXPECT_EQ(b.token("PHONE", "+573001234567"), t);
  EXPECT_NE(c.token("PHONE", "+573001234567"), t);
}

TEST(Operators, RedactMaskKeep) {
  PseudonymScope scope;
  OperatorKeys keys;
  EXPECT_EQ(*apply_operator({OperatorKind::kRedact, 4}, span("PHONE", ""), "300 123 4567", scope,
                            keys),
            "");
  EXPECT_EQ(*apply_operator({OperatorKind::kMask, 4}, span("PHONE", ""), "300 123 4567", scope,
                            keys),
            "*** *** 4567");
  EXPECT_EQ(*apply_operator({OperatorKind::kMask, 2}, span("PERSON", ""), "Ñandú", scope, keys),
            "***dú");
  EXPECT_EQ(*apply_operator({OperatorKind::kKeep, 4}, span("PERSON", ""), "Ana", scope, keys),
            "Ana");
}

TEST(Operators, HashIsKeyedHmac) {
  PseudonymScope scope;
  OperatorKeys keys;
  keys.hmac_key = "0123456789abcdef-secret";
  auto h1 = apply_operator({OperatorKind::kHash, 4}, span("EMAIL", "a@b.co"), "a@b.co", scope, keys);
  ASSERT_TRUE(h1.ok());
  EXPECT_THAT(*h1, MatchesRegex("<HASH_EMAIL:[0-9a-f]{64}>"));
  keys.hmac_key = "another-key-0123456789";
  auto h2 = apply_operator({OperatorKind::kHash, 4}, span("EMAIL", "a@b.co"), "a@b.co", scope, keys);
  EXPECT_NE(*h1, *h2);
  EXPECT_EQ(hmac_sha256_hex("key", "The quick brown fox jumps over the lazy dog"),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(Operators, MissingKeysNameTheVariable) {
  auto none = map_env({});
  auto hmac = load_operator_keys(none, true, false);
  ASSERT_FALSE(hmac.ok());
  EXPECT_THAT(hmac.status().message(), HasSubstr("ATIENDE_PRIVACY_HMAC_KEY"));
  auto enc = load_operator_keys(none, false, true);
  ASSERT_FALSE(enc.ok());
  EXPECT_THAT(enc.status().message(), HasSubstr("ATIENDE_PRIVACY_ENCRYPTION_KEY"));
  auto bad = load_operator_keys(map_env({{kEncryptionKeyEnv, "abcd"}}), false, true);
  ASSERT_FALSE(bad.ok());
  auto good = load_operator_keys(map_env({{kEncryptionKeyEnv, kKeyHex}}), false, true);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->encryption_key.size(), 32u);
}

TEST(Operators, EncryptThenDeanonymizeRoundTrip) {
  auto keys = load_operator_keys(map_env({{kEncryptionKeyEnv, kKeyHex}}), false, true);
  ASSERT_TRUE(keys.ok());
  PseudonymScope scope;
  auto token = apply_operator({OperatorKind::kEncrypt, 4}, span("PERSON", ""), "José Pérez", scope,
                              *keys);
  ASSERT_TRUE(token.ok());
  EXPECT_THAT(*token, MatchesRegex("<ENC:PERSON:[A-Za-z0-9_-]+>"));
  EXPECT_EQ(token->find("José"), std::string::npos);
  const std::string text = "Cliente " + *token + " llamó.";
  size_t restored = 0;
  auto plain = deanonymize_text(text, keys->encryption_key, &restored);
  ASSERT_TRUE(plain.ok()) << plain.status().to_string();
  EXPECT_EQ(*plain, "Cliente José Pérez llamó.");
  EXPECT_EQ(restored, 1u);
  // A wrong key or a tampered token fails authentication instead of returning garbage.
  std::string other_key(32, 'k');
  EXPECT_FALSE(deanonymize_text(text, other_key).ok());
  std::string tampered = text;
  char& c = tampered[text.find(":", text.find("PERSON")) + 3];  // a nonce character
  c = c == 'A' ? 'B' : 'A';  // stays in the base64url alphabet, so the token still parses
  EXPECT_FALSE(deanonymize_text(tampered, keys->encryption_key).ok());
}

}  // namespace
}  // namespace atiende::privacy
