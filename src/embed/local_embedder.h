#pragma once
/// The embedded default Embedder: hashed lexical features projected to a fixed dimension.
/// Needs no model download.

#include <memory>

#include "common/config.h"
#include "common/status.h"
#include "embed/embedder.h"

namespace atiende::embed {

/// Builds the local embedder from config (keys documented in local_embedder.cc once implemented).
Result<std::unique_ptr<Embedder>> make_local_embedder(const Config& config);

}  // namespace atiende::embed
