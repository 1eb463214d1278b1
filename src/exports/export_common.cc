#include "exports/export_common.h"

#include "common/crypto.h"
#include "common/strings.h"

namespace atiende::exports::detail {

Result<ExportReport> for_each_consenting_session(
    const ExportDeps& deps, const ExportOptions& options,
    const std::function<Status(const store::Session&, ExportReport&)>& visit) {
  if (!deps.conversations || !deps.anonymizer || !deps.clock) {
    return Status::invalid_argument("export needs the conversation store, anonymizer and clock");
  }
  if (options.to_ms <= options.from_ms) {
    return Status::invalid_argument("export range is empty (to must be after from)");
  }
  ExportReport report;
  store::SessionQuery query;
  query.from_ms = options.from_ms;
  query.to_ms = options.to_ms;
  query.limit = 500;
  for (;;) {
    ATIENDE_ASSIGN_OR_RETURN(std::vector<store::Session> page,
                             deps.conversations->list_sessions(query));
    for (const auto& session : page) {
      ++report.sessions;
      if (!session.consent) {
        ++report.no_consent;
        continue;
      }
      ATIENDE_RETURN_IF_ERROR(visit(session, report));
    }
    if (static_cast<int64_t>(page.size()) < query.limit) return report;
    query.offset += query.limit;
  }
}

std::optional<std::string> RecordAnonymizer::operator()(std::string_view text) {
  if (text.empty()) return std::string();
  auto safe = anonymizer_.anonymize_text(text, scope_);
  if (!safe.ok()) return std::nullopt;
  return std::move(*safe);
}

bool Deduplicator::first_time(const std::vector<std::string>& texts) {
  std::string folded;
  for (const auto& text : texts) {
    bool space = false;
    for (char c : ascii_lower(trim(text))) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        space = true;
        continue;
      }
      if (space) folded.push_back(' ');
      space = false;
      folded.push_back(c);
    }
    folded.push_back('\x1e');  // record separator: ["ab","c"] differs from ["a","bc"]
  }
  return seen_.insert(sha256(folded)).second;
}

Json base_provenance(std::string_view kind, const store::Session& session,
                     const std::string& exported_at) {
  return Json{{"source", "atiende"},      {"kind", kind},
              {"session_id", session.id}, {"exported_at", exported_at},
              {"language", session.language}, {"channel", session.channel},
              {"variant", session.variant}};
}

}  // namespace atiende::exports::detail
