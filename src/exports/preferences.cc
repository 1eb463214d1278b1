// Preference export: thumbs-down answers paired with a human agent's correction or with the
// thumbs-up answer to the customer's re-asked question.

#include <map>

#include "exports/export_common.h"

namespace atiende::exports {
namespace {

struct Pair {
  const store::Message* prompt = nullptr;
  const store::Message* chosen = nullptr;
  const store::Message* rejected = nullptr;
  std::string kind;  ///< human_correction | reask_thumbs_up
};

/// The pairs of one conversation (messages in order, ratings by message id).
std::vector<Pair> find_pairs(const std::vector<store::Message>& messages,
                             const std::map<std::string, std::string>& rating) {
  std::vector<Pair> pairs;
  auto rated = [&](const store::Message& m, const char* value) {
    auto it = rating.find(m.id);
    return it != rating.end() && it->second == value;
  };
  for (size_t i = 0; i < messages.size(); ++i) {
    const store::Message& rejected = messages[i];
    if (rejected.role != "assistant" || !rated(rejected, "down")) continue;
    Pair pair;
    pair.rejected = &rejected;
    for (size_t j = i; j-- > 0;) {
      if (messages[j].role == "user") {
        pair.prompt = &messages[j];
        break;
      }
    }
    if (!pair.prompt) continue;
    // A human agent's later correction wins.
    for (size_t j = i + 1; j < messages.size(); ++j) {
      if (messages[j].role == "agent" && !messages[j].text.empty()) {
        pair.chosen = &messages[j];
        pair.kind = "human_correction";
        break;
      }
    }
    if (!pair.chosen) {
      // Otherwise the answer to the customer's next message, when it was rated thumbs-up.
      size_t j = i + 1;
      while (j < messages.size() && messages[j].role != "user") ++j;
      for (++j; j < messages.size() && messages[j].role != "user"; ++j) {
        if (messages[j].role == "assistant") {
          if (rated(messages[j], "up")) {
            pair.chosen = &messages[j];
            pair.kind = "reask_thumbs_up";
          }
          break;
        }
      }
    }
    if (pair.chosen && pair.chosen->text != rejected.text) pairs.push_back(pair);
  }
  return pairs;
}

}  // namespace

Result<ExportReport> export_preferences(const ExportDeps& deps, const ExportOptions& options,
                                        const LineSink& sink) {
  // Checked (with the other deps) by for_each_consenting_session before any record is made.
  const std::string exported_at = deps.clock ? format_iso8601(deps.clock->now()) : "";
  detail::Deduplicator dedup;
  return detail::for_each_consenting_session(
      deps, options, [&](const store::Session& session, ExportReport& report) -> Status {
    store::ConversationStore& store = *deps.conversations;
    ATIENDE_ASSIGN_OR_RETURN(auto feedback, store.feedback_of(session.id));
    std::map<std::string, std::string> rating;
    for (const auto& f : feedback) rating[f.message_id] = f.rating;
    bool any_down = false;
    for (const auto& [id, value] : rating) any_down = any_down || value == "down";
    if (!any_down) {
      ++report.not_eligible;
      return {};
    }
    ATIENDE_ASSIGN_OR_RETURN(auto messages, store.messages(session.id));
    const std::vector<Pair> pairs = find_pairs(messages, rating);
    if (pairs.empty()) ++report.not_eligible;
    for (const Pair& pair : pairs) {
      detail::RecordAnonymizer anonymize(*deps.anonymizer);
      auto prompt = anonymize(pair.prompt->text);
      auto chosen = anonymize(pair.chosen->text);
      auto rejected = anonymize(pair.rejected->text);
      if (!prompt || !chosen || !rejected) {
        ++report.withheld;
        continue;
      }
      if (!dedup.first_time({*prompt, *chosen, *rejected})) {
        ++report.duplicates;
        continue;
      }
      Json provenance = detail::base_provenance(pair.kind, session, exported_at);
      provenance["message_ids"] = {{"prompt", pair.prompt->id},
                                   {"chosen", pair.chosen->id},
                                   {"rejected", pair.rejected->id}};
      provenance["chosen_provider"] =
          pair.chosen->role == "agent" ? std::string("human") : pair.chosen->provider;
      provenance["rejected_provider"] = pair.rejected->provider;
      ATIENDE_RETURN_IF_ERROR(sink(dump_json(Json{{"prompt", *prompt},
                                                  {"chosen", *chosen},
                                                  {"rejected", *rejected},
                                                  {"provenance", provenance}})));
      ++report.written;
    }
    return {};
  });
}

}  // namespace atiende::exports
