// SFT export: chat-format records from resolved, well-rated, consenting conversations.

#include <set>

#include "exports/export_common.h"

namespace atiende::exports {
namespace {

/// True when a consenting session is an SFT example (the rules in exports.h).
bool eligible(const store::Session& session, const std::optional<store::Survey>& survey,
              const std::vector<store::Message>& messages,
              const std::vector<store::Feedback>& feedback, int64_t min_csat) {
  if (session.status == "escalated") return false;
  if (!survey || !survey->resolved || survey->csat < min_csat) return false;
  for (const auto& f : feedback) {
    if (f.rating == "down") return false;
  }
  for (const auto& m : messages) {
    if (m.role == "agent") return false;  // a human answered: not a deflected conversation
  }
  return true;
}

}  // namespace

Result<ExportReport> export_sft(const ExportDeps& deps, const ExportOptions& options,
                                const LineSink& sink) {
  if (options.min_csat < 1 || options.min_csat > 5) {
    return Status::invalid_argument("--min-csat must be between 1 and 5 (got " +
                                    std::to_string(options.min_csat) + ")");
  }
  // Checked (with the other deps) by for_each_consenting_session before any record is made.
  const std::string exported_at = deps.clock ? format_iso8601(deps.clock->now()) : "";
  detail::Deduplicator dedup;
  return detail::for_each_consenting_session(
      deps, options, [&](const store::Session& session, ExportReport& report) -> Status {
    store::ConversationStore& store = *deps.conversations;
    ATIENDE_ASSIGN_OR_RETURN(auto survey, store.survey_of(session.id));
    ATIENDE_ASSIGN_OR_RETURN(auto messages, store.messages(session.id));
    ATIENDE_ASSIGN_OR_RETURN(auto feedback, store.feedback_of(session.id));
    if (!eligible(session, survey, messages, feedback, options.min_csat)) {
      ++report.not_eligible;
      return {};
    }
    // Keep user/assistant turns; drop anything after the last assistant answer.
    std::vector<const store::Message*> turns;
    for (const auto& m : messages) {
      if (m.role == "user" || m.role == "assistant") turns.push_back(&m);
    }
    while (!turns.empty() && turns.back()->role != "assistant") turns.pop_back();
    bool has_user = false;
    for (const auto* m : turns) has_user = has_user || m->role == "user";
    if (!has_user) {
      ++report.not_eligible;
      return {};
    }

    detail::RecordAnonymizer anonymize(*deps.anonymizer);
    Json out_messages = Json::array();
    Json ids = Json::array();
    std::vector<std::string> texts;
    std::set<std::string> providers;
    if (!options.system_prompt.empty()) {
      out_messages.push_back({{"role", "system"}, {"content", options.system_prompt}});
      texts.push_back(options.system_prompt);
    }
    for (const auto* m : turns) {
      auto safe = anonymize(m->text);
      if (!safe) {
        ++report.withheld;
        return {};
      }
      out_messages.push_back({{"role", m->role}, {"content", *safe}});
      ids.push_back(m->id);
      texts.push_back(m->role);
      texts.push_back(*safe);
      if (m->role == "assistant" && !m->provider.empty()) providers.insert(m->provider);
    }
    if (!dedup.first_time(texts)) {
      ++report.duplicates;
      return {};
    }
    Json provenance = detail::base_provenance("sft", session, exported_at);
    provenance["message_ids"] = ids;
    provenance["providers"] = Json(std::vector<std::string>(providers.begin(), providers.end()));
    provenance["csat"] = survey->csat;
    provenance["resolved"] = survey->resolved;
    ATIENDE_RETURN_IF_ERROR(
        sink(dump_json(Json{{"messages", out_messages}, {"provenance", provenance}})));
    ++report.written;
    return {};
  });
}

}  // namespace atiende::exports
