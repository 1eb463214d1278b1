#pragma once
/// Fine-tuning and RLHF exports of stored conversations, one JSON object per line:
///
///   - SFT (`export_sft`): {"messages":[{"role","content"}...],"provenance":{...}} from resolved,
///     well-rated conversations: consent given, a survey with resolved = true and CSAT >=
///     min_csat, never escalated nor answered by a human agent, and no answer rated thumbs-down.
///     Only user and assistant turns are kept; a trailing user turn is dropped.
///   - Preferences (`export_preferences`): {"prompt","chosen","rejected","provenance":{...}} from
///     every thumbs-down assistant answer of a consenting conversation that was
///       * later corrected by a human agent (kind "human_correction"): chosen = the first agent
///         message after it; or else
///       * re-asked (kind "reask_thumbs_up"): the customer's next message got an answer rated
///         thumbs-up; chosen = that answer.
///     prompt = the customer message the rejected answer replied to.
///
/// Every text goes through the privacy anonymizer once more (texts are anonymized when stored;
/// this also covers comments or rows written before a recognizer existed), with one pseudonym
/// scope per record; a record whose text cannot be anonymized is withheld, never written raw.
/// Records are deduplicated on their case- and space-folded texts. Provenance names the session,
/// message ids, export time, channel, language, A/B variant and providers. The schemas are
/// docs/schemas/sft.schema.json and docs/schemas/preference.schema.json (docs/API.md).

#include <cstdint>
#include <functional>
#include <string>

#include "common/clock.h"
#include "common/status.h"
#include "store/conversations.h"

namespace atiende::privacy {
class Anonymizer;
}

namespace atiende::exports {

struct ExportDeps {
  store::ConversationStore* conversations = nullptr;  ///< required
  const privacy::Anonymizer* anonymizer = nullptr;    ///< required
  const Clock* clock = nullptr;                       ///< required (export time)
};

struct ExportOptions {
  int64_t from_ms = 0;          ///< sessions created at or after
  int64_t to_ms = INT64_MAX;    ///< sessions created before
  int64_t min_csat = 4;         ///< SFT only: 1..5
  std::string system_prompt;    ///< SFT only: when set, the first message of every record
};

struct ExportReport {
  int64_t sessions = 0;       ///< sessions scanned in range
  int64_t no_consent = 0;     ///< skipped: the customer did not consent
  int64_t not_eligible = 0;   ///< skipped: consenting but not matching the rules above
  int64_t duplicates = 0;     ///< records dropped as duplicates
  int64_t withheld = 0;       ///< records dropped because anonymization failed
  int64_t written = 0;        ///< lines given to the sink
};

/// Receives one JSON line (without the newline).
using LineSink = std::function<Status(const std::string& line)>;

/// Writes SFT records (see the file comment). invalid_argument for missing deps, min_csat outside
/// 1..5 or an empty range; store and sink errors are returned as they are.
Result<ExportReport> export_sft(const ExportDeps& deps, const ExportOptions& options,
                                const LineSink& sink);

/// Writes preference pairs (see the file comment). Errors as export_sft.
Result<ExportReport> export_preferences(const ExportDeps& deps, const ExportOptions& options,
                                        const LineSink& sink);

}  // namespace atiende::exports
