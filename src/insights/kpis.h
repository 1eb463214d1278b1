#pragma once
/// Business KPIs of the assistant over a time range, computed from the conversation store: the
/// numbers behind the targets (70 % fewer tickets, CSAT >= 4/5) and the admin dashboard.
///
/// Definitions (a "conversation" is a session created in [from_ms, to_ms) with at least one
/// customer message):
///   - deflected: not escalated to a human AND not reported unresolved in its survey AND, when
///     there is no survey, its last assistant answer did not abstain. deflection_rate =
///     deflected / conversations (target 0.70).
///   - CSAT: mean of the 1-5 surveys, their distribution, and response rate = surveys /
///     conversations (target 4.0).
///   - thumbs: up, down and up / (up + down).
///   - containment per intent: for each intent seen in a conversation's customer messages, the
///     share of those conversations that were not escalated.
///   - knowledge gaps: the customer messages (anonymized, as stored) answered with an abstention,
///     grouped by their case- and space-folded text, most frequent first.
///   - latency percentiles of assistant answers, answers per provider, and provider fallbacks.
///   - daily series (UTC days) of conversations, deflection and CSAT for charts.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "store/conversations.h"

namespace atiende::insights {

inline constexpr double kDeflectionTarget = 0.70;
inline constexpr double kCsatTarget = 4.0;

struct KpiRange {
  int64_t from_ms = 0;
  int64_t to_ms = 0;  ///< exclusive
};

struct IntentContainment {
  std::string intent;
  int64_t conversations = 0;
  int64_t contained = 0;  ///< not escalated
  double rate = 0;
};

struct KnowledgeGap {
  std::string text;  ///< anonymized customer message
  int64_t count = 0;
};

struct DailyKpis {
  std::string date;  ///< YYYY-MM-DD (UTC)
  int64_t conversations = 0;
  int64_t deflected = 0;
  int64_t surveys = 0;
  double csat_sum = 0;
};

struct Kpis {
  KpiRange range;
  int64_t conversations = 0;
  int64_t escalated = 0;
  int64_t deflected = 0;
  double deflection_rate = 0;
  int64_t surveys = 0;
  double csat_average = 0;
  int64_t csat_distribution[5] = {0, 0, 0, 0, 0};  ///< counts of 1..5
  double survey_response_rate = 0;
  int64_t thumbs_up = 0;
  int64_t thumbs_down = 0;
  double thumbs_up_ratio = 0;
  std::vector<IntentContainment> intents;  ///< most frequent first
  std::vector<KnowledgeGap> gaps;          ///< at most `max_gaps`, most frequent first
  int64_t answers = 0;
  int64_t abstained = 0;
  int64_t latency_p50_ms = 0;
  int64_t latency_p95_ms = 0;
  int64_t latency_p99_ms = 0;
  std::map<std::string, int64_t> answers_by_provider;
  int64_t fallbacks = 0;
  std::vector<DailyKpis> daily;
};

/// The range of a KPI request: `from` and `to` are "YYYY-MM-DD" (UTC; `to` is inclusive, so the
/// range ends at the next midnight) or Unix milliseconds; empty `to` = now, empty `from` = 30
/// days before `to`. Errors name the bad value.
Result<KpiRange> kpi_range_from(std::string_view from, std::string_view to, int64_t now_ms);

/// Computes the KPIs of `range` (to_ms > from_ms, else invalid_argument). Reads sessions page by
/// page, so memory is bounded by the conversations in range.
Result<Kpis> compute_kpis(store::ConversationStore& conversations, const KpiRange& range,
                          size_t max_gaps = 10);

/// The JSON of GET /v1/admin/kpis and `atiende kpis --json` (documented in docs/API.md).
std::string kpis_to_json(const Kpis& kpis);

}  // namespace atiende::insights
