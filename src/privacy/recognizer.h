#pragma once
/// The Recognizer interface and the factories of the built-in recognizers.
///
/// A recognizer finds one family of PII in a text and appends spans with BYTE offsets
/// (`start_byte`, `end_byte`); the Analyzer fills the code point offsets, applies the threshold
/// and resolves overlaps. Recognizers are immutable after construction and thread-safe.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "privacy/types.h"

namespace atiende::privacy {

class Gazetteer;

/// Finds PII of one family (for example every checksummed Spanish ID).
class Recognizer {
 public:
  virtual ~Recognizer() = default;
  /// Stable name reported in PiiSpan::recognizer, e.g. "phone", "es_id".
  virtual std::string_view name() const = 0;
  /// Appends spans found in `text` (valid UTF-8) to `out`, with byte offsets and scores.
  /// `lang` is "es" or "en"; recognizers may use it to pick context words.
  virtual void detect(std::string_view text, std::string_view lang,
                      std::vector<PiiSpan>& out) const = 0;
  /// What a text must contain for this recognizer to find anything; the Analyzer skips it
  /// otherwise (a cheap prefilter: most prose has no '@' and many paragraphs no digit).
  enum class Needs { kNothing, kDigit, kAt };
  virtual Needs needs() const { return Needs::kNothing; }
};

/// A config-declared regex recognizer (CUSTOMER_ID, CONTRACT_ID, ...).
struct CustomRecognizerSpec {
  std::string type;                   ///< entity type, e.g. "CUSTOMER_ID"
  std::string pattern;                ///< RE2 syntax; group 1 (if any) is the value
  std::vector<std::string> context;   ///< context words; empty = no context required
  double score = 0.85;                ///< score when context is found (or not required)
  double score_without_context = 0.0; ///< score when context is required but missing
};

/// Built-in recognizers. Each factory fails only on an internal pattern error.
std::unique_ptr<Recognizer> make_email_recognizer();
std::unique_ptr<Recognizer> make_url_recognizer(std::vector<std::string> allowed_domains);
std::unique_ptr<Recognizer> make_network_recognizer();  ///< IP_ADDRESS (v4/v6), MAC_ADDRESS
std::unique_ptr<Recognizer> make_financial_recognizer();  ///< CREDIT_CARD, IBAN
std::unique_ptr<Recognizer> make_es_id_recognizer();  ///< ES_DNI, ES_NIE, ES_CIF
std::unique_ptr<Recognizer> make_co_id_recognizer();  ///< CO_NIT, CO_CC, CO_CE
std::unique_ptr<Recognizer> make_device_recognizer();  ///< IMEI, ICCID
std::unique_ptr<Recognizer> make_date_of_birth_recognizer();
std::unique_ptr<Recognizer> make_address_recognizer();
/// PHONE via libphonenumber for `regions` (ISO 3166 codes such as "CO", "ES").
std::unique_ptr<Recognizer> make_phone_recognizer(std::vector<std::string> regions);
/// PERSON from gazetteers, context patterns and capitalized sequences. `gazetteer` must outlive it.
std::unique_ptr<Recognizer> make_person_recognizer(const Gazetteer& gazetteer);
/// Custom regex recognizer; invalid_argument naming the type when the pattern does not compile.
Result<std::unique_ptr<Recognizer>> make_custom_recognizer(const CustomRecognizerSpec& spec);

/// The default CUSTOMER_ID / CONTRACT_ID declarations (UnaEmpresa formats such as "CLI-0012345"
/// and "CTR-2024-000123"), used when config declares none.
std::vector<CustomRecognizerSpec> default_custom_recognizers();

}  // namespace atiende::privacy
