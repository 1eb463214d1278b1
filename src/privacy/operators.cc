#include "privacy/operators.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <memory>

#include "common/strings.h"
#include "privacy/regex_util.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

constexpr size_t kNonceBytes = 12;
constexpr size_t kTagBytes = 16;

std::string base64url_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  size_t i = 0;
  while (i + 2 < bytes.size()) {
    const uint32_t v = (static_cast<uint8_t>(bytes[i]) << 16) |
                       (static_cast<uint8_t>(bytes[i + 1]) << 8) | static_cast<uint8_t>(bytes[i + 2]);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    out += kAlphabet[v & 63];
    i += 3;
  }
  if (i < bytes.size()) {
    uint32_t v = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    if (i + 1 < bytes.size()) out += kAlphabet[(v >> 6) & 63];
  }
  return out;
}

std::optional<std::string> base64_decode(std::string_view text, bool url) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == (url ? '-' : '+')) v = 62;
    else if (c == (url ? '_' : '/')) v = 63;
    else if (c == '=') break;
    else return std::nullopt;
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::optional<std::string> hex_decode(std::string_view hex) {
  if (hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = nibble(hex[i]);
    const int lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

Result<std::string> decrypt_payload(std::string_view key32, std::string_view type,
                                    std::string_view payload) {
  if (payload.size() < kNonceBytes + kTagBytes) {
    return Status::invalid_argument("encrypted token is too short");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(payload.data());
  const auto* cipher = nonce + kNonceBytes;
  const size_t cipher_len = payload.size() - kNonceBytes - kTagBytes;
  std::string tag(payload.substr(kNonceBytes + cipher_len));
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Status::internal("EVP_CIPHER_CTX_new failed");
  std::string plain(cipher_len + 16, '\0');
  int len = 0;
  int total = 0;
  const auto* key = reinterpret_cast<const unsigned char*>(key32.data());
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(type.data()),
                        static_cast<int>(type.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()), &len, cipher,
                        static_cast<int>(cipher_len)) != 1) {
    return Status::invalid_argument("cannot decrypt token");
  }
  total = len;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) != 1 ||
      EVP_DecryptFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(plain.data()) + total, &len) != 1) {
    return Status::invalid_argument(
        "encrypted token failed authentication (wrong key or altered text)");
  }
  total += len;
  plain.resize(static_cast<size_t>(total));
  return plain;
}

}  // namespace

Result<OperatorSpec> parse_operator(std::string_view text) {
  OperatorSpec spec;
  std::string_view name = text;
  std::string_view arg;
  if (auto colon = text.find(':'); colon != std::string_view::npos) {
    name = text.substr(0, colon);
    arg = text.substr(colon + 1);
  }
  const std::string n = ascii_lower(trim(name));
  if (n == "replace") spec.kind = OperatorKind::kReplace;
  else if (n == "redact") spec.kind = OperatorKind::kRedact;
  else if (n == "mask") spec.kind = OperatorKind::kMask;
  else if (n == "hash") spec.kind = OperatorKind::kHash;
  else if (n == "encrypt") spec.kind = OperatorKind::kEncrypt;
  else if (n == "keep") spec.kind = OperatorKind::kKeep;
  else {
    return Status::invalid_argument("unknown operator '" + std::string(text) +
                                    "' (expected replace, redact, mask[:N], hash, encrypt, keep)");
  }
  if (!arg.empty()) {
    const auto keep = parse_int64(trim(arg));
    if (spec.kind != OperatorKind::kMask || !keep || *keep < 0 || *keep > 64) {
      return Status::invalid_argument("bad operator argument in '" + std::string(text) +
                                      "' (only mask:N with 0 <= N <= 64 takes one)");
    }
    spec.mask_keep = static_cast<int>(*keep);
  }
  return spec;
}

std::string_view operator_name(OperatorKind kind) {
  switch (kind) {
    case OperatorKind::kReplace: return "replace";
    case OperatorKind::kRedact: return "redact";
    case OperatorKind::kMask: return "mask";
    case OperatorKind::kHash: return "hash";
    case OperatorKind::kEncrypt: return "encrypt";
    case OperatorKind::kKeep: return "keep";
  }
  return "replace";
}

Result<OperatorKeys> load_operator_keys(const EnvLookup& env, bool need_hmac, bool need_encrypt) {
  OperatorKeys keys;
  if (auto corpus = env(kCorpusKeyEnv)) keys.corpus_key = *corpus;
  if (need_hmac) {
    auto value = env(kHmacKeyEnv);
    if (!value || value->empty()) {
      return Status::failed_precondition(std::string("the hash operator needs a secret key: set ") +
                                         kHmacKeyEnv + " (at least 16 bytes)");
    }
    if (value->size() < 16) {
      return Status::failed_precondition(std::string(kHmacKeyEnv) +
                                         " is too short (at least 16 bytes)");
    }
    keys.hmac_key = *value;
  }
  if (need_encrypt) {
    auto value = env(kEncryptionKeyEnv);
    if (!value || value->empty()) {
      return Status::failed_precondition(
          std::string("the encrypt operator needs a key: set ") + kEncryptionKeyEnv +
          " to 32 random bytes as 64 hex characters (e.g. `openssl rand -hex 32`)");
    }
    std::optional<std::string> raw;
    const std::string v(trim(*value));
    if (v.size() == 64) raw = hex_decode(v);
    if (!raw && v.size() == 44) raw = base64_decode(v, false);
    if (!raw || raw->size() != 32) {
      return Status::failed_precondition(std::string(kEncryptionKeyEnv) +
                                         " must be 32 bytes as 64 hex characters or base64");
    }
    keys.encryption_key = std::move(*raw);
  }
  return keys;
}

PseudonymScope::PseudonymScope(std::string corpus_key) : corpus_key_(std::move(corpus_key)) {}

std::string PseudonymScope::token(std::string_view type, std::string_view normalized) {
  std::string key(type);
  key.push_back('\0');
  key.append(normalized);
  if (!corpus_key_.empty()) {
    return "<" + std::string(type) + "_" + hmac_sha256_hex(corpus_key_, key).substr(0, 8) + ">";
  }
  auto it = numbers_.find(key);
  if (it != numbers_.end()) return it->second;
  const int n = ++next_[std::string(type)];
  std::string token = "<" + std::string(type) + "_" + std::to_string(n) + ">";
  numbers_.emplace(std::move(key), token);
  return token;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), len));
}

std::string sha256_hex(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return to_hex(std::string_view(reinterpret_cast<const char*>(out), sizeof(out)));
}

Result<std::string> encrypt_value(std::string_view key32, std::string_view type,
                                  std::string_view plaintext) {
  if (key32.size() != 32) return Status::failed_precondition("encryption key must be 32 bytes");
  unsigned char nonce[kNonceBytes];
  if (RAND_bytes(nonce, sizeof(nonce)) != 1) return Status::internal("RAND_bytes failed");
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return Status::internal("EVP_CIPHER_CTX_new failed");
  std::string out(reinterpret_cast<const char*>(nonce), kNonceBytes);
  out.resize(kNonceBytes + plaintext.size() + 16);
  int len = 0;
  int total = 0;
  const auto* key = reinterpret_cast<const unsigned char*>(key32.data());
  auto* cipher = reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonceBytes, nullptr) != 1 ||
      EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key, nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(type.data()),
                        static_cast<int>(type.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), cipher, &len,
                        reinterpret_cast<const unsigned char*>(plaintext.data()),
                        static_cast<int>(plaintext.size())) != 1) {
    return Status::internal("AES-256-GCM encryption failed");
  }
  total = len;
  if (EVP_EncryptFinal_ex(ctx.get(), cipher + total, &len) != 1) {
    return Status::internal("AES-256-GCM encryption failed");
  }
  total += len;
  out.resize(kNonceBytes + static_cast<size_t>(total));
  unsigned char tag[kTagBytes];
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag) != 1) {
    return Status::internal("AES-256-GCM tag failed");
  }
  out.append(reinterpret_cast<const char*>(tag), kTagBytes);
  return "<ENC:" + std::string(type) + ":" + base64url_encode(out) + ">";
}

Result<std::string> deanonymize_text(std::string_view text, std::string_view key32,
                                     size_t* restored) {
  if (key32.size() != 32) return Status::failed_precondition("encryption key must be 32 bytes");
  static const re2::RE2 token_re(R"(<ENC:([A-Z][A-Z0-9_]*):([A-Za-z0-9_\-]+)>)",
                                 internal::regex_options());
  std::string out;
  out.reserve(text.size());
  size_t last = 0;
  size_t count = 0;
  Status failure;
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece groups[3];
  size_t pos = 0;
  while (pos < text.size() &&
         token_re.Match(input, pos, text.size(), re2::RE2::UNANCHORED, groups, 3)) {
    const size_t start = static_cast<size_t>(groups[0].data() - text.data());
    const size_t end = start + groups[0].size();
    const std::string_view type(groups[1].data(), groups[1].size());
    auto payload = base64_decode(std::string_view(groups[2].data(), groups[2].size()), true);
    if (!payload) return Status::invalid_argument("malformed encrypted token at byte " +
                                                  std::to_string(start));
    auto plain = decrypt_payload(key32, type, *payload);
    if (!plain.ok()) {
      return plain.status().with_context("token at byte " + std::to_string(start));
    }
    out.append(text.substr(last, start - last));
    out.append(*plain);
    last = end;
    pos = end;
    ++count;
  }
  out.append(text.substr(last));
  if (restored != nullptr) *restored = count;
  return out;
}

Result<std::string> apply_operator(const OperatorSpec& spec, const PiiSpan& span,
                                   std::string_view value, PseudonymScope& scope,
                                   const OperatorKeys& keys) {
  switch (spec.kind) {
    case OperatorKind::kReplace:
      return scope.token(span.type, span.normalized.empty() ? internal::fold(value)
                                                            : span.normalized);
    case OperatorKind::kRedact:
      return std::string();
    case OperatorKind::kKeep:
      return std::string(value);
    case OperatorKind::kHash: {
      if (keys.hmac_key.empty()) {
        return Status::failed_precondition(std::string("hash operator: set ") + kHmacKeyEnv);
      }
      const std::string basis = span.normalized.empty() ? internal::fold(value) : span.normalized;
      return "<HASH_" + span.type + ":" + hmac_sha256_hex(keys.hmac_key, span.type + ":" + basis) +
             ">";
    }
    case OperatorKind::kEncrypt:
      if (keys.encryption_key.empty()) {
        return Status::failed_precondition(std::string("encrypt operator: set ") +
                                           kEncryptionKeyEnv);
      }
      return encrypt_value(keys.encryption_key, span.type, value);
    case OperatorKind::kMask: {
      // Count letters/digits, then mask all but the last N of them.
      size_t alnum = 0;
      for (size_t i = 0; i < value.size();) {
        int32_t cp = 0;
        i += internal::decode_at(value, i, cp);
        if (internal::is_letter(cp) || internal::is_digit_cp(cp)) ++alnum;
      }
      const size_t keep = std::min(alnum, static_cast<size_t>(spec.mask_keep));
      size_t seen = 0;
      std::string out;
      for (size_t i = 0; i < value.size();) {
        int32_t cp = 0;
        const size_t n = internal::decode_at(value, i, cp);
        if (internal::is_letter(cp) || internal::is_digit_cp(cp)) {
          ++seen;
          if (seen + keep <= alnum) {
            out.push_back('*');
          } else {
            out.append(value.substr(i, n));
          }
        } else {
          out.append(value.substr(i, n));
        }
        i += n;
      }
      return out;
    }
  }
  return Status::internal("unknown operator");
}

}  // namespace atiende::privacy
