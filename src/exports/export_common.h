#pragma once
/// Internal helpers shared by the SFT and preference exports (not part of the module's API).

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/json.h"
#include "exports/exports.h"
#include "privacy/anonymizer.h"

namespace atiende::exports::detail {

/// Checks the deps and range, then calls `visit` for every session created in the options' range
/// whose customer consented, oldest first, a page at a time. Counts `sessions` and `no_consent`
/// in the returned report; `visit` counts the rest. A `visit` error stops the run.
Result<ExportReport> for_each_consenting_session(
    const ExportDeps& deps, const ExportOptions& options,
    const std::function<Status(const store::Session&, ExportReport&)>& visit);

/// Anonymizes the texts of one record with one pseudonym scope; std::nullopt when any fails.
class RecordAnonymizer {
 public:
  explicit RecordAnonymizer(const privacy::Anonymizer& anonymizer)
      : anonymizer_(anonymizer), scope_(anonymizer.new_scope()) {}
  std::optional<std::string> operator()(std::string_view text);

 private:
  const privacy::Anonymizer& anonymizer_;
  privacy::PseudonymScope scope_;
};

/// Remembers records by the SHA-256 of their case- and space-folded texts.
class Deduplicator {
 public:
  /// True the first time these texts (in this order) are seen.
  bool first_time(const std::vector<std::string>& texts);

 private:
  std::set<std::string> seen_;
};

/// The provenance fields common to every record: source, kind, session_id, exported_at,
/// language, channel, variant.
Json base_provenance(std::string_view kind, const store::Session& session,
                     const std::string& exported_at);

}  // namespace atiende::exports::detail
