#include "embed/local_embedder.h"

namespace atiende::embed {

Result<std::unique_ptr<Embedder>> make_local_embedder(const Config&) {
  return Status::unimplemented("local embedder: not implemented yet");
}

}  // namespace atiende::embed
