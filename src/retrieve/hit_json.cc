#include "retrieve/hit_json.h"

#include "common/json.h"

namespace atiende::retrieve {

void to_json(nlohmann::json& json, const Hit& hit) {
  json = Json{{"doc_id", hit.doc_id},     {"chunk_id", hit.chunk_id}, {"score", hit.score},
              {"title", hit.title},       {"text", hit.text},         {"start", hit.start},
              {"end", hit.end},           {"page", hit.page},         {"type", hit.type},
              {"language", hit.language}, {"source", hit.source}};
}

}  // namespace atiende::retrieve
