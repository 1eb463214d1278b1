// PHONE: RE2 finds digit clusters (linear time); libphonenumber's matcher validates them for the
// configured regions and normalizes to E.164, so "300 123 4567" and "+57 3001234567" get the
// same pseudonym.

#include <algorithm>
#include <cstring>
#include <set>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumbermatch.h>
#include <phonenumbers/phonenumbermatcher.h>
#include <phonenumbers/phonenumberutil.h>

#include "privacy/recognizer.h"
#include "privacy/regex_util.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberMatch;
using i18n::phonenumbers::PhoneNumberMatcher;
using i18n::phonenumbers::PhoneNumberUtil;

class PhoneRecognizer final : public Recognizer {
 public:
  explicit PhoneRecognizer(std::vector<std::string> regions)
      : regions_(std::move(regions)),
        cluster_(R"(\+?\(?\d[\d \t().\-/]{5,28}\d)", internal::regex_options()),
        thousands_(R"(\d{1,3}(?:\.\d{3})+)", internal::regex_options()),
        ipv4_(R"(\d{1,3}(?:\.\d{1,3}){3})", internal::regex_options()),
        context_({"telefono", "tel", "tel.", "celular", "cel", "movil", "whatsapp", "llamar",
                  "llamame", "llamenme", "contacto", "fijo", "linea", "numero", "phone", "mobile",
                  "call", "marcar", "sms", "mensaje"}),
        blockers_({"orden", "pedido", "factura", "radicado", "ticket", "caso", "referencia",
                    "contrato", "order", "invoice", "reference"}) {
    if (regions_.empty()) regions_ = {"CO", "ES"};
    // Without a "+", a cluster shorter than every region's national numbers cannot hold a phone:
    // CO numbers have 10 digits, ES 9; other regions keep the E.164 floor of 7.
    min_national_digits_ = 99;
    for (const auto& region : regions_) {
      const size_t digits = region == "CO" ? 10 : region == "ES" ? 9 : 7;
      min_national_digits_ = std::min(min_national_digits_, digits);
    }
  }
  std::string_view name() const override { return "phone"; }
  Needs needs() const override { return Needs::kDigit; }

  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
    internal::for_each_match(cluster_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && std::isalnum(static_cast<unsigned char>(text[s - 1]))) return;
      if (e < text.size() && std::isalnum(static_cast<unsigned char>(text[e]))) return;
      size_t cluster_digits = 0;
      for (size_t k = s; k < e; ++k) cluster_digits += (text[k] >= '0' && text[k] <= '9') ? 1 : 0;
      if (cluster_digits < 7) return;  // no phone number is shorter; skip prices, dates, versions
      // One unbroken run of 13+ digits is a card, IMEI or ICCID; "1.899.900" is an amount or a
      // cédula. Neither is worth libphonenumber's (ICU regex) time.
      if (cluster_digits >= 13 && cluster_digits == e - s) return;
      const bool plus = std::memchr(text.data() + s, '+', e - s) != nullptr;
      if (!plus && cluster_digits < min_national_digits_) return;  // "6499900", "1.899.900"
      // "(1.899.900" is an amount in parentheses; "192.168.1.1" an IPv4 address.
      size_t body = s;
      while (body < e && (text[body] == '(' || text[body] == ' ')) ++body;
      const re2::StringPiece rest(text.data() + body, e - body);
      if (re2::RE2::FullMatch(rest, thousands_) || re2::RE2::FullMatch(rest, ipv4_)) return;
      const std::string cluster(text.substr(s, e - s));
      std::set<std::pair<size_t, size_t>> seen;
      size_t digits_found = 0;
      for (const auto& region : regions_) {
        // Every digit already inside a number found for an earlier region: done.
        if (digits_found >= cluster_digits) break;
        PhoneNumberMatcher matcher(util, cluster, region, PhoneNumberMatcher::VALID, 20);
        PhoneNumberMatch match;
        while (matcher.HasNext()) {
          if (!matcher.Next(&match)) break;
          const size_t ms = s + static_cast<size_t>(match.start());
          const size_t me = ms + match.raw_string().size();
          if (!seen.insert({ms, me}).second) continue;
          const std::string digits_raw = match.raw_string();
          size_t digit_count = 0;
          for (char c : digits_raw) digit_count += (c >= '0' && c <= '9') ? 1 : 0;
          if (digit_count < 7) continue;
          digits_found += digit_count;
          std::string e164;
          util.Format(match.number(), PhoneNumberUtil::E164, &e164);
          size_t d_context = 0;
          size_t d_block = 0;
          const bool context = context_.found_near(text, ms, me, 40, 0, &d_context);
          // "número de orden 3001245789": a reference number that happens to be a valid mobile.
          if (digits_raw[0] != '+' && blockers_.found_near(text, ms, me, 25, 0, &d_block) &&
              (!context || d_block < d_context)) {
            continue;
          }
          double score = 0.7;
          if (digits_raw[0] == '+' || context) score = 0.9;
          // "(+57) 310…": the opening parenthesis belongs to the number.
          const bool open_paren = digits_raw[0] == '+' && ms > 0 && text[ms - 1] == '(' &&
                                  digits_raw.find(')') != std::string::npos;
          PiiSpan span;
          span.start_byte = open_paren ? ms - 1 : ms;
          span.end_byte = me;
          span.type = "PHONE";
          span.score = score;
          span.recognizer = std::string(name());
          span.normalized = e164;
          out.push_back(std::move(span));
        }
      }
    });
  }

 private:
  std::vector<std::string> regions_;
  size_t min_national_digits_ = 7;
  re2::RE2 cluster_, thousands_, ipv4_;
  internal::ContextWords context_, blockers_;
};

}  // namespace

std::unique_ptr<Recognizer> make_phone_recognizer(std::vector<std::string> regions) {
  return std::make_unique<PhoneRecognizer>(std::move(regions));
}

}  // namespace atiende::privacy
