#pragma once
/// Anonymization operators (replace, redact, mask, hash, encrypt, keep), the pseudonym scope that
/// keeps tokens consistent, and the encrypt/decrypt pair behind `atiende deanonymize`.
///
/// Token formats (stable; documented in src/privacy/README.md):
///   replace, document scope : <PERSON_1>, <PHONE_2>       (numbered in order of first appearance)
///   replace, corpus scope   : <PERSON_3fa94c1b>           (HMAC(corpus key, type|value), 8 hex)
///   redact                  : removed
///   mask (keep N, default 4): letters and digits except the last N become '*'
///   hash                    : <HASH_PERSON:64 hex>        (HMAC-SHA256 with the HMAC key)
///   encrypt                 : <ENC:PERSON:base64url(nonce|ciphertext|tag)> (AES-256-GCM, AAD = type)
///   keep                    : unchanged

#include <map>
#include <string>
#include <string_view>

#include "common/config.h"
#include "common/status.h"
#include "privacy/types.h"

namespace atiende::privacy {

/// Environment variables holding the secrets (never put them in a config file).
inline constexpr const char* kHmacKeyEnv = "ATIENDE_PRIVACY_HMAC_KEY";
inline constexpr const char* kEncryptionKeyEnv = "ATIENDE_PRIVACY_ENCRYPTION_KEY";
inline constexpr const char* kCorpusKeyEnv = "ATIENDE_PRIVACY_CORPUS_KEY";

enum class OperatorKind { kReplace, kRedact, kMask, kHash, kEncrypt, kKeep };

struct OperatorSpec {
  OperatorKind kind = OperatorKind::kReplace;
  int mask_keep = 4;  ///< mask: trailing letters/digits left visible
};

/// Parses "replace", "redact", "mask", "mask:4", "hash", "encrypt", "keep".
Result<OperatorSpec> parse_operator(std::string_view text);
std::string_view operator_name(OperatorKind kind);

/// Secrets for the hash/encrypt operators and the corpus pseudonym scope. Raw key bytes.
struct OperatorKeys {
  std::string hmac_key;        ///< any bytes, >= 16
  std::string encryption_key;  ///< exactly 32 bytes
  std::string corpus_key;      ///< empty = document-scoped pseudonyms
};

/// Reads the keys from the environment. A key needed by an operator in use but missing or
/// malformed is an error naming the variable. ATIENDE_PRIVACY_ENCRYPTION_KEY is 64 hex chars
/// or base64 of 32 bytes.
Result<OperatorKeys> load_operator_keys(const EnvLookup& env, bool need_hmac, bool need_encrypt);

/// Gives each distinct (type, normalized value) a stable token. One scope per document, or one
/// for a whole corpus run. Not thread-safe (one per worker).
class PseudonymScope {
 public:
  /// `corpus_key` empty: numbered tokens <TYPE_n>. Otherwise keyed tokens <TYPE_8hex>, identical
  /// across documents, runs and machines that share the key.
  explicit PseudonymScope(std::string corpus_key = "");
  std::string token(std::string_view type, std::string_view normalized);
  /// Starts a new document: numbered tokens restart at 1.
  void reset() { numbers_.clear(); next_.clear(); }

 private:
  std::string corpus_key_;
  std::map<std::string, std::string> numbers_;  // type '\0' value -> token
  std::map<std::string, int> next_;
};

/// The replacement text of one span. `value` is the original text of the span.
/// Fails only on a crypto error.
Result<std::string> apply_operator(const OperatorSpec& spec, const PiiSpan& span,
                                   std::string_view value, PseudonymScope& scope,
                                   const OperatorKeys& keys);

/// Lower-case hex HMAC-SHA256.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Hex SHA-256 of `data` (the `text_hash` of --spans-out).
std::string sha256_hex(std::string_view data);

/// AES-256-GCM with a random 96-bit nonce; returns the <ENC:TYPE:...> token.
Result<std::string> encrypt_value(std::string_view key32, std::string_view type,
                                  std::string_view plaintext);
/// Reverses every <ENC:TYPE:...> token in `text`. A token that fails authentication is an error
/// (wrong key or tampered text). `restored` (optional) receives the number of tokens decrypted.
Result<std::string> deanonymize_text(std::string_view text, std::string_view key32,
                                     size_t* restored = nullptr);

}  // namespace atiende::privacy
