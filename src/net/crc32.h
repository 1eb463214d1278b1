#pragma once
/// CRC-32 (IEEE 802.3 / zlib polynomial), as the AWS event-stream framing uses.
/// Hashes and MACs live in common/crypto.h.

#include <cstdint>
#include <string_view>

namespace atiende::net {

/// CRC-32 of `data`; pass a previous result as `crc` to continue a computation.
uint32_t crc32(std::string_view data, uint32_t crc = 0);

}  // namespace atiende::net
