// ADDRESS: Colombian grid addresses ("Calle 45 # 12-34", "Cra. 7 No. 80-20 apto 301"), Spanish
// street addresses ("Av. de la Constitución 12, 3º B", "C/ Mayor 5, 28013") and postal codes
// next to a context word ("código postal 110111").

#include "privacy/recognizer.h"
#include "privacy/regex_util.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

// Complements that follow a Colombian address: apartment, tower, interior, floor, office...
constexpr const char* kCoComplement =
    R"((?:\s*,?\s*(?i:apto|apartamento|apt|int|interior|torre|casa|piso|oficina|of|local|)"
    R"(bloque|bl|manzana|mz|lote|conjunto|edificio|edif)\.?\s*[0-9]{1,4}[A-Za-z]?){0,3})";

std::string co_pattern() {
  return std::string(
             R"((?i:avenida\s+calle|avenida\s+carrera|calle|cll|cl|carrera|kra|cra|crr|kr|cr|)"
             R"(avenida|avda|av|ak|ac|diagonal|diag|dg|transversal|transv|trans|tv|tr|autopista|)"
             R"(circular|circunvalar)\.?\s*\d{1,3}\s?(?i:[a-h])?(?:\s?(?i:bis))?(?:\s?(?i:[a-h]))?)"
             R"((?:\s+(?i:sur|norte|este|oeste))?\s*(?:#|(?i:n[oº°]|num|nro|número|numero)\.?)?\s*)"
             R"(\d{1,3}\s?(?i:[a-h])?(?:\s?(?i:bis))?\s*[-–]\s*\d{1,3}(?:\s+(?i:sur|este|norte))?)") +
         kCoComplement;
}

std::string es_pattern() {
  const std::string name = R"((?:\p{Lu}[\p{L}'’]*\.?|\d{1,2}\s+de\s+\p{Lu}\p{Ll}+))";
  const std::string particle = R"((?:(?i:de\s+la|de\s+los|de\s+las|del|de|la|el|los|las|y|san|santa)\s+))";
  return R"((?:(?i:calle|avenida|avda|paseo|plaza|pza|camino|carretera|ctra|ronda|travesía|)"
         R"(travesia|glorieta|urbanización|urbanizacion|urb|pasaje|rambla|alameda|bulevar|)"
         R"(callejón|callejon)\.?\s+|(?i:c/|av\.|p[ºo]\.|pl\.)\s*))" +
         particle + "?" + name + "(?:\\s+" + particle + "?" + name + "){0,4}" +
         R"(,?\s*(?:(?i:n[º°o]|núm|num|nº)\.?\s*)?\d{1,4}\s?[A-Za-z]?\b)"
         R"((?:(?:,\s*|\s+)(?:\d{1,2}\s?[ºª°]\s?(?:[A-Z]\b|\d{1,2}(?:\s?[ºª°]|\b)|(?i:izq|izda|dcha|dcho)\.?)?)"
         R"(|(?i:piso|planta|puerta|pta|esc|escalera|portal|bloque|bajo|ático|atico)\.?\s*[0-9A-Za-z]{0,3}\b)){0,3})"
         R"((?:,\s*\d{5}\b)?)";
}

class AddressRecognizer final : public Recognizer {
 public:
  AddressRecognizer()
      : co_(co_pattern(), internal::regex_options()),
        es_(es_pattern(), internal::regex_options()),
        postal_(R"((?i:c[oó]digo\s+postal|c\.\s?p\.|cp|postal\s+code|zip)\s*:?\s*(\d{5,6})\b)",
                internal::regex_options()),
        context_({"direccion", "domicilio", "vivo en", "resido en", "residencia", "enviar a",
                  "entregar en", "envio a", "address", "instalacion en", "ubicado en",
                  "ubicada en"}) {}
  std::string_view name() const override { return "address"; }
  Needs needs() const override { return Needs::kDigit; }

  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    auto emit = [&](size_t s, size_t e, double score) {
      while (e > s && (text[e - 1] == ' ' || text[e - 1] == ',')) --e;
      PiiSpan span;
      span.start_byte = s;
      span.end_byte = e;
      span.type = "ADDRESS";
      span.score = score;
      span.recognizer = std::string(name());
      span.normalized = internal::fold(text.substr(s, e - s));
      out.push_back(std::move(span));
    };
    internal::for_each_match(co_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && std::isalnum(static_cast<unsigned char>(text[s - 1]))) return;
      emit(s, e, context_.found_near(text, s, e, 40, 0) ? 0.95 : 0.85);
    });
    internal::for_each_match(es_, text, [&](size_t s, size_t e, size_t, size_t) {
      if (s > 0 && std::isalnum(static_cast<unsigned char>(text[s - 1]))) return;
      emit(s, e, context_.found_near(text, s, e, 40, 0) ? 0.9 : 0.75);
    });
    internal::for_each_match(postal_, text, [&](size_t, size_t, size_t s, size_t e) {
      emit(s, e, 0.8);
    });
  }

 private:
  re2::RE2 co_, es_, postal_;
  internal::ContextWords context_;
};

}  // namespace

std::unique_ptr<Recognizer> make_address_recognizer() {
  return std::make_unique<AddressRecognizer>();
}

}  // namespace atiende::privacy
