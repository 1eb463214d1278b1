#pragma once
/// The web UI files (web/) embedded into the binary at build time (cmake/EmbedAssets.cmake).

#include <cstddef>
#include <span>

namespace atiende::app {

struct WebAsset {
  const char* path;          ///< URL path, e.g. "/index.html", "/admin/index.html"
  const char* content_type;  ///< e.g. "text/html; charset=utf-8"
  const unsigned char* data; ///< `size` bytes (followed by a NUL that is not counted)
  size_t size;
};

/// Every embedded asset, sorted as found. Lives for the whole program.
std::span<const WebAsset> web_assets();

}  // namespace atiende::app
