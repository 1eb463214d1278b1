// PERSON: capitalized token sequences scored with gazetteers of given names and surnames, boosted
// by person cues ("me llamo", "Sra.", "a nombre de") and cut by stop words (products, brands,
// months), places and place prefixes ("Calle", "Hospital"). Sentence-initial unknown words are
// dropped, which handles the classic "Quisiera ..." false positive.

#include <algorithm>
#include <cctype>
#include <set>

#include "privacy/gazetteer.h"
#include "privacy/recognizer.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

using internal::decode_at;

enum class Kind { kGiven, kSurname, kUnknown, kPlace, kStop, kParticle };

struct Token {
  size_t start = 0;  // bytes
  size_t end = 0;
  std::string key;   // folded
  bool capitalized = false;
  bool all_upper = false;
  bool sentence_start = false;
  bool joined_to_prev = false;  // only spaces/tabs between this token and the previous one
  Kind kind = Kind::kUnknown;
  bool ambiguous = false;
  bool place_prefix = false;
};

bool is_particle(std::string_view key) {
  return key == "de" || key == "del" || key == "la" || key == "las" || key == "los" ||
         key == "y" || key == "da" || key == "di" || key == "van" || key == "von" || key == "do" ||
         key == "dos" || key == "e" || key == "i";
}

bool is_title_abbrev(std::string_view key) {
  return key == "sr" || key == "sra" || key == "srta" || key == "dr" || key == "dra" ||
         key == "lic" || key == "ing" || key == "d" || key == "dna" || key == "ud" ||
         key == "mr" || key == "mrs" || key == "ms" || key == "prof" || key == "st" ||
         key == "sto" || key == "sta";
}

std::vector<Token> tokenize(std::string_view text) {
  std::vector<Token> tokens;
  size_t i = 0;
  bool boundary = true;  // start of text or after sentence punctuation
  bool gap_clean = true; // only blanks since the previous token
  while (i < text.size()) {
    int32_t cp = 0;
    size_t n = decode_at(text, i, cp);
    if (!internal::is_letter(cp)) {
      if (cp == '.' || cp == '!' || cp == '?' || cp == '\n' || cp == ':' || cp == ';' ||
          cp == 0xBF /* ¿ */ || cp == 0xA1 /* ¡ */ || cp == '"' || cp == '(' || cp == '-' ||
          cp == 0x2022 /* • */ || cp == '*' || cp == '>') {
        // A period after a title abbreviation ("Sra.") is not a sentence end.
        const bool after_title = cp == '.' && !tokens.empty() && tokens.back().end == i &&
                                 (is_title_abbrev(tokens.back().key) ||
                                  tokens.back().key.size() == 1);
        if (!after_title) boundary = true;
      }
      if (cp != ' ' && cp != '\t' && cp != 0xA0) gap_clean = false;
      if (internal::is_digit_cp(cp)) boundary = false;
      i += n;
      continue;
    }
    Token t;
    t.start = i;
    t.capitalized = internal::is_upper(cp);
    bool all_upper = t.capitalized;
    size_t letters = 0;
    size_t j = i;
    while (j < text.size()) {
      int32_t c = 0;
      const size_t m = decode_at(text, j, c);
      if (internal::is_letter(c)) {
        if (!internal::is_upper(c)) all_upper = false;
        ++letters;
        j += m;
        continue;
      }
      // Internal apostrophe or hyphen between letters: O'Neill, Ana-María.
      if ((c == '\'' || c == 0x2019 || c == '-') && j + m < text.size()) {
        int32_t next = 0;
        decode_at(text, j + m, next);
        if (internal::is_letter(next)) {
          j += m;
          continue;
        }
      }
      break;
    }
    t.end = j;
    t.all_upper = all_upper && letters > 1;
    t.key = internal::fold(text.substr(t.start, t.end - t.start));
    t.sentence_start = boundary;
    t.joined_to_prev = gap_clean && !tokens.empty();
    tokens.push_back(std::move(t));
    boundary = false;
    gap_clean = true;
    i = j;
  }
  return tokens;
}

class PersonRecognizer final : public Recognizer {
 public:
  explicit PersonRecognizer(const Gazetteer& gazetteer) : gaz_(gazetteer) {}
  std::string_view name() const override { return "person"; }

  void detect(std::string_view text, std::string_view, std::vector<PiiSpan>& out) const override {
    std::vector<Token> tokens = tokenize(text);
    // Gazetteer lookups only where they can matter: capitalized words, words right before one
    // (cues, place prefixes, particles) and lower-case words after a name-introducing cue
    // ("me llamo juan pablo pérez"). Most lower-case prose skips the hash lookups.
    for (size_t k = 0; k < tokens.size(); ++k) {
      Token& t = tokens[k];
      const bool next_cap = k + 1 < tokens.size() && tokens[k + 1].capitalized;
      const bool after_intro = k > 0 && (ends_name_intro(tokens[k - 1].key) ||
                                         (!tokens[k - 1].capitalized &&
                                          (tokens[k - 1].kind == Kind::kGiven ||
                                           tokens[k - 1].kind == Kind::kSurname)));
      if (t.capitalized || next_cap || after_intro) {
        classify(t);
      } else if (is_particle(t.key)) {
        t.kind = Kind::kParticle;
      }
    }
    const size_t first_new = out.size();
    size_t i = 0;
    while (i < tokens.size()) {
      // Only capitalized words and lower-case gazetteer names can start a name: skip the cue
      // lookup for every other word (most of the text).
      const Token& head = tokens[i];
      if (!head.capitalized && head.kind != Kind::kGiven && head.kind != Kind::kSurname) {
        ++i;
        continue;
      }
      const int cue = cue_before(tokens, i);  // 0 none, 1 weak, 2 strong, -1 place prefix
      if (!starts_name(tokens[i], cue)) {
        ++i;
        continue;
      }
      // Grow the sequence: name-like tokens joined by blanks, particles allowed inside.
      size_t j = i + 1;
      size_t last = i;
      while (j < tokens.size() && tokens[j].joined_to_prev) {
        const Token& t = tokens[j];
        if (t.kind == Kind::kParticle && !t.capitalized) {
          // "Santiago de Chile", "Juan de Madrid": "de" + place means "from", not a surname.
          size_t k = j;
          while (k < tokens.size() && tokens[k].kind == Kind::kParticle) ++k;
          if (k < tokens.size() && tokens[k].kind == Kind::kPlace) break;
          // "Pedro y Juan" are two people; "Ortega y Gasset" is one surname.
          if ((t.key == "y" || t.key == "e") && k < tokens.size() && tokens[k].kind == Kind::kGiven) {
            break;
          }
          ++j;
          continue;
        }
        if (!continues_name(t, cue)) break;
        last = j;
        ++j;
      }
      score_and_emit(text, tokens, i, last, cue, out);
      i = last + 1;
    }
    propagate(text, tokens, first_new, out);
  }

 private:
  void classify(Token& t) const {
    const std::string& k = t.key;
    if (is_particle(k)) {
      t.kind = Kind::kParticle;
      return;
    }
    const uint16_t f = gaz_.flags(k);
    t.ambiguous = f & Gazetteer::kAmbiguous;
    t.place_prefix = f & Gazetteer::kPlacePrefix;
    if ((f & Gazetteer::kStop) && !t.ambiguous) {
      // Unambiguous stop words win over names ("Galaxy", "Enero").
      t.kind = Kind::kStop;
    } else if (f & Gazetteer::kGiven) {
      t.kind = Kind::kGiven;
    } else if (f & Gazetteer::kSurname) {
      t.kind = Kind::kSurname;
    } else if (f & (Gazetteer::kStop | Gazetteer::kPlacePrefix)) {
      t.kind = Kind::kStop;
    } else if (f & Gazetteer::kPlace) {
      t.kind = Kind::kPlace;
    } else {
      t.kind = Kind::kUnknown;
    }
  }

  bool name_shaped(const Token& t) const {
    if (!t.capitalized) return false;
    if (t.all_upper) return t.kind == Kind::kGiven || t.kind == Kind::kSurname;
    return t.end - t.start >= 2;
  }

  bool starts_name(const Token& t, int cue) const {
    if (t.kind == Kind::kStop || t.kind == Kind::kParticle) return false;
    if (t.place_prefix) return false;  // "Calle" is also a surname
    if (name_shaped(t)) return true;
    // "me llamo juan pérez": lower-case gazetteer names after a name-introducing cue.
    return cue == 3 && (t.kind == Kind::kGiven || t.kind == Kind::kSurname);
  }

  bool continues_name(const Token& t, int cue) const {
    if (t.kind == Kind::kStop || t.kind == Kind::kParticle) return false;
    if (t.place_prefix) return false;
    if (name_shaped(t)) return true;
    return cue == 3 && !t.capitalized && (t.kind == Kind::kGiven || t.kind == Kind::kSurname);
  }

  /// Last words of the name-introducing cues (see introduces_name).
  static bool ends_name_intro(std::string_view key) {
    return key == "llamo" || key == "es" || key == "nombre" || key == "nombres" || key == "is" ||
           key == "de" || key == "apellido" || key == "apellidos" || key == "completo" ||
           key == "soy";
  }

  /// Cues after which a lower-case gazetteer name is still a name ("me llamo juan pérez"); after
  /// other strong cues ("paciente varón") lower-case words are ordinary words.
  static bool introduces_name(std::string_view phrase) {
    for (std::string_view end : {"llamo", "nombre es", "nombre", "nombres", "name is", "nombre de",
                                 "apellido", "apellidos", "nombre completo", "soy"}) {
      if (phrase.size() >= end.size() && phrase.substr(phrase.size() - end.size()) == end) {
        return true;
      }
    }
    return false;
  }

  /// Looks at the words right before token i for a person cue. 3 = strong and name-introducing,
  /// 2 = strong, 1 = weak, 0 = none.
  /// Returns -1 when a place prefix precedes ("Calle", "Hospital"): not a person.
  int cue_before(const std::vector<Token>& tokens, size_t i) const {
    if (i == 0) return 0;
    int best = 0;
    // Phrases of up to 4 words ending at token i-1, all joined by blanks or simple punctuation.
    std::string phrase;
    for (size_t k = 1; k <= 4 && k <= i; ++k) {
      const Token& t = tokens[i - k];
      phrase = k == 1 ? t.key : t.key + " " + phrase;
      if (k == 1 && t.place_prefix && tokens[i].joined_to_prev) return -1;
      if (gaz_.strong_cues().count(phrase)) return introduces_name(phrase) ? 3 : 2;
      if (gaz_.weak_cues().count(phrase)) best = 1;
    }
    return best;
  }

  /// True when a greeting or thanks comes right before token i ("Gracias, Eider."), which makes
  /// an unknown capitalized word a vocative name; other weak cues ("por", "con") do not.
  static bool greeting_before(const std::vector<Token>& tokens, size_t i) {
    if (i == 0) return false;
    static constexpr std::string_view kGreetings[] = {
        "hola", "gracias", "listo", "perfecto", "vale", "ok", "bueno", "disculpe", "estimado",
        "estimada", "querido", "querida", "apreciado", "apreciada", "saludos", "dias", "tardes",
        "noches", "hi", "hello", "dear", "thanks", "bienvenido", "bienvenida", "gusto"};
    const std::string& k = tokens[i - 1].key;
    for (std::string_view g : kGreetings) {
      if (k == g) return true;
    }
    return false;
  }

  /// True when a single word is followed by punctuation or the end of the text, as in a vocative
  /// ("Gracias, Eider." / "Listo, Nohora, ...").
  static bool vocative_end(std::string_view text, size_t end) {
    if (end >= text.size()) return true;
    const char c = text[end];
    return c == ',' || c == '.' || c == '!' || c == '?' || c == ';' || c == '\n';
  }

  /// A confident multi-word name makes its words names elsewhere in the same text: "Eider Usme
  /// llamó ... Gracias, Eider". Each repetition gets the full name's normalized value, so that it
  /// receives the same pseudonym.
  void propagate(std::string_view text, const std::vector<Token>& tokens, size_t first_new,
                 std::vector<PiiSpan>& out) const {
    std::vector<std::pair<std::string, std::string>> words;  // folded word -> full normalized
    std::vector<std::pair<size_t, size_t>> covered;
    for (size_t k = first_new; k < out.size(); ++k) {
      covered.push_back({out[k].start_byte, out[k].end_byte});
      if (out[k].score < 0.7) continue;
      for (const auto& t : tokens) {
        if (t.start < out[k].start_byte || t.end > out[k].end_byte) continue;
        if (t.kind == Kind::kParticle || t.end - t.start < 3 || !t.capitalized) continue;
        if (t.start == out[k].start_byte && t.end == out[k].end_byte) continue;  // single word
        words.push_back({t.key, out[k].normalized});
      }
    }
    if (words.empty()) return;
    for (size_t i = 0; i < tokens.size(); ++i) {
      const Token& t = tokens[i];
      if (!t.capitalized || t.kind == Kind::kStop) continue;
      if (i > 0 && tokens[i - 1].place_prefix) continue;  // "Santa Marta"
      bool inside = false;
      for (const auto& c : covered) inside |= t.start >= c.first && t.end <= c.second;
      if (inside) continue;
      for (const auto& [word, normalized] : words) {
        if (word != t.key) continue;
        PiiSpan span;
        span.start_byte = t.start;
        span.end_byte = t.end;
        span.type = "PERSON";
        span.score = 0.75;
        span.recognizer = std::string(name());
        span.normalized = normalized;
        out.push_back(std::move(span));
        break;
      }
    }
    (void)text;
  }

  /// "Talleres Gómez S.L.", "Inversiones Rojas S.A.S.": a legal-form suffix after the words
  /// makes them a company name, not a person.
  static bool company_suffix_after(std::string_view text, size_t end) {
    size_t i = end;
    while (i < text.size() && (text[i] == ' ' || text[i] == ',')) ++i;
    std::string word;
    for (; i < text.size() && word.size() < 8; ++i) {
      const char c = text[i];
      if (c == '.') continue;
      if (!std::isalpha(static_cast<unsigned char>(c))) break;
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    if (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) return false;
    static const std::set<std::string> kSuffixes = {"sl", "slu", "sa", "sas", "ltda", "ltd",
                                                     "inc", "eu", "scs", "sca", "srl", "llc"};
    return kSuffixes.count(word) > 0;
  }

  void score_and_emit(std::string_view text, const std::vector<Token>& tokens, size_t first,
                      size_t last, int cue, std::vector<PiiSpan>& out) const {
    if (cue < 0) return;
    // Sentence-initial unknown/ambiguous words are ordinary words far more often than names.
    while (first <= last && cue <= 0 && tokens[first].sentence_start &&
           (tokens[first].kind == Kind::kUnknown || tokens[first].kind == Kind::kPlace ||
            tokens[first].ambiguous)) {
      ++first;
      // The next token is no longer sentence-initial, but it also lost its left context.
    }
    // Trailing places only count when preceded by a name token ("Juan Sevilla"); leading
    // places are dropped ("Bogotá").
    while (first <= last && tokens[first].kind == Kind::kPlace) ++first;
    if (first > last) return;
    int n_given = 0, n_surname = 0, n_unknown = 0, n_place = 0, n_ambiguous = 0;
    for (size_t k = first; k <= last; ++k) {
      switch (tokens[k].kind) {
        case Kind::kGiven: ++n_given; break;
        case Kind::kSurname: ++n_surname; break;
        case Kind::kPlace: ++n_place; break;
        case Kind::kUnknown: ++n_unknown; break;
        default: break;
      }
      if (tokens[k].ambiguous) ++n_ambiguous;
    }
    const int n = n_given + n_surname + n_unknown + n_place;
    const Token& head = tokens[first];
    double score = 0.0;
    if (n >= 2) {
      const int known = n_given + n_surname;
      if (head.kind == Kind::kGiven && n_surname > 0) {
        score = 0.92;
      } else if (head.kind == Kind::kGiven) {
        score = n_given >= 2 ? 0.85 : 0.75;
      } else if (known >= 2) {
        score = 0.8;  // "Pérez García", "Rojas Xiomara"
      } else if (known == 1 && tokens[last].kind == Kind::kSurname) {
        score = 0.72;  // "Yeison Pérez": unknown given name + known surname
      } else if (known == 1) {
        score = 0.55;
      } else {
        score = 0.3;
      }
      if (n_ambiguous == n) score = std::min(score, 0.45);  // "Rosa Blanco"? rather "Luz Verde"
      if (n_place > 0 && known == 0) score = 0.0;
    } else {
      if (head.kind == Kind::kGiven) {
        score = head.ambiguous ? 0.3 : 0.6;
      } else if (head.kind == Kind::kSurname) {
        score = head.ambiguous ? 0.2 : 0.4;
      } else {
        score = 0.15;
      }
    }
    if (cue >= 2 && (head.kind != Kind::kStop)) {
      score = std::max(score, head.kind == Kind::kUnknown && n == 1 ? 0.75 : 0.88);
    } else if (cue == 1 && (n_given + n_surname) > 0) {
      score = std::max(score, 0.8);
    } else if (cue == 1 && n == 1 && head.kind == Kind::kUnknown && !head.all_upper &&
               vocative_end(text, head.end) && greeting_before(tokens, first)) {
      score = std::max(score, 0.6);  // "Gracias, Eider." / "Hola Nohora,"
    }
    if (score <= 0.0 || company_suffix_after(text, tokens[last].end)) return;
    PiiSpan span;
    span.start_byte = head.start;
    span.end_byte = tokens[last].end;
    span.type = "PERSON";
    span.score = score;
    span.recognizer = std::string(name());
    span.normalized = internal::fold(text.substr(span.start_byte, span.end_byte - span.start_byte));
    out.push_back(std::move(span));
  }

  const Gazetteer& gaz_;
};

}  // namespace

std::unique_ptr<Recognizer> make_person_recognizer(const Gazetteer& gazetteer) {
  return std::make_unique<PersonRecognizer>(gazetteer);
}

}  // namespace atiende::privacy
