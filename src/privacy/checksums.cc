#include "privacy/checksums.h"

#include <array>
#include <cctype>
#include <cstring>

namespace atiende::privacy {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

struct IbanCountry {
  const char* code;
  int length;
};

// SWIFT IBAN registry lengths (subset covering Europe, the Americas and the Middle East).
constexpr std::array<IbanCountry, 80> kIbanCountries{{
    {"AD", 24}, {"AE", 23}, {"AL", 28}, {"AT", 20}, {"AZ", 28}, {"BA", 20}, {"BE", 16},
    {"BG", 22}, {"BH", 22}, {"BR", 29}, {"BY", 28}, {"CH", 21}, {"CR", 22}, {"CY", 28},
    {"CZ", 24}, {"DE", 22}, {"DK", 18}, {"DO", 28}, {"EE", 20}, {"EG", 29}, {"ES", 24},
    {"FI", 18}, {"FO", 18}, {"FR", 27}, {"GB", 22}, {"GE", 22}, {"GI", 23}, {"GL", 18},
    {"GR", 27}, {"GT", 28}, {"HR", 21}, {"HU", 28}, {"IE", 22}, {"IL", 23}, {"IQ", 23},
    {"IS", 26}, {"IT", 27}, {"JO", 30}, {"KW", 30}, {"KZ", 20}, {"LB", 28}, {"LC", 32},
    {"LI", 21}, {"LT", 20}, {"LU", 20}, {"LV", 21}, {"MC", 27}, {"MD", 24}, {"ME", 22},
    {"MK", 19}, {"MR", 27}, {"MT", 31}, {"MU", 30}, {"NL", 18}, {"NO", 15}, {"PK", 24},
    {"PL", 28}, {"PS", 29}, {"PT", 25}, {"QA", 29}, {"RO", 24}, {"RS", 22}, {"SA", 24},
    {"SC", 31}, {"SE", 24}, {"SI", 19}, {"SK", 24}, {"SM", 27}, {"ST", 25}, {"SV", 28},
    {"TL", 23}, {"TN", 24}, {"TR", 26}, {"UA", 29}, {"VA", 22}, {"VG", 24}, {"XK", 20},
    {"LY", 25}, {"SD", 18}, {"BI", 27},
}};

constexpr const char* kDniLetters = "TRWAGMYFPDXBNJZSQVHLCKE";

}  // namespace

std::string digits_only(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (is_digit(c)) out.push_back(c);
  }
  return out;
}

std::string alnum_upper(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::toupper(u)));
  }
  return out;
}

bool luhn_valid(std::string_view s) {
  const std::string d = digits_only(s);
  if (d.size() < 2) return false;
  int sum = 0;
  bool dbl = false;
  for (size_t i = d.size(); i-- > 0;) {
    int v = d[i] - '0';
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return sum % 10 == 0;
}

int luhn_check_digit(std::string_view payload_digits) {
  int sum = 0;
  bool dbl = true;  // the rightmost payload digit is doubled once the check digit is appended
  for (size_t i = payload_digits.size(); i-- > 0;) {
    if (!is_digit(payload_digits[i])) return -1;
    int v = payload_digits[i] - '0';
    if (dbl) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
    dbl = !dbl;
  }
  return (10 - sum % 10) % 10;
}

bool credit_card_valid(std::string_view s) {
  const std::string d = digits_only(s);
  const size_t n = d.size();
  if (n < 13 || n > 19 || !luhn_valid(d)) return false;
  auto prefix = [&d](size_t len) { return std::stoi(d.substr(0, len)); };  // digits only: safe
  const int p1 = d[0] - '0';
  const int p2 = prefix(2);
  const int p4 = prefix(4);
  const int p6 = prefix(6);
  if (p1 == 4) return n == 13 || n == 16 || n == 19;                          // Visa
  if ((p2 >= 51 && p2 <= 55) || (p6 >= 222100 && p6 <= 272099)) return n == 16;  // Mastercard
  if (p2 == 34 || p2 == 37) return n == 15;                                   // Amex
  if (p2 == 36 || p2 == 38 || (p6 >= 300000 && p6 <= 305999)) return n >= 14 && n <= 19;  // Diners
  if (p4 == 6011 || p2 == 65 || (p6 >= 644000 && p6 <= 649999)) return n >= 16;           // Discover
  if (p4 >= 3528 && p4 <= 3589) return n >= 16;                                        // JCB
  if (p2 == 62) return n >= 16;                                                        // UnionPay
  if (p2 == 50 || (p2 >= 56 && p2 <= 58) || p1 == 6) return n >= 12;                   // Maestro
  return false;
}

int iban_length_for_country(std::string_view country) {
  if (country.size() != 2) return 0;
  for (const auto& c : kIbanCountries) {
    if (country[0] == c.code[0] && country[1] == c.code[1]) return c.length;
  }
  return 0;
}

bool iban_valid(std::string_view s) {
  const std::string iban = alnum_upper(s);
  if (iban.size() < 15 || iban.size() > 34) return false;
  if (!std::isupper(static_cast<unsigned char>(iban[0])) ||
      !std::isupper(static_cast<unsigned char>(iban[1])) || !is_digit(iban[2]) ||
      !is_digit(iban[3])) {
    return false;
  }
  const int expected = iban_length_for_country(std::string_view(iban).substr(0, 2));
  if (expected == 0 || static_cast<int>(iban.size()) != expected) return false;
  const std::string rearranged = iban.substr(4) + iban.substr(0, 4);
  int remainder = 0;
  for (char c : rearranged) {
    if (is_digit(c)) {
      remainder = (remainder * 10 + (c - '0')) % 97;
    } else {
      const int v = c - 'A' + 10;
      remainder = (remainder * 100 + v) % 97;
    }
  }
  return remainder == 1;
}

char es_dni_letter(long number) {
  if (number < 0) return '?';
  return kDniLetters[number % 23];
}

bool es_dni_valid(std::string_view s) {
  const std::string v = alnum_upper(s);
  if (v.size() != 9) return false;
  long number = 0;
  for (size_t i = 0; i < 8; ++i) {
    if (!is_digit(v[i])) return false;
    number = number * 10 + (v[i] - '0');
  }
  return es_dni_letter(number) == v[8];
}

bool es_nie_valid(std::string_view s) {
  const std::string v = alnum_upper(s);
  if (v.size() != 9) return false;
  long number = 0;
  switch (v[0]) {
    case 'X': number = 0; break;
    case 'Y': number = 1; break;
    case 'Z': number = 2; break;
    default: return false;
  }
  for (size_t i = 1; i < 8; ++i) {
    if (!is_digit(v[i])) return false;
    number = number * 10 + (v[i] - '0');
  }
  return es_dni_letter(number) == v[8];
}

bool es_cif_valid(std::string_view s) {
  const std::string v = alnum_upper(s);
  if (v.size() != 9) return false;
  const char org = v[0];
  if (std::strchr("ABCDEFGHJNPQRSUVW", org) == nullptr) return false;
  int even = 0;
  int odd = 0;
  for (size_t i = 1; i <= 7; ++i) {
    if (!is_digit(v[i])) return false;
    const int d = v[i] - '0';
    if (i % 2 == 0) {
      even += d;
    } else {
      const int dd = d * 2;
      odd += dd / 10 + dd % 10;
    }
  }
  const int control = (10 - (even + odd) % 10) % 10;
  const char letter = "JABCDEFGHI"[control];
  const char last = v[8];
  const bool letter_only = std::strchr("KPQRSNW", org) != nullptr;
  const bool digit_only = std::strchr("ABEH", org) != nullptr;
  if (is_digit(last)) return !letter_only && last - '0' == control;
  return !digit_only && last == letter;
}

int co_nit_dv(std::string_view base_digits) {
  static constexpr std::array<int, 15> kWeights{3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71};
  if (base_digits.empty() || base_digits.size() > kWeights.size()) return -1;
  int sum = 0;
  size_t w = 0;
  for (size_t i = base_digits.size(); i-- > 0; ++w) {
    if (!is_digit(base_digits[i])) return -1;
    sum += (base_digits[i] - '0') * kWeights[w];
  }
  const int r = sum % 11;
  return r <= 1 ? r : 11 - r;
}

bool co_nit_valid(std::string_view s) {
  const std::string d = digits_only(s);
  if (d.size() < 9 || d.size() > 16) return false;
  return co_nit_dv(std::string_view(d).substr(0, d.size() - 1)) == d.back() - '0';
}

bool imei_valid(std::string_view s) {
  const std::string d = digits_only(s);
  return d.size() == 15 && luhn_valid(d);
}

bool iccid_valid(std::string_view s) {
  const std::string d = digits_only(s);
  return (d.size() == 19 || d.size() == 20) && d[0] == '8' && d[1] == '9' && luhn_valid(d);
}

}  // namespace atiende::privacy
