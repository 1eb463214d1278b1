#include "app/ingest_privacy.h"

#include <memory>

#include "privacy/anonymizer.h"

namespace atiende::app {

Result<ingest::RecordTransform> make_ingest_transform(const Config& config) {
  auto anonymizer = privacy::Anonymizer::from_config(config);
  if (!anonymizer.ok()) return anonymizer.status().with_context("privacy");
  std::shared_ptr<const privacy::Anonymizer> shared = std::move(*anonymizer);
  return ingest::RecordTransform([shared](ingest::SourceRecord& record) -> Status {
    privacy::RecordView view;
    view.type = record.type;
    view.title = std::move(record.title);
    view.text = std::move(record.text);
    view.pages = std::move(record.pages);
    view.language = record.language;
    view.metadata_json = std::move(record.metadata_json);
    view.turns.reserve(record.turns.size());
    for (auto& t : record.turns) view.turns.push_back({std::move(t.role), std::move(t.text)});
    // ingest already chose the types (ingest.anonymize_types): anonymize whatever it hands us.
    auto replaced = shared->anonymize_record(view, /*check_type=*/false);
    if (!replaced.ok()) {
      // Never echo raw text: the status names the field and byte offset only.
      return replaced.status().with_context("anonymizing record '" + record.id + "'");
    }
    record.title = std::move(view.title);
    record.text = std::move(view.text);
    record.pages = std::move(view.pages);
    record.metadata_json = view.metadata_json.empty() ? "{}" : std::move(view.metadata_json);
    record.turns.clear();
    for (auto& t : view.turns) record.turns.push_back({std::move(t.role), std::move(t.text)});
    return {};
  });
}

}  // namespace atiende::app
