#pragma once
/// Core value types of the privacy module: detected PII spans and entity type names.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace atiende::privacy {

/// One detected piece of PII in a text.
/// Offsets are half-open [start, end). `start`/`end` count Unicode code points (the API contract);
/// `start_byte`/`end_byte` count UTF-8 bytes into the same text.
struct PiiSpan {
  size_t start = 0;       ///< code points
  size_t end = 0;         ///< code points, exclusive
  size_t start_byte = 0;  ///< bytes
  size_t end_byte = 0;    ///< bytes, exclusive
  std::string type;       ///< entity type, e.g. "PERSON", "PHONE", "ES_DNI"
  double score = 0.0;     ///< confidence in [0, 1]
  std::string recognizer; ///< name of the recognizer that produced it
  /// Canonical form of the value used for consistent pseudonyms (E.164 for phones, digits only for
  /// IDs, case-folded for names). Raw PII: never persist or log it.
  std::string normalized;
};

/// Entity types that count as "identifiers" for the quality targets (checksummed or
/// machine-formatted values: email, phone, IDs, cards, IBAN, IMEI/ICCID).
bool is_identifier_type(std::string_view type);

/// Every entity type the built-in recognizers can emit, in a stable order.
const std::vector<std::string>& builtin_entity_types();

}  // namespace atiende::privacy
