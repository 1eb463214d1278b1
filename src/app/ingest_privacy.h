#pragma once
/// Wiring between privacy/ and ingest/: the anonymization hook that ingest calls on every raw
/// record of type ticket/chat/transcript (ingest.anonymize_types) before anything is stored,
/// indexed or logged. Used by `atiende ingest` and by the server's document upload.

#include "common/config.h"
#include "common/status.h"
#include "ingest/pipeline.h"

namespace atiende::app {

/// Builds privacy::Anonymizer from config ([privacy] section and ATIENDE_PRIVACY_* keys) and
/// returns a RecordTransform that cleans (greetings, signatures, noise and duplicate turns) and
/// anonymizes title, text, pages, every turn (roles kept) and every metadata string in place.
/// Fails at start-up on bad privacy config or a missing operator key (naming the variable).
/// The returned function is thread-safe.
Result<ingest::RecordTransform> make_ingest_transform(const Config& config);

}  // namespace atiende::app
