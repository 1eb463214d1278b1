#include "text/json_string.h"

#include "text/utf8.h"

namespace atiende::text {
namespace {

void append_escaped_valid(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  if (find_invalid_utf8(text) == std::string_view::npos) {
    append_escaped_valid(out, text);
  } else {
    append_escaped_valid(out, sanitize_utf8(text));
  }
}

}  // namespace atiende::text
