#include "text/language.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "text/analyzer.h"
#include "text/utf8.h"

namespace atiende::text {
namespace {

struct TrigramWeight {
  std::string_view trigram;
  double log_prob;
};

#include "text/language_profiles.inc"

using Profile = std::unordered_map<std::string_view, double>;

const Profile& profile(bool english) {
  static const Profile* es = [] {
    auto* p = new Profile();
    for (const auto& e : kEsProfile) p->emplace(e.trigram, e.log_prob);
    return p;
  }();
  static const Profile* en = [] {
    auto* p = new Profile();
    for (const auto& e : kEnProfile) p->emplace(e.trigram, e.log_prob);
    return p;
  }();
  return english ? *en : *es;
}

/// Words that are stopwords in both languages carry no evidence.
bool ambiguous(std::string_view w) {
  return w == "a" || w == "no" || w == "me" || w == "he" || w == "so" || w == "con" ||
         w == "son" || w == "us" || w == "la";
}

bool is_greeting(std::string_view w, bool english) {
  static constexpr std::string_view kEs[] = {"hola", "buenas", "buenos", "gracias", "favor",
                                             "quiero", "necesito", "ayuda", "dias", "tardes",
                                             "noches", "adios", "vale", "listo", "claro"};
  static constexpr std::string_view kEn[] = {"hi", "hello", "hey", "thanks", "thank", "please",
                                             "want", "need", "help", "bye", "yes",
                                             "sure", "my"};
  if (english) return std::find(std::begin(kEn), std::end(kEn), w) != std::end(kEn);
  return std::find(std::begin(kEs), std::end(kEs), w) != std::end(kEs);
}

struct Evidence {
  double diff = 0;  ///< log-odds Spanish vs English
  bool any = false;
};

Evidence gather(std::string_view text, double word_weight, double greeting_weight) {
  Evidence ev;
  text = text.substr(0, std::min<size_t>(text.size(), 4000));
  const Profile& es = profile(false);
  const Profile& en = profile(true);
  std::string word;       // lower-cased, accents kept (for trigrams)
  std::string raw_word;   // original bytes of the word
  auto finish_word = [&] {
    if (word.empty()) return;
    ev.any = true;
    const std::string padded = "_" + word + "_";
    // Trigrams over code points.
    std::vector<size_t> starts;
    for (size_t pos = 0; pos < padded.size();) {
      starts.push_back(pos);
      decode_utf8(padded, pos);
    }
    starts.push_back(padded.size());
    double es_sum = 0, en_sum = 0;
    for (size_t i = 0; i + 3 < starts.size(); ++i) {
      std::string_view g(padded.data() + starts[i], starts[i + 3] - starts[i]);
      auto a = es.find(g);
      auto b = en.find(g);
      es_sum += a == es.end() ? kEsFloor : a->second;
      en_sum += b == en.end() ? kEnFloor : b->second;
    }
    ev.diff += (es_sum - en_sum) * 0.5;
    const std::string folded = fold(raw_word);
    if (!ambiguous(folded)) {
      if (is_stopword("es", folded)) ev.diff += word_weight;
      if (is_stopword("en", folded)) ev.diff -= word_weight;
    }
    if (is_greeting(folded, false)) ev.diff += greeting_weight;
    if (is_greeting(folded, true)) ev.diff -= greeting_weight;
    word.clear();
    raw_word.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t at = pos;
    const char32_t cp = decode_utf8(text, pos);
    if (cp == U'ñ' || cp == U'Ñ' || cp == U'¿' || cp == U'¡') ev.diff += 3.0, ev.any = true;
    const bool letter = (cp < 0x80 && ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z')) ||
                        (cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7);
    if (letter) {
      raw_word.append(text.substr(at, pos - at));
      // Lower-case only (accents kept, as in the profiles).
      if (cp < 0x80) {
        word.push_back(static_cast<char>(cp | 0x20));
      } else if (cp >= 0xC0 && cp <= 0xDE) {
        append_utf8(word, cp + 0x20);
      } else {
        append_utf8(word, cp);
      }
    } else {
      finish_word();
    }
  }
  finish_word();
  return ev;
}

LanguageGuess decide(const Evidence& ev, std::string_view fallback) {
  if (!ev.any || ev.diff == 0) return {std::string(fallback == "en" ? "en" : "es"), 0.5};
  const double p_es = 1.0 / (1.0 + std::exp(-std::clamp(ev.diff, -50.0, 50.0)));
  if (p_es >= 0.5) return {"es", p_es};
  return {"en", 1.0 - p_es};
}

}  // namespace

LanguageGuess detect_language(std::string_view text, std::string_view fallback) {
  return decide(gather(text, 1.5, 0.0), fallback);
}

LanguageGuess detect_language_short(std::string_view text, std::string_view fallback) {
  LanguageGuess g = decide(gather(text, 2.5, 2.5), fallback);
  const std::string fb = fallback == "en" ? "en" : "es";
  if (g.language != fb && g.confidence < 0.75) return {fb, 0.5};
  return g;
}

}  // namespace atiende::text
