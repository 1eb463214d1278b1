#pragma once
/// Check-digit validators for identifiers. All take the raw candidate and ignore separators
/// (spaces, dots, dashes) unless stated otherwise. Pure functions, thread-safe.

#include <string>
#include <string_view>

namespace atiende::privacy {

/// Keeps only ASCII digits.
std::string digits_only(std::string_view s);
/// Keeps ASCII letters and digits, upper-cased.
std::string alnum_upper(std::string_view s);

/// Luhn (mod 10) over the digits of `s`; false when fewer than 2 digits.
bool luhn_valid(std::string_view s);
/// The Luhn check digit that completes `payload_digits` (digits only).
int luhn_check_digit(std::string_view payload_digits);

/// Payment card: 13–19 digits, Luhn, and a known issuer prefix (Visa, Mastercard, Amex, Diners,
/// Discover, JCB, UnionPay, Maestro).
bool credit_card_valid(std::string_view s);

/// IBAN: known country, exact length for that country, mod-97 == 1.
bool iban_valid(std::string_view s);
/// Expected IBAN length for a 2-letter country code; 0 when unknown.
int iban_length_for_country(std::string_view country);

/// Spanish DNI: 8 digits + control letter (mod 23).
bool es_dni_valid(std::string_view s);
/// Spanish NIE: X/Y/Z + 7 digits + control letter (mod 23 after mapping X=0, Y=1, Z=2).
bool es_nie_valid(std::string_view s);
/// The DNI control letter for a number in [0, 99999999].
char es_dni_letter(long number);
/// Spanish CIF: organisation letter + 7 digits + control digit or letter.
bool es_cif_valid(std::string_view s);

/// Colombian NIT check digit (DIAN weights) for the base number digits; -1 on bad input.
int co_nit_dv(std::string_view base_digits);
/// "900123456-7" style (any separators): the last digit must equal co_nit_dv(the rest).
bool co_nit_valid(std::string_view s);

/// IMEI: exactly 15 digits and Luhn.
bool imei_valid(std::string_view s);
/// ICCID: 19 or 20 digits starting with "89" and Luhn.
bool iccid_valid(std::string_view s);

}  // namespace atiende::privacy
