#include "common/log.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace atiende {
namespace {

/// The %* flag: the message, escaped.
class EscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  explicit EscapedMessage(bool json) : json_(json) {}
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string escaped =
        escape_log_text(std::string_view(msg.payload.data(), msg.payload.size()), json_);
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>(json_);
  }

 private:
  bool json_;
};

}  // namespace

std::string escape_log_text(std::string_view text, bool json) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += json ? "\\u00" : "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else if (c == '\\') {
      out += "\\\\";
    } else if (json && c == '"') {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

std::unique_ptr<spdlog::formatter> make_log_formatter(bool json) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(
      json ? spdlog::pattern_time_type::utc : spdlog::pattern_time_type::local);
  formatter->add_flag<EscapedMessage>('*', json);
  formatter->set_pattern(json ? R"({"ts":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})"
                              : "%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  return formatter;
}

void init_logging(std::string_view level, bool json) {
  auto logger = spdlog::stderr_color_mt("atiende");
  spdlog::set_default_logger(logger);
  auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") parsed = spdlog::level::info;
  spdlog::set_level(parsed);
  spdlog::set_formatter(make_log_formatter(json));
}

}  // namespace atiende
