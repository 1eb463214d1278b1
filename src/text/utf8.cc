#include "text/utf8.h"

#include <utf8proc.h>

#include <algorithm>
#include <cstdlib>

namespace atiende::text {
namespace {

/// Length of the valid sequence at `pos`, or 0 when invalid.
size_t valid_sequence_length(std::string_view s, size_t pos) {
  const auto b0 = static_cast<unsigned char>(s[pos]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  char32_t min = 0;
  char32_t cp = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (pos + len > s.size()) return 0;
  for (size_t i = 1; i < len; ++i) {
    const auto b = static_cast<unsigned char>(s[pos + i]);
    if ((b & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

}  // namespace

size_t find_invalid_utf8(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    // ASCII fast path, 8 bytes at a time.
    while (pos + 8 <= s.size()) {
      uint64_t word;
      std::copy_n(s.data() + pos, 8, reinterpret_cast<char*>(&word));
      if (word & 0x8080808080808080ULL) break;
      pos += 8;
    }
    if (pos >= s.size()) break;
    const size_t len = valid_sequence_length(s, pos);
    if (len == 0) return pos;
    pos += len;
  }
  return std::string_view::npos;
}

Status validate_utf8(std::string_view s) {
  const size_t bad = find_invalid_utf8(s);
  if (bad == std::string_view::npos) return {};
  return Status::invalid_argument("invalid UTF-8 at byte " + std::to_string(bad));
}

std::string sanitize_utf8(std::string_view s) {
  if (find_invalid_utf8(s) == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size() + 8);
  size_t pos = 0;
  while (pos < s.size()) {
    const size_t len = valid_sequence_length(s, pos);
    if (len == 0) {
      append_utf8(out, 0xFFFD);
      ++pos;
    } else {
      out.append(s.substr(pos, len));
      pos += len;
    }
  }
  return out;
}

Result<std::string> normalize(std::string_view s, NormalForm form) {
  ATIENDE_RETURN_IF_ERROR(validate_utf8(s));
  if (s.empty()) return std::string();
  bool ascii = std::all_of(s.begin(), s.end(), [](char c) { return (c & 0x80) == 0; });
  if (ascii) return std::string(s);
  int options = UTF8PROC_STABLE | UTF8PROC_COMPOSE;
  if (form == NormalForm::kNFKC) options |= UTF8PROC_COMPAT;
  utf8proc_uint8_t* out = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &out,
                   static_cast<utf8proc_option_t>(options));
  if (n < 0) {
    std::free(out);
    return Status::invalid_argument(std::string("cannot normalize text: ") +
                                    utf8proc_errmsg(n));
  }
  std::string result(reinterpret_cast<const char*>(out), static_cast<size_t>(n));
  std::free(out);
  return result;
}

char32_t decode_utf8(std::string_view s, size_t& pos) {
  const size_t len = valid_sequence_length(s, pos);
  if (len == 0) {
    ++pos;
    return 0xFFFD;
  }
  const auto b0 = static_cast<unsigned char>(s[pos]);
  char32_t cp = len == 1 ? b0 : len == 2 ? (b0 & 0x1F) : len == 3 ? (b0 & 0x0F) : (b0 & 0x07);
  for (size_t i = 1; i < len; ++i) cp = (cp << 6) | (static_cast<unsigned char>(s[pos + i]) & 0x3F);
  pos += len;
  return cp;
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

size_t count_code_points(std::string_view s) {
  size_t n = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    decode_utf8(s, pos);
    ++n;
  }
  return n;
}

size_t byte_to_code_point(std::string_view s, size_t byte) {
  byte = std::min(byte, s.size());
  size_t n = 0;
  size_t pos = 0;
  while (pos < byte) {
    decode_utf8(s, pos);
    ++n;
  }
  return n;
}

size_t code_point_to_byte(std::string_view s, size_t cp) {
  size_t pos = 0;
  for (size_t i = 0; i < cp && pos < s.size(); ++i) decode_utf8(s, pos);
  return pos;
}

OffsetMap::OffsetMap(std::string_view s) {
  starts_.reserve(s.size() + 1);
  size_t pos = 0;
  while (pos < s.size()) {
    starts_.push_back(static_cast<uint32_t>(pos));
    decode_utf8(s, pos);
  }
  starts_.push_back(static_cast<uint32_t>(s.size()));
}

size_t OffsetMap::to_byte(size_t cp) const {
  return starts_[std::min(cp, starts_.size() - 1)];
}

size_t OffsetMap::to_code_point(size_t byte) const {
  if (byte >= starts_.back()) return code_points();
  auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<uint32_t>(byte));
  return static_cast<size_t>(it - starts_.begin()) - 1;
}

}  // namespace atiende::text
