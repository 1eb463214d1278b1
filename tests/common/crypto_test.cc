#include "common/crypto.h"

#include <gtest/gtest.h>

namespace atiende {
namespace {

TEST(Crypto, Sha256KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Crypto, HmacRfc4231Case2) {
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Crypto, Base64UrlRoundTripAndRejects) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
    std::string decoded;
    ASSERT_TRUE(base64url_decode(base64url_encode(s), decoded));
    EXPECT_EQ(decoded, s);
  }
  EXPECT_EQ(base64url_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  std::string out;
  EXPECT_FALSE(base64url_decode("ab$d", out));
  EXPECT_FALSE(base64url_decode("a", out));
  // "Zg" is "f"; "Zh" sets a pad bit: the same byte under another spelling, so rejected
  // (a JWT signature must not have two spellings that verify).
  ASSERT_TRUE(base64url_decode("Zg", out));
  EXPECT_EQ(out, "f");
  EXPECT_FALSE(base64url_decode("Zh", out));
  EXPECT_FALSE(base64url_decode("Zm9vYmF", out));  // "fooba" is Zm9vYmE; F sets a pad bit
  EXPECT_TRUE(base64url_decode("Zm9vYmE=", out) && out == "fooba");
}

TEST(Crypto, ConstantTimeEquals) {
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
}

}  // namespace
}  // namespace atiende
