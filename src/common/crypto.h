#pragma once
/// Hashing and MAC primitives on OpenSSL, for audit chains, pseudonyms, tokens and signatures.

#include <string>
#include <string_view>

namespace atiende {

/// Raw 32-byte SHA-256 digest.
std::string sha256(std::string_view data);
/// Lower-case hex SHA-256 (64 characters).
std::string sha256_hex(std::string_view data);
/// Raw 32-byte HMAC-SHA256.
std::string hmac_sha256(std::string_view key, std::string_view data);
/// Lower-case hex HMAC-SHA256.
std::string hmac_sha256_hex(std::string_view key, std::string_view data);
/// Constant-time equality (for MACs and signatures).
bool constant_time_equals(std::string_view a, std::string_view b);
/// base64url without padding (RFC 4648 §5), as JWT uses.
std::string base64url_encode(std::string_view bytes);
/// Decodes base64url with or without padding; false on invalid input, including a
/// non-canonical last character (non-zero pad bits).
bool base64url_decode(std::string_view text, std::string& out);

}  // namespace atiende
