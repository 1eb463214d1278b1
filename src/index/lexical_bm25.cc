#include "index/lexical_bm25.h"

namespace atiende::index {

Result<Bm25Options> bm25_options_from_config(const Config& config) {
  Bm25Options o;
  ATIENDE_ASSIGN_OR_RETURN(o.k1, config.get_double("index.bm25_k1", o.k1));
  ATIENDE_ASSIGN_OR_RETURN(o.b, config.get_double("index.bm25_b", o.b));
  ATIENDE_ASSIGN_OR_RETURN(o.title_weight, config.get_double("index.title_weight", o.title_weight));
  ATIENDE_ASSIGN_OR_RETURN(o.title_b, config.get_double("index.bm25_title_b", o.title_b));
  ATIENDE_ASSIGN_OR_RETURN(o.default_language,
                           config.get_string("index.bm25_language", o.default_language));
  return o;
}

std::unique_ptr<LexicalIndex> make_bm25_index(const Bm25Options&) { return nullptr; }

}  // namespace atiende::index
