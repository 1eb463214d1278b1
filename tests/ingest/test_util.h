#pragma once
#include <string>
#include <string_view>

#include "common/files.h"

namespace atiende::ingest::testing {

inline std::string data_path(std::string_view relative) {
  return std::string(ATIENDE_SOURCE_DIR) + "/tests/ingest/data/" + std::string(relative);
}

inline std::string read_data(std::string_view relative) {
  auto bytes = read_file(data_path(relative));
  return bytes.ok() ? *bytes : std::string();
}

/// Code-point substring [start, end) of UTF-8 `s`.
inline std::string cp_substr(std::string_view s, int64_t start, int64_t end) {
  std::string out;
  int64_t cp = -1;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) ++cp;
    if (cp >= start && cp < end) out += s[i];
  }
  return out;
}

}  // namespace atiende::ingest::testing
