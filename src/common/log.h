#pragma once
/// Logging on spdlog, to stderr. spdlog checks the level before formatting.
/// Never log text that has not been anonymized (customer messages, documents of type ticket/chat).

#include <string_view>

#include <spdlog/spdlog.h>

namespace atiende {

/// Sets the global level ("trace", "debug", "info", "warn", "error", "off") and pattern.
/// `json` switches to one JSON object per line. Unknown levels fall back to "info".
void init_logging(std::string_view level, bool json = false);

}  // namespace atiende
