#pragma once
/// Logging on spdlog, to stderr. spdlog checks the level before formatting.
/// Never log text that has not been anonymized (customer messages, documents of type ticket/chat).
/// Every message is escaped on its way out (escape_log_text): text that came from a request (a
/// path, a header, an id) cannot forge a log line or send terminal control sequences.

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>
#include <spdlog/spdlog.h>

namespace atiende {

/// Sets the global level ("trace", "debug", "info", "warn", "error", "off") and pattern.
/// `json` switches to one JSON object per line. Unknown levels fall back to "info".
void init_logging(std::string_view level, bool json = false);

/// `text` with control characters (bytes below 0x20 and 0x7f) written as \xNN and a backslash as
/// "\\"; with `json`, as \u00NN, and a double quote as \" too, so the result fits inside a JSON
/// string. Other bytes (UTF-8 included) are kept.
std::string escape_log_text(std::string_view text, bool json = false);

/// The formatter init_logging installs: "time level message", or one JSON object per line, with
/// the message escaped by escape_log_text.
std::unique_ptr<spdlog::formatter> make_log_formatter(bool json);

}  // namespace atiende
