#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "agent/identity.h"
#include "common/crypto.h"

namespace atiende::agent {
namespace {

constexpr int64_t kNow = 1795377600000;

struct RsaKey {
  EVP_PKEY* key = nullptr;
  RsaKey() { key = EVP_RSA_gen(2048); }
  ~RsaKey() { EVP_PKEY_free(key); }
  std::string public_pem() const {
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(bio, key);
    char* data = nullptr;
    long n = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(n));
    BIO_free(bio);
    return pem;
  }
  std::string sign(const std::string& header, const std::string& claims) const {
    const std::string input = base64url_encode(header) + "." + base64url_encode(claims);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    size_t len = 0;
    EVP_DigestSignInit(ctx, nullptr, EVP_sha256(), nullptr, key);
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()), input.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.data()), input.size());
    sig.resize(len);
    EVP_MD_CTX_free(ctx);
    return input + "." + base64url_encode(sig);
  }
};

std::string hs(const std::string& claims, const std::string& secret = "s3cret") {
  auto t = sign_hs256(claims, secret);
  EXPECT_TRUE(t.ok());
  return *t;
}

class IdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.hs256_secret = "s3cret";
    options_.audience = "atiende";
    options_.issuer = "unaempresa.example";
    auto v = TokenVerifier::create(options_);
    ASSERT_TRUE(v.ok());
    verifier_ = *v;
  }
  std::string claims(int64_t exp_offset, const std::string& extra = "") {
    const int64_t now = kNow / 1000;
    return R"({"sub":"CUST-1001","aud":"atiende","iss":"unaempresa.example","exp":)" +
           std::to_string(now + exp_offset) + extra + "}";
  }
  FakeClock clock_{kNow};
  JwtOptions options_;
  std::shared_ptr<TokenVerifier> verifier_;
};

TEST_F(IdentityTest, ValidHs256TokenAuthenticates) {
  Identity id = verifier_->verify(hs(claims(600)), clock_);
  EXPECT_TRUE(id.authenticated);
  EXPECT_EQ(id.customer_id, "CUST-1001");
  EXPECT_EQ(id.reason_code, "ok");
  auto issued = issue_hs256_token("CUST-1005", 60, options_, clock_);
  ASSERT_TRUE(issued.ok());
  EXPECT_EQ(verifier_->verify(*issued, clock_).customer_id, "CUST-1005");
}

TEST_F(IdentityTest, RejectionsCarryReasonCodes) {
  EXPECT_EQ(verifier_->verify("", clock_).reason_code, "no_token");
  EXPECT_EQ(verifier_->verify(hs(claims(600), "other"), clock_).reason_code, "bad_signature");
  EXPECT_EQ(verifier_->verify(hs(claims(-120)), clock_).reason_code, "expired");
  EXPECT_TRUE(verifier_->verify(hs(claims(-30)), clock_).authenticated);  // within leeway
  EXPECT_EQ(verifier_->verify(hs(claims(600, R"(,"nbf":)" + std::to_string(kNow / 1000 + 300))), clock_).reason_code,
            "not_yet_valid");
  EXPECT_EQ(verifier_->verify(hs(R"({"sub":"CUST-1001","aud":"other","iss":"unaempresa.example","exp":9999999999})"), clock_).reason_code,
            "wrong_audience");
  EXPECT_TRUE(verifier_->verify(hs(R"({"sub":"C","aud":["x","atiende"],"iss":"unaempresa.example","exp":9999999999})"), clock_).authenticated);
  EXPECT_EQ(verifier_->verify(hs(R"({"sub":"CUST-1001","aud":"atiende","iss":"evil","exp":9999999999})"), clock_).reason_code,
            "wrong_issuer");
  EXPECT_EQ(verifier_->verify(hs(R"({"aud":"atiende","iss":"unaempresa.example","exp":9999999999})"), clock_).reason_code,
            "missing_customer");
  EXPECT_EQ(verifier_->verify(hs(R"({"sub":"CUST-1001","aud":"atiende","iss":"unaempresa.example"})"), clock_).reason_code,
            "malformed");  // exp is required
  EXPECT_EQ(verifier_->verify(hs(R"({"sub":"CUST-1001","aud":"atiende","iss":"unaempresa.example","exp":"soon"})"), clock_).reason_code,
            "malformed");
}

TEST_F(IdentityTest, MalformedInputNeverCrashes) {
  const std::string valid = hs(claims(600));
  for (const std::string& bad : {std::string("."), std::string(".."), std::string("a.b"), std::string("a.b.c.d"),
                                 std::string("!!!.???.***"), valid.substr(0, valid.size() / 2),
                                 valid + "x", std::string("e30.e30.e30"),
                                 base64url_encode("[1,2]") + "." + base64url_encode("{}") + ".",
                                 base64url_encode("{\"alg\":5}") + "." + base64url_encode("{}") + ".x",
                                 std::string(100000, '.')}) {
    Identity id = verifier_->verify(bad, clock_);
    EXPECT_FALSE(id.authenticated) << bad.substr(0, 40);
    EXPECT_TRUE(id.customer_id.empty());
  }
  // Changing one payload character breaks the signature.
  std::string tampered = valid;
  const size_t dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(verifier_->verify(tampered, clock_).authenticated);
}

TEST_F(IdentityTest, AlgNoneAndUnconfiguredAlgorithmsAreRejected) {
  const std::string payload = base64url_encode(claims(600));
  EXPECT_EQ(verifier_->verify(base64url_encode(R"({"alg":"none"})") + "." + payload + ".", clock_).reason_code,
            "unsupported_alg");
  EXPECT_EQ(verifier_->verify(base64url_encode(R"({"alg":"RS256"})") + "." + payload + ".c2ln", clock_).reason_code,
            "unsupported_alg");
  EXPECT_EQ(verifier_->verify(base64url_encode(R"({"alg":"HS512"})") + "." + payload + ".c2ln", clock_).reason_code,
            "unsupported_alg");
}

TEST_F(IdentityTest, Rs256VerifiesAndResistsAlgorithmConfusion) {
  RsaKey key;
  JwtOptions rs;
  rs.rs256_public_key_pem = key.public_pem();
  rs.audience = "atiende";
  rs.issuer = "unaempresa.example";
  auto verifier = TokenVerifier::create(rs);
  ASSERT_TRUE(verifier.ok()) << verifier.status().to_string();
  const std::string token = key.sign(R"({"alg":"RS256","typ":"JWT"})", claims(600));
  Identity id = (*verifier)->verify(token, clock_);
  EXPECT_TRUE(id.authenticated) << id.reason_code;
  EXPECT_EQ(id.customer_id, "CUST-1001");
  RsaKey other;
  EXPECT_EQ((*verifier)->verify(other.sign(R"({"alg":"RS256"})", claims(600)), clock_).reason_code,
            "bad_signature");
  // HS256 signed with the public key as the HMAC secret must not pass.
  EXPECT_EQ((*verifier)->verify(hs(claims(600), rs.rs256_public_key_pem), clock_).reason_code,
            "unsupported_alg");
  JwtOptions bad;
  bad.rs256_public_key_pem = "-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n";
  EXPECT_FALSE(TokenVerifier::create(bad).ok());
  EXPECT_FALSE(TokenVerifier::create(JwtOptions{}).ok());
}

TEST(JwtSecretTest, CreatedOnceInDataDirAndReused) {
  const auto dir = std::filesystem::temp_directory_path() / ("atiende-jwt-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Config config(map_env({}));
  auto none = load_or_create_jwt_secret(config, dir, false);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto first = load_or_create_jwt_secret(config, dir, true);
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->size(), 64u);
  auto second = load_or_create_jwt_secret(config, dir, true);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*first, *second);
  auto status = std::filesystem::status(dir / "keys" / "jwt.secret");
  EXPECT_EQ(status.permissions() & std::filesystem::perms::others_read, std::filesystem::perms::none);
  const std::string env_secret = "from-env-0123456789abcdef-0123456";  // 33 bytes
  Config env_config(map_env({{"ATIENDE_AUTH_JWT_SECRET", env_secret}}));
  auto from_env = load_or_create_jwt_secret(env_config, dir, true);
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(*from_env, env_secret);
  Config short_config(map_env({{"ATIENDE_AUTH_JWT_SECRET", "from-env"}}));
  auto too_short = load_or_create_jwt_secret(short_config, dir, true);
  ASSERT_FALSE(too_short.ok());
  EXPECT_EQ(too_short.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_short.status().message().find("auth.jwt_secret"), std::string::npos) << too_short.status().message();
  EXPECT_NE(too_short.status().message().find("at least 32"), std::string::npos) << too_short.status().message();
  auto options = jwt_options_from_config(env_config, dir, false);
  ASSERT_TRUE(options.ok());
  EXPECT_EQ(options->audience, "atiende");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace atiende::agent
