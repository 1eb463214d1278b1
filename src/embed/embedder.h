#pragma once
/// Embedder: text to dense vectors. The local default needs no download; the OpenAI-compatible
/// implementation calls /v1/embeddings.

#include <span>
#include <string>
#include <vector>

#include "common/status.h"

namespace atiende::embed {

/// A dense vector of dimension() floats, L2-normalized.
using Vector = std::vector<float>;

/// What the text is: queries and passages may be embedded differently (e.g. prefixes).
enum class EmbedRole { kQuery, kPassage };

class Embedder {
 public:
  virtual ~Embedder() = default;
  virtual size_t dimension() const = 0;
  /// A stable name including the model and version, stored beside persisted vectors so that a
  /// changed embedder triggers a rebuild.
  virtual std::string name() const = 0;
  /// One vector per text, in order. Thread-safe.
  virtual Result<std::vector<Vector>> embed(std::span<const std::string> texts,
                                            EmbedRole role) const = 0;
};

}  // namespace atiende::embed
