#pragma once
/// The Anonymizer: detection (Analyzer) + operators + structured records. This is the object the
/// ingest pipeline and the CLI use.
///
/// Records are JSON objects such as one JSONL line of data/demo/tickets.jsonl:
///   {"id","title","text","type":"ticket"|"chat"|"transcript"|...,"metadata":{...},
///    "turns":[{"role":"customer|agent","text"}]}
/// Every string value (nested objects and arrays included, so every turn's text and every
/// metadata value) is anonymized in place, except structural keys (`privacy.skip_fields`: id,
/// type, role, lang, status, channel, timestamps...). `privacy.text_fields` (or --fields) limits
/// the scan to the listed fields ("text", "title", "metadata.notes", "turns.text").
/// Declared PII fields (`privacy.fields`, e.g. customer_name = "PERSON", or "metadata.phone") are
/// replaced whole, and their values are also replaced wherever they occur in the free text of the
/// same record. Ids ("id") are kept as given.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "privacy/analyzer.h"
#include "privacy/cleaning.h"
#include "privacy/operators.h"

namespace atiende::privacy {

/// Config keys (section [privacy]) besides the analyzer ones:
///   lang ("es"), default_operator ("replace"), operators (table TYPE = "op", e.g.
///   CREDIT_CARD = "mask:4"), fields (table field = "TYPE"), text_fields (list), skip_fields,
///   ingest_types (list; default ["ticket","chat","transcript"]; add "doc", "faq" to cover
///   them), clean (bool, default true: clean records of ingest types).
/// Secrets come from the environment only: ATIENDE_PRIVACY_HMAC_KEY,
/// ATIENDE_PRIVACY_ENCRYPTION_KEY, ATIENDE_PRIVACY_CORPUS_KEY.
struct AnonymizerOptions {
  AnalyzerOptions analyzer;
  std::string lang = "es";
  OperatorSpec default_operator;
  std::map<std::string, OperatorSpec> operators;
  std::map<std::string, std::string> pii_fields;
  std::vector<std::string> text_fields;  ///< empty = every string except skip_fields
  std::vector<std::string> skip_fields{"id",         "type",       "role",     "lang",
                                       "language",   "status",     "channel",  "category",
                                       "priority",   "created_at", "updated_at", "timestamp",
                                       "source",     "intent",     "product",  "plan"};
  std::vector<std::string> ingest_types{"ticket", "chat", "transcript"};
  bool clean = true;
};

Result<AnonymizerOptions> anonymizer_options_from_config(const Config& config);

/// Spans found in one field of a record. `field` is "text", "title", "turns[2].text",
/// "metadata.customer_name", or a CSV column name.
struct FieldSpans {
  std::string field;
  std::vector<PiiSpan> spans;  ///< offsets into the ORIGINAL field text
};

struct RecordResult {
  std::string json;               ///< the anonymized record (compact JSON)
  std::vector<FieldSpans> fields; ///< only fields with at least one span
  size_t turns_dropped = 0;       ///< by cleaning
};

/// A flat record view for callers that do not hold JSON (the ingest pipeline).
struct RecordView {
  std::string type;                          ///< ticket, chat, transcript, doc, faq...
  std::string title;
  std::string text;
  std::vector<Turn> turns;
  std::vector<std::string> pages;            ///< PDF pages, anonymized like text
  std::string language;                      ///< "es" | "en" when known (else privacy.lang)
  /// A JSON object as text: every string value in it is anonymized too, and declared PII fields
  /// (`privacy.fields`, matched by key or "metadata.<key>") are replaced whole.
  std::string metadata_json = "{}";
};

/// Immutable after create(); all methods are const and thread-safe.
class Anonymizer {
 public:
  /// Fails at start-up when an operator needs a key that `env` does not have (the message names
  /// the variable) or when the analyzer options are bad.
  static Result<std::unique_ptr<Anonymizer>> create(const AnonymizerOptions& options,
                                                    const EnvLookup& env);
  static Result<std::unique_ptr<Anonymizer>> from_config(const Config& config);
  ~Anonymizer();

  const Analyzer& analyzer() const { return *analyzer_; }
  const AnonymizerOptions& options() const { return options_; }

  /// A pseudonym scope: call once per document (or once per corpus run when a corpus key is set;
  /// keyed tokens are identical either way).
  PseudonymScope new_scope() const { return PseudonymScope(keys_.corpus_key); }

  /// The operator for an entity type (per-type override or the default).
  const OperatorSpec& operator_for(std::string_view type) const;

  /// Anonymizes `text` with the spans already resolved (offsets into `text`).
  Result<std::string> apply(std::string_view text, const std::vector<PiiSpan>& spans,
                            PseudonymScope& scope) const;

  /// Detects and anonymizes one text. `spans_out` (optional) receives the spans found.
  Result<std::string> anonymize_text(std::string_view text, PseudonymScope& scope,
                                     std::vector<PiiSpan>* spans_out = nullptr) const;

  /// Anonymizes one JSON record (see the header comment). `clean` also strips greetings and
  /// signatures and drops noise/duplicate turns. `detect_only` leaves the text unchanged and
  /// only reports spans. Bad JSON or a non-object is invalid_argument.
  Result<RecordResult> anonymize_record_json(std::string_view json, PseudonymScope& scope,
                                             bool clean = false, bool detect_only = false) const;

  /// True when records of this type are anonymized by ingest (config `privacy.ingest_types`).
  bool applies_to_type(std::string_view record_type) const;

  /// The ingest hook: when `record.type` is covered (or `check_type` is false, for callers that
  /// already filtered by type), cleans (per config: greetings, signatures, noise and duplicate
  /// turns) and anonymizes title, text, pages, every turn and every metadata string in place,
  /// with one pseudonym scope per record; otherwise leaves it as is. Roles are kept. Returns the
  /// number of spans replaced. Error messages never contain raw text.
  Result<size_t> anonymize_record(RecordView& record, bool check_type = true) const;

 private:
  Anonymizer() = default;
  AnonymizerOptions options_;
  OperatorKeys keys_;
  std::unique_ptr<Analyzer> analyzer_;
};

}  // namespace atiende::privacy
