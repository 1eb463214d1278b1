#include "insights/kpis.h"

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <optional>
#include <unordered_map>

#include "common/json.h"
#include "common/strings.h"

namespace atiende::insights {
namespace {

constexpr int64_t kPage = 500;

std::string utc_date(int64_t ms) {
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

/// Lower-cased, whitespace-collapsed text: the grouping key of knowledge gaps.
std::string gap_key(std::string_view text) {
  std::string key;
  bool space = false;
  for (char c : trim(text)) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = true;
      continue;
    }
    if (space && !key.empty()) key += ' ';
    space = false;
    key += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return key;
}

int64_t percentile(std::vector<int64_t>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double index = p * static_cast<double>(values.size() - 1);
  return values[static_cast<size_t>(index + 0.5)];
}

double ratio(int64_t a, int64_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / static_cast<double>(b); }

/// Milliseconds of "YYYY-MM-DD" (UTC midnight) or of a plain integer; nullopt when neither.
std::optional<int64_t> parse_time(std::string_view text, bool end_of_day) {
  int year = 0, month = 0, day = 0;
  char tail = 0;
  const std::string value(text);
  if (value.size() == 10 && std::sscanf(value.c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) == 3 &&
      month >= 1 && month <= 12 && day >= 1 && day <= 31 && year >= 1970) {
    std::tm tm{};
    tm.tm_year = year - 1900;
    tm.tm_mon = month - 1;
    tm.tm_mday = day + (end_of_day ? 1 : 0);
    return static_cast<int64_t>(timegm(&tm)) * 1000;
  }
  if (value.empty() || value.size() > 15 ||
      !std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;
  }
  return std::stoll(value);
}

}  // namespace

Result<KpiRange> kpi_range_from(std::string_view from, std::string_view to, int64_t now_ms) {
  KpiRange range;
  range.to_ms = now_ms + 1;
  if (!to.empty()) {
    auto parsed = parse_time(to, /*end_of_day=*/true);
    if (!parsed) return Status::invalid_argument("'to' must be YYYY-MM-DD or Unix milliseconds, got '" + std::string(to) + "'");
    range.to_ms = *parsed;
  }
  range.from_ms = range.to_ms - 30 * int64_t{86'400'000};
  if (!from.empty()) {
    auto parsed = parse_time(from, /*end_of_day=*/false);
    if (!parsed) return Status::invalid_argument("'from' must be YYYY-MM-DD or Unix milliseconds, got '" + std::string(from) + "'");
    range.from_ms = *parsed;
  }
  if (range.to_ms <= range.from_ms) return Status::invalid_argument("'to' must come after 'from'");
  return range;
}

Result<Kpis> compute_kpis(store::ConversationStore& conversations, const KpiRange& range,
                          size_t max_gaps) {
  if (range.to_ms <= range.from_ms) {
    return Status::invalid_argument("the KPI range must end after it starts");
  }
  Kpis k;
  k.range = range;
  std::map<std::string, IntentContainment> intents;
  std::unordered_map<std::string, KnowledgeGap> gaps;
  std::map<std::string, DailyKpis> daily;
  std::vector<int64_t> latencies;

  store::SessionQuery query;
  query.from_ms = range.from_ms;
  query.to_ms = range.to_ms;
  query.limit = kPage;
  for (;; query.offset += kPage) {
    ATIENDE_ASSIGN_OR_RETURN(auto sessions, conversations.list_sessions(query));
    for (const auto& session : sessions) {
      ATIENDE_ASSIGN_OR_RETURN(auto messages, conversations.messages(session.id));
      const bool has_customer_message = std::any_of(
          messages.begin(), messages.end(), [](const store::Message& m) { return m.role == "user"; });
      if (!has_customer_message) continue;
      ++k.conversations;
      const bool escalated = session.status == "escalated";
      if (escalated) ++k.escalated;

      bool last_abstained = false;
      std::string previous_user_text;
      std::vector<std::string> session_intents;
      for (const auto& m : messages) {
        if (m.role == "user") {
          previous_user_text = m.text;
          if (!m.intent.empty() &&
              std::find(session_intents.begin(), session_intents.end(), m.intent) ==
                  session_intents.end()) {
            session_intents.push_back(m.intent);
          }
        } else if (m.role == "assistant") {
          ++k.answers;
          last_abstained = m.abstained;
          if (m.abstained) {
            ++k.abstained;
            const std::string key = gap_key(previous_user_text);
            if (!key.empty()) {
              auto& gap = gaps[key];
              if (gap.text.empty()) gap.text = std::string(trim(previous_user_text));
              ++gap.count;
            }
          }
          if (m.fallback) ++k.fallbacks;
          if (!m.provider.empty()) ++k.answers_by_provider[m.provider];
          if (m.provider != "agent") latencies.push_back(m.latency_ms);
        }
      }
      ATIENDE_ASSIGN_OR_RETURN(auto survey, conversations.survey_of(session.id));
      const bool unresolved = survey ? !survey->resolved : last_abstained;
      const bool deflected = !escalated && !unresolved;
      if (deflected) ++k.deflected;

      auto& day = daily[utc_date(session.created_ms)];
      ++day.conversations;
      if (deflected) ++day.deflected;
      if (survey && survey->csat >= 1 && survey->csat <= 5) {
        ++k.surveys;
        ++k.csat_distribution[survey->csat - 1];
        k.csat_average += static_cast<double>(survey->csat);
        ++day.surveys;
        day.csat_sum += static_cast<double>(survey->csat);
      }
      ATIENDE_ASSIGN_OR_RETURN(auto feedback, conversations.feedback_of(session.id));
      for (const auto& f : feedback) {
        if (f.rating == "up") ++k.thumbs_up;
        if (f.rating == "down") ++k.thumbs_down;
      }
      for (const auto& intent : session_intents) {
        auto& c = intents[intent];
        c.intent = intent;
        ++c.conversations;
        if (!escalated) ++c.contained;
      }
    }
    if (static_cast<int64_t>(sessions.size()) < kPage) break;
  }

  k.deflection_rate = ratio(k.deflected, k.conversations);
  if (k.surveys > 0) k.csat_average /= static_cast<double>(k.surveys);
  k.survey_response_rate = ratio(k.surveys, k.conversations);
  k.thumbs_up_ratio = ratio(k.thumbs_up, k.thumbs_up + k.thumbs_down);
  for (auto& [name, c] : intents) {
    c.rate = ratio(c.contained, c.conversations);
    k.intents.push_back(c);
  }
  std::stable_sort(k.intents.begin(), k.intents.end(),
                   [](const IntentContainment& a, const IntentContainment& b) {
                     return a.conversations > b.conversations;
                   });
  for (auto& [key, gap] : gaps) k.gaps.push_back(gap);
  std::sort(k.gaps.begin(), k.gaps.end(), [](const KnowledgeGap& a, const KnowledgeGap& b) {
    return a.count != b.count ? a.count > b.count : a.text < b.text;
  });
  if (k.gaps.size() > max_gaps) k.gaps.resize(max_gaps);
  k.latency_p50_ms = percentile(latencies, 0.50);
  k.latency_p95_ms = percentile(latencies, 0.95);
  k.latency_p99_ms = percentile(latencies, 0.99);
  for (auto& [date, day] : daily) {
    day.date = date;
    k.daily.push_back(day);
  }
  return k;
}

std::string kpis_to_json(const Kpis& k) {
  Json intents = Json::array();
  for (const auto& c : k.intents) {
    intents.push_back({{"intent", c.intent}, {"conversations", c.conversations},
                       {"contained", c.contained}, {"containment_rate", c.rate}});
  }
  Json gaps = Json::array();
  for (const auto& g : k.gaps) gaps.push_back({{"text", g.text}, {"count", g.count}});
  Json daily = Json::array();
  for (const auto& d : k.daily) {
    daily.push_back({{"date", d.date},
                     {"conversations", d.conversations},
                     {"deflection_rate", ratio(d.deflected, d.conversations)},
                     {"surveys", d.surveys},
                     {"csat_average", d.surveys ? d.csat_sum / static_cast<double>(d.surveys) : 0.0}});
  }
  Json providers = Json::object();
  for (const auto& [name, count] : k.answers_by_provider) providers[name] = count;
  return dump_json({
      {"range", {{"from_ms", k.range.from_ms}, {"to_ms", k.range.to_ms}}},
      {"conversations", k.conversations},
      {"deflection", {{"rate", k.deflection_rate}, {"target", kDeflectionTarget},
                      {"deflected", k.deflected}, {"escalated", k.escalated}}},
      {"csat", {{"average", k.csat_average}, {"target", kCsatTarget}, {"responses", k.surveys},
                {"response_rate", k.survey_response_rate},
                {"distribution", {k.csat_distribution[0], k.csat_distribution[1],
                                  k.csat_distribution[2], k.csat_distribution[3],
                                  k.csat_distribution[4]}}}},
      {"thumbs", {{"up", k.thumbs_up}, {"down", k.thumbs_down}, {"up_ratio", k.thumbs_up_ratio}}},
      {"intents", intents},
      {"knowledge_gaps", gaps},
      {"answers", {{"total", k.answers}, {"abstained", k.abstained},
                   {"by_provider", providers}, {"fallbacks", k.fallbacks},
                   {"fallback_rate", ratio(k.fallbacks, k.answers)}}},
      {"latency_ms", {{"p50", k.latency_p50_ms}, {"p95", k.latency_p95_ms}, {"p99", k.latency_p99_ms}}},
      {"daily", daily},
  });
}

}  // namespace atiende::insights
