// Regex + checksum recognizers: EMAIL, URL, IP_ADDRESS, MAC_ADDRESS, CREDIT_CARD, IBAN,
// ES_DNI/ES_NIE/ES_CIF, CO_NIT/CO_CC/CO_CE, IMEI/ICCID, DATE_OF_BIRTH and custom regexes.

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <functional>

#include "privacy/checksums.h"
#include "privacy/recognizer.h"
#include "privacy/regex_util.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

using internal::ascii_boundary;
using internal::ContextWords;
using internal::for_each_match;
using internal::regex_options;

PiiSpan make_span(size_t start, size_t end, std::string type, double score,
                  std::string_view recognizer, std::string normalized) {
  PiiSpan s;
  s.start_byte = start;
  s.end_byte = end;
  s.type = std::move(type);
  s.score = score;
  s.recognizer = std::string(recognizer);
  s.normalized = std::move(normalized);
  return s;
}

bool is_sep(char c) { return c == ' ' || c == '-' || c == '.' || c == '/'; }

/// The longest prefix of text[start, end) that ends right before a separator (or at `end`) and
/// passes `valid`; 0 when none does. Handles greedy matches that swallowed a following number.
size_t longest_valid_prefix(std::string_view text, size_t start, size_t end,
                            const std::function<bool(std::string_view)>& valid) {
  for (size_t e = end; e > start; --e) {
    if (e != end && !is_sep(text[e])) continue;
    size_t trimmed = e;
    while (trimmed > start && is_sep(text[trimmed - 1])) --trimmed;
    if (trimmed == start) break;
    if (valid(text.substr(start, trimmed - start))) return trimmed;
  }
  return 0;
}

// ---------------------------------------------------------------------------------------------
class EmailRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kAt; }
  EmailRecognizer()
      : re_(R"([\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,})",
            regex_options()) {}
  std::string_view name() const override { return "email"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(re_, text, [&](size_t s, size_t e, size_t, size_t) {
      while (s < e && text[s] == '.') ++s;
      out.push_back(make_span(s, e, "EMAIL", 0.95, name(), internal::fold(text.substr(s, e - s))));
    });
  }

 private:
  re2::RE2 re_;
};

// ---------------------------------------------------------------------------------------------
class UrlRecognizer final : public Recognizer {
 public:
  explicit UrlRecognizer(std::vector<std::string> allowed)
      : re_(R"((?i)\b(?:https?://|www\.)[^\s<>"'()\[\]{}]+)", regex_options()),
        allowed_(std::move(allowed)) {}
  std::string_view name() const override { return "url"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    // Every match starts with "http(s)://" or "www." (any case): skip texts without either.
    if (text.find("://") == std::string_view::npos && text.find("ww.") == std::string_view::npos &&
        text.find("WW.") == std::string_view::npos && text.find("Ww.") == std::string_view::npos &&
        text.find("wW.") == std::string_view::npos) {
      return;
    }
    for_each_match(re_, text, [&](size_t s, size_t e, size_t, size_t) {
      while (e > s && std::string_view(".,;:!?").find(text[e - 1]) != std::string_view::npos) --e;
      const std::string url = internal::fold(text.substr(s, e - s));
      for (const auto& domain : allowed_) {
        const size_t at = url.find(domain);
        if (at != std::string::npos &&
            (at == 0 || url[at - 1] == '.' || url[at - 1] == '/')) {
          return;
        }
      }
      out.push_back(make_span(s, e, "URL", 0.6, name(), url));
    });
  }

 private:
  re2::RE2 re_;
  std::vector<std::string> allowed_;
};

// ---------------------------------------------------------------------------------------------
class NetworkRecognizer final : public Recognizer {
 public:
  NetworkRecognizer()
      : v4_(R"(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})", regex_options()),
        v6_(R"([0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.\d{1,3}){0,3})", regex_options()),
        mac_(R"([0-9A-Fa-f]{2}(?:[:\-][0-9A-Fa-f]{2}){5})", regex_options()),
        context_({"ip", "direccion ip", "mac", "router", "modem", "ip address"}) {}
  std::string_view name() const override { return "network"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    // Cheap guards before the scans: an IPv4 address has 3 dots, an IPv6 one at least 2 colons,
    // a MAC address 5 colons or dashes.
    const auto count = [&](char c) { return std::count(text.begin(), text.end(), c); };
    const auto colons = count(':');
    if (count('.') >= 3) detect_v4(text, out);
    if (colons >= 2) detect_v6(text, out);
    if (colons + count('-') >= 5) detect_mac(text, out);
  }

 private:
  void detect_v4(std::string_view text, std::vector<PiiSpan>& out) const {
    for_each_match(v4_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e) || (s > 0 && text[s - 1] == '.') ||
          (e < text.size() && text[e] == '.' && e + 1 < text.size() && std::isdigit(
              static_cast<unsigned char>(text[e + 1])))) {
        return;
      }
      const std::string candidate(text.substr(s, e - s));
      in_addr addr{};
      if (inet_pton(AF_INET, candidate.c_str(), &addr) != 1) return;
      const double score = context_.found_near(text, s, e, 40, 0) ? 0.9 : 0.75;
      out.push_back(make_span(s, e, "IP_ADDRESS", score, name(), candidate));
    });
  }
  void detect_v6(std::string_view text, std::vector<PiiSpan>& out) const {
    for_each_match(v6_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (e - s < 6 || !ascii_boundary(text, s, e)) return;
      const std::string candidate(text.substr(s, e - s));
      if (std::count(candidate.begin(), candidate.end(), ':') < 2) return;
      in6_addr addr{};
      if (inet_pton(AF_INET6, candidate.c_str(), &addr) != 1) return;
      out.push_back(make_span(s, e, "IP_ADDRESS", 0.8, name(), internal::fold(candidate)));
    });
  }
  void detect_mac(std::string_view text, std::vector<PiiSpan>& out) const {
    for_each_match(mac_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e)) return;
      std::string norm = internal::fold(text.substr(s, e - s));
      std::replace(norm.begin(), norm.end(), '-', ':');
      out.push_back(make_span(s, e, "MAC_ADDRESS", 0.85, name(), norm));
    });
  }

  re2::RE2 v4_, v6_, mac_;
  ContextWords context_;
};

// ---------------------------------------------------------------------------------------------
class FinancialRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kDigit; }
  FinancialRecognizer()
      : card_(R"(\d(?:[ \-]?\d){11,18})", regex_options()),
        iban_(R"([A-Za-z]{2}\d{2}(?: ?[A-Za-z0-9]){11,30})", regex_options()),
        card_context_({"tarjeta", "tarjeta de credito", "tarjeta de debito", "visa", "mastercard",
                       "amex", "card", "credit card", "tc", "pago con"}) {}
  std::string_view name() const override { return "financial"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(card_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && (std::isalnum(static_cast<unsigned char>(text[s - 1])) || text[s - 1] == '+')) {
        return;
      }
      const size_t end = longest_valid_prefix(text, s, e, [](std::string_view c) {
        return credit_card_valid(c);
      });
      if (end == 0 || !ascii_boundary(text, s, end)) return;
      const double score = card_context_.found_near(text, s, end, 50, 0) ? 0.95 : 0.9;
      out.push_back(make_span(s, end, "CREDIT_CARD", score, name(),
                              digits_only(text.substr(s, end - s))));
    });
    for_each_match(iban_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && std::isalnum(static_cast<unsigned char>(text[s - 1]))) return;
      // Try the longest candidate first, then shorter ones ending at a group boundary.
      for (size_t end = e; end > s + 14; --end) {
        if (end != e && text[end] != ' ') continue;
        const std::string_view cand = text.substr(s, end - s);
        if (cand.back() == ' ') continue;
        if (end < text.size() && std::isalnum(static_cast<unsigned char>(text[end]))) continue;
        if (iban_valid(cand)) {
          out.push_back(make_span(s, end, "IBAN", 0.95, name(), alnum_upper(cand)));
          return;
        }
      }
    });
  }

 private:
  re2::RE2 card_, iban_;
  ContextWords card_context_;
};

// ---------------------------------------------------------------------------------------------
class EsIdRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kDigit; }
  EsIdRecognizer()
      : dni_(R"(\d{2}\.?\d{3}\.?\d{3}[ \-]?[A-Za-z])", regex_options()),
        nie_(R"([XYZxyz][ \-]?\d{7}[ \-]?[A-Za-z])", regex_options()),
        cif_(R"([ABCDEFGHJNPQRSUVW][ \-]?\d{7}[ \-]?[0-9A-J])", regex_options()),
        context_({"dni", "nie", "nif", "cif", "documento", "documento de identidad",
                  "documento nacional de identidad", "identificacion", "pasaporte", "id"}) {}
  std::string_view name() const override { return "es_id"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(dni_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e) || !es_dni_valid(text.substr(s, e - s))) return;
      const double score = context_.found_near(text, s, e, 40, 0) ? 0.95 : 0.85;
      out.push_back(make_span(s, e, "ES_DNI", score, name(), alnum_upper(text.substr(s, e - s))));
    });
    for_each_match(nie_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e) || !es_nie_valid(text.substr(s, e - s))) return;
      const double score = context_.found_near(text, s, e, 40, 0) ? 0.95 : 0.85;
      out.push_back(make_span(s, e, "ES_NIE", score, name(), alnum_upper(text.substr(s, e - s))));
    });
    for_each_match(cif_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e) || !es_cif_valid(text.substr(s, e - s))) return;
      const double score = context_.found_near(text, s, e, 40, 0) ? 0.9 : 0.7;
      out.push_back(make_span(s, e, "ES_CIF", score, name(), alnum_upper(text.substr(s, e - s))));
    });
  }

 private:
  re2::RE2 dni_, nie_, cif_;
  ContextWords context_;
};

// ---------------------------------------------------------------------------------------------
class CoIdRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kDigit; }
  CoIdRecognizer()
      : nit_dv_(R"(\d{3}\.?\d{3}\.?\d{3}(?:\.?\d)? ?- ?\d)", regex_options()),
        // 80.123.456 | 80123456 | 80 123 456 (read aloud, typed with spaces)
        number_(R"(\d{1,3}(?:\.\d{3}){1,3}|\d{5,11}|\d{1,3}(?: \d{3}){2,3})", regex_options()),
        nit_context_({"nit", "n.i.t", "numero de identificacion tributaria", "rut"}),
        cc_context_({"cedula", "cedula de ciudadania", "cc", "c.c", "c.c.", "c c", "documento",
                     "documento de identidad", "numero de documento", "identificacion",
                     "identificado", "identificada", "identificado con", "doc", "id", "national id",
                     "tarjeta de identidad", "ti", "t.i"}),
        ce_context_({"cedula de extranjeria", "extranjeria", "c.e", "c.e.", "ce",
                     "foreign id"}),
        blockers_({"celular", "telefono", "tel", "movil", "whatsapp", "numero de contacto",
                   "llamar", "llamame", "fijo", "linea", "pedido", "orden", "factura", "radicado",
                   "ticket", "caso", "contrato", "referencia", "cuenta", "imei", "iccid", "sim",
                   "tarjeta", "valor", "pesos", "cop", "$", "codigo postal", "cp", "nit",
                   "phone", "order", "invoice", "case", "plan", "gb", "mb", "megas", "minutos"}) {}
  std::string_view name() const override { return "co_id"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(nit_dv_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e) || !co_nit_valid(text.substr(s, e - s))) return;
      const double score = nit_context_.found_near(text, s, e, 40, 0) ? 0.95 : 0.8;
      out.push_back(make_span(s, e, "CO_NIT", score, name(), digits_only(text.substr(s, e - s))));
    });
    for_each_match(number_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e)) return;
      if (s > 0 && (text[s - 1] == '+' || text[s - 1] == '.' || text[s - 1] == '-' ||
                    text[s - 1] == '/' || text[s - 1] == '$')) {
        return;
      }
      if (e < text.size() && (text[e] == '-' || text[e] == '/' || text[e] == '@' ||
                              (text[e] == '.' && e + 1 < text.size() &&
                               std::isdigit(static_cast<unsigned char>(text[e + 1]))))) {
        return;
      }
      const std::string digits = digits_only(text.substr(s, e - s));
      if (digits.size() < 5 || digits.size() > 11) return;
      size_t d_nit = 0;
      size_t d_cc = 0;
      size_t d_ce = 0;
      size_t d_block = 0;
      const bool nit = nit_context_.found_near(text, s, e, 30, 0, &d_nit);
      const bool cc = cc_context_.found_near(text, s, e, 45, 0, &d_cc);
      const bool ce = ce_context_.found_near(text, s, e, 45, 0, &d_ce);
      const bool blocked = blockers_.found_near(text, s, e, 45, 0, &d_block);
      if (nit && (!cc || d_nit <= d_cc) && (!blocked || d_nit <= d_block)) {
        if (co_nit_valid(digits) && digits.size() >= 9) {
          out.push_back(make_span(s, e, "CO_NIT", 0.9, name(), digits));
        } else if (digits.size() >= 8) {
          out.push_back(make_span(s, e, "CO_NIT", 0.7, name(), digits));
        }
        return;
      }
      if (ce && (!blocked || d_ce < d_block) && d_ce <= d_cc + 2 && digits.size() >= 5 &&
          digits.size() <= 10) {
        out.push_back(make_span(s, e, "CO_CE", 0.85, name(), digits));
        return;
      }
      if (cc && (!blocked || d_cc < d_block) && digits.size() >= 6 && digits.size() <= 10) {
        out.push_back(make_span(s, e, "CO_CC", 0.85, name(), digits));
      }
    });
  }

 private:
  re2::RE2 nit_dv_, number_;
  ContextWords nit_context_, cc_context_, ce_context_, blockers_;
};

// ---------------------------------------------------------------------------------------------
class DeviceRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kDigit; }
  DeviceRecognizer()
      : imei_(R"(\d(?:[ \-/]?\d){14})", regex_options()),
        iccid_(R"(89(?:[ \-]?\d){17,18})", regex_options()),
        imei_context_({"imei", "serial", "numero de serie", "equipo"}),
        iccid_context_({"iccid", "sim", "simcard", "chip", "tarjeta sim"}) {}
  std::string_view name() const override { return "device"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    // "IMEI 1 358902434702283": the slot number joins the first candidate, so a rejected one is
    // retried from its next digit.
    internal::for_each_candidate(imei_, text, [&](size_t s, size_t e) {
      if (!ascii_boundary(text, s, e) || !imei_valid(text.substr(s, e - s))) return false;
      const double score = imei_context_.found_near(text, s, e, 40, 0) ? 0.95 : 0.85;
      out.push_back(make_span(s, e, "IMEI", score, name(), digits_only(text.substr(s, e - s))));
      return true;
    });
    for_each_match(iccid_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && std::isalnum(static_cast<unsigned char>(text[s - 1]))) return;
      const size_t end = longest_valid_prefix(text, s, e, [](std::string_view c) {
        return iccid_valid(c);
      });
      if (end == 0 || !ascii_boundary(text, s, end)) return;
      const double score = iccid_context_.found_near(text, s, end, 40, 0) ? 0.97 : 0.9;
      out.push_back(make_span(s, end, "ICCID", score, name(),
                              digits_only(text.substr(s, end - s))));
    });
  }

 private:
  re2::RE2 imei_, iccid_;
  ContextWords imei_context_, iccid_context_;
};

// ---------------------------------------------------------------------------------------------
class DateOfBirthRecognizer final : public Recognizer {
 public:
  Needs needs() const override { return Needs::kDigit; }
  DateOfBirthRecognizer()
      : re_(R"((?i)\d{1,2}\s*[/\-.]\s*\d{1,2}\s*[/\-.]\s*(?:19|20)?\d{2}|(?:19|20)\d{2}-\d{2}-\d{2})"
            R"(|\d{1,2}\s+(?:de\s+)?(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|)"
            R"(septiembre|setiembre|octubre|noviembre|diciembre|january|february|march|april|)"
            R"(may|june|july|august|september|october|november|december)\.?\s*(?:de\s+|del\s+|,\s*)?)"
            R"((?:19|20)\d{2}|(?:january|february|march|april|may|june|july|august|september|)"
            R"(october|november|december)\s+\d{1,2},?\s+(?:19|20)\d{2})",
            regex_options()),
        context_({"naci", "nacio", "nacimiento", "nacido", "nacida", "nacido el", "f. nac",
                  "fecha de nac", "fecha nac", "f.nac", "fnac", "cumpleanos", "born", "birth",
                  "date of birth", "dob", "birthday", "f. de nacimiento", "edad", "nac."}) {}
  std::string_view name() const override { return "date_of_birth"; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(re_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (!ascii_boundary(text, s, e)) return;
      if (!context_.found_near(text, s, e, 50, 0)) return;
      out.push_back(make_span(s, e, "DATE_OF_BIRTH", 0.85, name(),
                              internal::fold(text.substr(s, e - s))));
    });
  }

 private:
  re2::RE2 re_;
  ContextWords context_;
};

// ---------------------------------------------------------------------------------------------
class CustomRecognizer final : public Recognizer {
 public:
  CustomRecognizer(const CustomRecognizerSpec& spec)
      : spec_(spec), re_(spec.pattern, regex_options()), context_(spec.context),
        name_("custom:" + spec.type) {}
  bool ok() const { return re_.ok(); }
  std::string error() const { return re_.error(); }
  std::string_view name() const override { return name_; }
  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    for_each_match(re_, text, [&](size_t, size_t, size_t s, size_t e) {
      if (e <= s || !ascii_boundary(text, s, e)) return;
      double score = spec_.score;
      if (!context_.empty() && !context_.found_near(text, s, e, 50, 0)) {
        score = spec_.score_without_context;
      }
      if (score <= 0.0) return;
      out.push_back(make_span(s, e, spec_.type, score, name(), alnum_upper(text.substr(s, e - s))));
    });
  }

 private:
  CustomRecognizerSpec spec_;
  re2::RE2 re_;
  ContextWords context_;
  std::string name_;
};

}  // namespace

std::unique_ptr<Recognizer> make_email_recognizer() { return std::make_unique<EmailRecognizer>(); }
std::unique_ptr<Recognizer> make_url_recognizer(std::vector<std::string> allowed_domains) {
  return std::make_unique<UrlRecognizer>(std::move(allowed_domains));
}
std::unique_ptr<Recognizer> make_network_recognizer() {
  return std::make_unique<NetworkRecognizer>();
}
std::unique_ptr<Recognizer> make_financial_recognizer() {
  return std::make_unique<FinancialRecognizer>();
}
std::unique_ptr<Recognizer> make_es_id_recognizer() { return std::make_unique<EsIdRecognizer>(); }
std::unique_ptr<Recognizer> make_co_id_recognizer() { return std::make_unique<CoIdRecognizer>(); }
std::unique_ptr<Recognizer> make_device_recognizer() {
  return std::make_unique<DeviceRecognizer>();
}
std::unique_ptr<Recognizer> make_date_of_birth_recognizer() {
  return std::make_unique<DateOfBirthRecognizer>();
}

Result<std::unique_ptr<Recognizer>> make_custom_recognizer(const CustomRecognizerSpec& spec) {
  if (spec.type.empty()) return Status::invalid_argument("custom recognizer without a type");
  auto r = std::make_unique<CustomRecognizer>(spec);
  if (!r->ok()) {
    return Status::invalid_argument("custom recognizer " + spec.type + ": bad pattern: " +
                                    r->error());
  }
  return std::unique_ptr<Recognizer>(std::move(r));
}

std::vector<CustomRecognizerSpec> default_custom_recognizers() {
  return {
      {"CUSTOMER_ID", R"((?i)\b(CLI-?\d{6,8})\b)",
       {"cliente", "codigo de cliente", "id de cliente", "numero de cliente", "customer", "cuenta"},
       0.9, 0.75},
      {"CONTRACT_ID", R"((?i)\b(CTR-?\d{4}-?\d{5,6})\b)", {"contrato", "contract", "no. de contrato"},
       0.9, 0.75},
  };
}

}  // namespace atiende::privacy
