#include "privacy/types.h"

namespace atiende::privacy {

bool is_identifier_type(std::string_view type) {
  return type == "EMAIL" || type == "PHONE" || type == "CREDIT_CARD" || type == "IBAN" ||
         type == "ES_DNI" || type == "ES_NIE" || type == "ES_CIF" || type == "CO_NIT" ||
         type == "CO_CC" || type == "CO_CE" || type == "IMEI" || type == "ICCID" ||
         type == "IP_ADDRESS" || type == "MAC_ADDRESS" || type == "CUSTOMER_ID" ||
         type == "CONTRACT_ID";
}

const std::vector<std::string>& builtin_entity_types() {
  static const std::vector<std::string> types = {
      "PERSON", "EMAIL", "PHONE", "ADDRESS", "URL", "IP_ADDRESS", "MAC_ADDRESS", "CREDIT_CARD",
      "IBAN", "ES_DNI", "ES_NIE", "ES_CIF", "CO_NIT", "CO_CC", "CO_CE", "IMEI", "ICCID",
      "DATE_OF_BIRTH", "CUSTOMER_ID", "CONTRACT_ID"};
  return types;
}

}  // namespace atiende::privacy
