#pragma once
/// JSON shape of a Hit, shared by the CLI (`atiende search --json`) and the HTTP API:
/// {"doc_id","chunk_id","score","title","text","start","end","page","type","language","source"}
/// (start/end in code points; page 0 = not paged).

#include <nlohmann/json_fwd.hpp>

#include "retrieve/types.h"

namespace atiende::retrieve {

/// nlohmann ADL hook: `Json j = hit;` or `Json j = hits;`.
void to_json(nlohmann::json& json, const Hit& hit);

}  // namespace atiende::retrieve
