#include "agent/identity.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include "common/crypto.h"
#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"

namespace atiende::agent {

struct TokenVerifier::PublicKey {
  EVP_PKEY* key = nullptr;
  ~PublicKey() { EVP_PKEY_free(key); }
};

TokenVerifier::TokenVerifier(JwtOptions options) : options_(std::move(options)) {}
TokenVerifier::~TokenVerifier() = default;

Result<std::shared_ptr<TokenVerifier>> TokenVerifier::create(JwtOptions options) {
  if (options.hs256_secret.empty() && options.rs256_public_key_pem.empty()) {
    return Status::invalid_argument(
        "auth: no JWT key configured (set auth.jwt_secret or auth.jwt_public_key)");
  }
  std::shared_ptr<TokenVerifier> verifier(new TokenVerifier(std::move(options)));
  if (!verifier->options_.rs256_public_key_pem.empty()) {
    const std::string& pem = verifier->options_.rs256_public_key_pem;
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    if (!bio) return Status::internal("auth: BIO_new_mem_buf failed");
    EVP_PKEY* key = PEM_read_bio_PUBKEY(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    if (!key) return Status::invalid_argument("auth.jwt_public_key: not a PEM public key");
    if (EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
      EVP_PKEY_free(key);
      return Status::invalid_argument("auth.jwt_public_key: not an RSA key");
    }
    verifier->rsa_ = std::make_unique<PublicKey>();
    verifier->rsa_->key = key;
  }
  return verifier;
}

namespace {

Identity anonymous(std::string reason) {
  Identity id;
  id.reason_code = std::move(reason);
  return id;
}

bool rs256_verify(EVP_PKEY* key, std::string_view data, std::string_view signature) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return false;
  bool ok = EVP_DigestVerifyInit(ctx, nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
                             data.size()) == 1;
  EVP_MD_CTX_free(ctx);
  return ok;
}

std::optional<int64_t> numeric_claim(const Json& claims, const char* name) {
  if (!claims.contains(name)) return std::nullopt;
  const Json& v = claims[name];
  if (v.is_number_integer() || v.is_number_unsigned()) return v.get<int64_t>();
  if (v.is_number_float()) return static_cast<int64_t>(v.get<double>());
  return std::nullopt;
}

}  // namespace

Identity TokenVerifier::verify(std::string_view token, const Clock& clock) const {
  token = trim(token);
  if (token.empty()) return anonymous("no_token");
  if (static_cast<int64_t>(token.size()) > options_.max_token_bytes) return anonymous("malformed");
  const auto parts = split(token, '.');
  if (parts.size() != 3 || parts[0].empty() || parts[1].empty()) return anonymous("malformed");
  std::string header_text, payload_text, signature;
  if (!base64url_decode(parts[0], header_text) || !base64url_decode(parts[1], payload_text) ||
      !base64url_decode(parts[2], signature)) {
    return anonymous("malformed");
  }
  JsonLimits limits;
  limits.max_bytes = 8192;
  limits.max_depth = 8;
  auto header = parse_json(header_text, limits);
  if (!header.ok() || !header->is_object() || !(*header).contains("alg") ||
      !(*header)["alg"].is_string()) {
    return anonymous("malformed");
  }
  const std::string alg = (*header)["alg"].get<std::string>();
  const std::string signing_input =
      std::string(parts[0]) + "." + std::string(parts[1]);
  if (alg == "HS256" && !options_.hs256_secret.empty()) {
    if (!constant_time_equals(hmac_sha256(options_.hs256_secret, signing_input), signature)) {
      return anonymous("bad_signature");
    }
  } else if (alg == "RS256" && rsa_) {
    if (!rs256_verify(rsa_->key, signing_input, signature)) return anonymous("bad_signature");
  } else {
    return anonymous("unsupported_alg");
  }
  auto claims = parse_json(payload_text, limits);
  if (!claims.ok() || !claims->is_object()) return anonymous("malformed");
  const int64_t now = clock.unix_seconds();
  auto exp = numeric_claim(*claims, "exp");
  if (!exp) return anonymous("malformed");
  if (now > *exp + options_.leeway_seconds) return anonymous("expired");
  if (auto nbf = numeric_claim(*claims, "nbf"); nbf && now + options_.leeway_seconds < *nbf) {
    return anonymous("not_yet_valid");
  }
  if (!options_.audience.empty()) {
    bool match = false;
    if (claims->contains("aud")) {
      const Json& aud = (*claims)["aud"];
      if (aud.is_string()) match = aud.get<std::string>() == options_.audience;
      if (aud.is_array()) {
        for (const auto& a : aud) match = match || (a.is_string() && a.get<std::string>() == options_.audience);
      }
    }
    if (!match) return anonymous("wrong_audience");
  }
  if (!options_.issuer.empty()) {
    if (!claims->contains("iss") || !(*claims)["iss"].is_string() ||
        (*claims)["iss"].get<std::string>() != options_.issuer) {
      return anonymous("wrong_issuer");
    }
  }
  if (!claims->contains(options_.customer_claim) ||
      !(*claims)[options_.customer_claim].is_string()) {
    return anonymous("missing_customer");
  }
  std::string customer = (*claims)[options_.customer_claim].get<std::string>();
  if (customer.empty() || customer.size() > 128) return anonymous("missing_customer");
  Identity id;
  id.authenticated = true;
  id.customer_id = std::move(customer);
  id.reason_code = "ok";
  id.expires_at = *exp;
  return id;
}

Result<std::string> sign_hs256(std::string_view claims_json, std::string_view secret) {
  if (secret.empty()) return Status::invalid_argument("HS256 secret is empty");
  ATIENDE_ASSIGN_OR_RETURN(Json claims, parse_json(claims_json));
  if (!claims.is_object()) return Status::invalid_argument("JWT claims must be a JSON object");
  const std::string header = base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const std::string payload = base64url_encode(dump_json(claims));
  const std::string input = header + "." + payload;
  return input + "." + base64url_encode(hmac_sha256(secret, input));
}

Result<std::string> issue_hs256_token(const std::string& customer_id, int64_t ttl_seconds,
                                      const JwtOptions& options, const Clock& clock) {
  if (customer_id.empty()) return Status::invalid_argument("--customer is empty");
  if (ttl_seconds <= 0) return Status::invalid_argument("--ttl must be positive");
  const int64_t now = clock.unix_seconds();
  Json claims = {{"sub", customer_id}, {"iat", now}, {"exp", now + ttl_seconds}};
  if (options.customer_claim != "sub") claims[options.customer_claim] = customer_id;
  if (!options.audience.empty()) claims["aud"] = options.audience;
  if (!options.issuer.empty()) claims["iss"] = options.issuer;
  return sign_hs256(dump_json(claims), options.hs256_secret);
}

Result<std::string> load_or_create_jwt_secret(const Config& config,
                                              const std::filesystem::path& data_dir,
                                              bool create_if_missing) {
  ATIENDE_ASSIGN_OR_RETURN(std::string configured, config.get_string("auth.jwt_secret", ""));
  if (!configured.empty()) {
    if (configured.size() < kMinJwtSecretBytes) {
      return Status::invalid_argument(
          "auth.jwt_secret (ATIENDE_AUTH_JWT_SECRET) is " + std::to_string(configured.size()) +
          " bytes; an HS256 key needs at least " + std::to_string(kMinJwtSecretBytes) +
          " (e.g. `openssl rand -hex 32`)");
    }
    return configured;
  }
  const auto path = data_dir / "keys" / "jwt.secret";
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    ATIENDE_ASSIGN_OR_RETURN(std::string stored, read_file(path));
    std::string secret(trim(stored));
    if (secret.empty()) return Status::data_loss(path.string() + " is empty");
    if (secret.size() < kMinJwtSecretBytes) {
      return Status::invalid_argument(path.string() + " holds a " + std::to_string(secret.size()) +
                                      "-byte key; an HS256 key needs at least " +
                                      std::to_string(kMinJwtSecretBytes));
    }
    return secret;
  }
  if (!create_if_missing) return std::string();
  ATIENDE_RETURN_IF_ERROR(ensure_directory(path.parent_path()));
  const std::string secret = system_random().hex(32);
  ATIENDE_RETURN_IF_ERROR(write_file_atomic(path, secret + "\n"));
  ::chmod(path.c_str(), 0600);
  return secret;
}

Result<JwtOptions> jwt_options_from_config(const Config& config,
                                           const std::filesystem::path& data_dir,
                                           bool create_secret_if_missing) {
  JwtOptions options;
  ATIENDE_ASSIGN_OR_RETURN(std::string key_path, config.get_string("auth.jwt_public_key", ""));
  if (!key_path.empty()) {
    auto pem = read_file(key_path);
    if (!pem.ok()) return pem.status().with_context("auth.jwt_public_key");
    options.rs256_public_key_pem = *pem;
  }
  ATIENDE_ASSIGN_OR_RETURN(options.hs256_secret,
                           load_or_create_jwt_secret(config, data_dir, create_secret_if_missing));
  ATIENDE_ASSIGN_OR_RETURN(options.audience, config.get_string("auth.audience", "atiende"));
  ATIENDE_ASSIGN_OR_RETURN(options.issuer, config.get_string("auth.issuer", "unaempresa.example"));
  ATIENDE_ASSIGN_OR_RETURN(options.customer_claim, config.get_string("auth.customer_claim", "sub"));
  ATIENDE_ASSIGN_OR_RETURN(options.leeway_seconds, config.get_int("auth.leeway_seconds", 60));
  if (options.customer_claim.empty()) return Status::invalid_argument("auth.customer_claim is empty");
  if (options.leeway_seconds < 0 || options.leeway_seconds > 600) {
    return Status::invalid_argument("auth.leeway_seconds must be between 0 and 600");
  }
  return options;
}

}  // namespace atiende::agent
