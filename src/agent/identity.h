#pragma once
/// Customer identity from a JWT issued by the company's website (`customer_token`).
///
/// Supported: HS256 (shared secret) and RS256 (PEM public key), own code on OpenSSL. Checks, in
/// order: three base64url parts, JSON header with `alg` equal to a configured algorithm (never
/// "none"; an HS256 token is rejected when only an RS256 key is configured and vice versa, so the
/// public key can never be used as an HMAC secret), signature (constant-time), `exp` (required),
/// `nbf`, `aud` (string or array; must contain the configured audience when one is set), `iss`
/// (must equal the configured issuer when set), and the customer claim (default `sub`).
/// Any failure yields an anonymous Identity with a reason code; verify() never throws or crashes.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/config.h"
#include "common/status.h"

namespace atiende::agent {

/// Who the session acts for.
struct Identity {
  bool authenticated = false;
  std::string customer_id;       ///< empty when anonymous
  std::string reason_code = "no_token";  ///< "ok" | "no_token" | "malformed" | "unsupported_alg"
                                 ///< | "bad_signature" | "expired" | "not_yet_valid"
                                 ///< | "wrong_audience" | "wrong_issuer" | "missing_customer"
  int64_t expires_at = 0;        ///< unix seconds (0 when anonymous)
};

struct JwtOptions {
  std::string hs256_secret;          ///< bytes; empty disables HS256
  std::string rs256_public_key_pem;  ///< PEM text; empty disables RS256
  std::string audience;              ///< required `aud` when not empty
  std::string issuer;                ///< required `iss` when not empty
  std::string customer_claim = "sub";
  int64_t leeway_seconds = 60;       ///< clock skew tolerated for exp / nbf
  int64_t max_token_bytes = 8192;
};

/// Immutable after creation; verify() is thread-safe.
class TokenVerifier {
 public:
  /// invalid_argument when no key is configured or the PEM cannot be parsed.
  static Result<std::shared_ptr<TokenVerifier>> create(JwtOptions options);
  ~TokenVerifier();

  /// Verifies `token` at the clock's current time. An empty token is anonymous ("no_token").
  Identity verify(std::string_view token, const Clock& clock) const;

  const JwtOptions& options() const { return options_; }

 private:
  struct PublicKey;
  explicit TokenVerifier(JwtOptions options);
  JwtOptions options_;
  std::unique_ptr<PublicKey> rsa_;
};

/// Signs `claims_json` (a JSON object) with HS256. invalid_argument for non-object claims or an
/// empty secret.
Result<std::string> sign_hs256(std::string_view claims_json, std::string_view secret);

/// Builds and signs a demo token: {"sub": customer, "iat", "exp": now + ttl, "aud"?, "iss"?}.
Result<std::string> issue_hs256_token(const std::string& customer_id, int64_t ttl_seconds,
                                      const JwtOptions& options, const Clock& clock);

/// Shortest HS256 secret accepted, in bytes (RFC 7518 §3.2: a key at least as long as the hash).
inline constexpr size_t kMinJwtSecretBytes = 32;

/// The HS256 secret: config `auth.jwt_secret` (env ATIENDE_AUTH_JWT_SECRET) when set; otherwise
/// the contents of "<data_dir>/keys/jwt.secret", which is created (64 random hex chars, mode 0600)
/// when `create_if_missing` and absent. Returns "" when nothing is configured and creation is off.
/// A secret shorter than kMinJwtSecretBytes is invalid_argument (the message says how to make one).
Result<std::string> load_or_create_jwt_secret(const Config& config,
                                              const std::filesystem::path& data_dir,
                                              bool create_if_missing);

/// Reads `auth.*` config: jwt_secret (or the data-dir secret), jwt_public_key (PEM path),
/// audience (default "atiende"), issuer (default "unaempresa.example"), customer_claim,
/// leeway_seconds. The server and `atiende token` both call this, so they agree on the secret.
Result<JwtOptions> jwt_options_from_config(const Config& config,
                                           const std::filesystem::path& data_dir,
                                           bool create_secret_if_missing);

}  // namespace atiende::agent
