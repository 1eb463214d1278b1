#include "eval/porter_stemmer.h"

#include <functional>
#include <map>
#include <vector>

namespace atiende::eval {
namespace {

using Condition = std::function<bool(const std::string&)>;

struct Rule {
  std::string suffix;
  std::string replacement;
  Condition condition;  // empty = always
};

bool ends_with(const std::string& word, std::string_view suffix) {
  return word.size() >= suffix.size() &&
         std::string_view(word).substr(word.size() - suffix.size()) == suffix;
}

bool is_vowel_letter(char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; }

bool is_consonant(const std::string& word, size_t i) {
  // Iterative form of NLTK's recursive definition: 'y' is a consonant at 0 or after a vowel.
  if (is_vowel_letter(word[i])) return false;
  if (word[i] == 'y') {
    if (i == 0) return true;
    return !is_consonant(word, i - 1);
  }
  return true;
}

int measure(const std::string& stem) {
  int count = 0;
  bool prev_vowel = false;
  for (size_t i = 0; i < stem.size(); ++i) {
    const bool consonant = is_consonant(stem, i);
    if (consonant && prev_vowel) ++count;
    prev_vowel = !consonant;
  }
  return count;
}

bool contains_vowel(const std::string& stem) {
  for (size_t i = 0; i < stem.size(); ++i) {
    if (!is_consonant(stem, i)) return true;
  }
  return false;
}

bool ends_double_consonant(const std::string& word) {
  return word.size() >= 2 && word[word.size() - 1] == word[word.size() - 2] &&
         is_consonant(word, word.size() - 1);
}

bool ends_cvc(const std::string& word) {
  const size_t n = word.size();
  if (n >= 3 && is_consonant(word, n - 3) && !is_consonant(word, n - 2) &&
      is_consonant(word, n - 1) && word[n - 1] != 'w' && word[n - 1] != 'x' && word[n - 1] != 'y') {
    return true;
  }
  return n == 2 && !is_consonant(word, 0) && is_consonant(word, 1);  // NLTK extension
}

std::string replace_suffix(const std::string& word, std::string_view suffix,
                           std::string_view replacement) {
  return word.substr(0, word.size() - suffix.size()) + std::string(replacement);
}

bool positive_measure(const std::string& stem) { return measure(stem) > 0; }

std::string apply_rule_list(const std::string& word, const std::vector<Rule>& rules) {
  for (const auto& rule : rules) {
    if (rule.suffix == "*d" && ends_double_consonant(word)) {
      const std::string stem = word.substr(0, word.size() - 2);
      if (!rule.condition || rule.condition(stem)) return stem + rule.replacement;
      return word;
    }
    if (ends_with(word, rule.suffix)) {
      const std::string stem = replace_suffix(word, rule.suffix, "");
      if (!rule.condition || rule.condition(stem)) return stem + rule.replacement;
      return word;
    }
  }
  return word;
}

std::string step1a(const std::string& word) {
  if (ends_with(word, "ies") && word.size() == 4) return replace_suffix(word, "ies", "ie");
  return apply_rule_list(word, {{"sses", "ss", {}}, {"ies", "i", {}}, {"ss", "ss", {}}, {"s", "", {}}});
}

std::string step1b(const std::string& word) {
  if (ends_with(word, "ied")) {
    return word.size() == 4 ? replace_suffix(word, "ied", "ie") : replace_suffix(word, "ied", "i");
  }
  if (ends_with(word, "eed")) {
    const std::string stem = replace_suffix(word, "eed", "");
    return measure(stem) > 0 ? stem + "ee" : word;
  }
  bool succeeded = false;
  std::string intermediate;
  for (const char* suffix : {"ed", "ing"}) {
    if (ends_with(word, suffix)) {
      intermediate = replace_suffix(word, suffix, "");
      if (contains_vowel(intermediate)) {
        succeeded = true;
        break;
      }
    }
  }
  if (!succeeded) return word;
  const char last = intermediate.empty() ? '\0' : intermediate.back();
  return apply_rule_list(
      intermediate,
      {{"at", "ate", {}},
       {"bl", "ble", {}},
       {"iz", "ize", {}},
       {"*d", std::string(1, last),
        [last](const std::string&) { return last != 'l' && last != 's' && last != 'z'; }},
       {"", "e", [](const std::string& stem) { return measure(stem) == 1 && ends_cvc(stem); }}});
}

std::string step1c(const std::string& word) {
  return apply_rule_list(word, {{"y", "i", [](const std::string& stem) {
                                   return stem.size() > 1 && is_consonant(stem, stem.size() - 1);
                                 }}});
}

std::string step2(const std::string& word) {
  if (ends_with(word, "alli") && positive_measure(replace_suffix(word, "alli", ""))) {
    return step2(replace_suffix(word, "alli", "al"));
  }
  const Condition pm = positive_measure;
  std::vector<Rule> rules = {
      {"ational", "ate", pm}, {"tional", "tion", pm}, {"enci", "ence", pm},
      {"anci", "ance", pm},   {"izer", "ize", pm},    {"bli", "ble", pm},
      {"alli", "al", pm},     {"entli", "ent", pm},   {"eli", "e", pm},
      {"ousli", "ous", pm},   {"ization", "ize", pm}, {"ation", "ate", pm},
      {"ator", "ate", pm},    {"alism", "al", pm},    {"iveness", "ive", pm},
      {"fulness", "ful", pm}, {"ousness", "ous", pm}, {"aliti", "al", pm},
      {"iviti", "ive", pm},   {"biliti", "ble", pm},  {"fulli", "ful", pm},
      {"logi", "log",
       [&word](const std::string&) { return positive_measure(word.substr(0, word.size() - 3)); }},
  };
  return apply_rule_list(word, rules);
}

std::string step3(const std::string& word) {
  const Condition pm = positive_measure;
  return apply_rule_list(word, {{"icate", "ic", pm},
                                {"ative", "", pm},
                                {"alize", "al", pm},
                                {"iciti", "ic", pm},
                                {"ical", "ic", pm},
                                {"ful", "", pm},
                                {"ness", "", pm}});
}

std::string step4(const std::string& word) {
  const Condition gt1 = [](const std::string& stem) { return measure(stem) > 1; };
  return apply_rule_list(
      word, {{"al", "", gt1},   {"ance", "", gt1}, {"ence", "", gt1}, {"er", "", gt1},
             {"ic", "", gt1},   {"able", "", gt1}, {"ible", "", gt1}, {"ant", "", gt1},
             {"ement", "", gt1}, {"ment", "", gt1}, {"ent", "", gt1},
             {"ion", "",
              [](const std::string& stem) {
                return measure(stem) > 1 && !stem.empty() && (stem.back() == 's' || stem.back() == 't');
              }},
             {"ou", "", gt1},   {"ism", "", gt1},  {"ate", "", gt1},  {"iti", "", gt1},
             {"ous", "", gt1},  {"ive", "", gt1},  {"ize", "", gt1}});
}

std::string step5a(const std::string& word) {
  if (ends_with(word, "e")) {
    const std::string stem = replace_suffix(word, "e", "");
    if (measure(stem) > 1) return stem;
    if (measure(stem) == 1 && !ends_cvc(stem)) return stem;
  }
  return word;
}

std::string step5b(const std::string& word) {
  return apply_rule_list(word, {{"ll", "l", [&word](const std::string&) {
                                   return measure(word.substr(0, word.size() - 1)) > 1;
                                 }}});
}

const std::map<std::string, std::string>& irregular_forms() {
  static const std::map<std::string, std::string> pool = {
      {"sky", "sky"},       {"skies", "sky"},       {"dying", "die"},       {"lying", "lie"},
      {"tying", "tie"},     {"news", "news"},       {"innings", "inning"},  {"inning", "inning"},
      {"outings", "outing"}, {"outing", "outing"},  {"cannings", "canning"}, {"canning", "canning"},
      {"howe", "howe"},     {"proceed", "proceed"}, {"exceed", "exceed"},   {"succeed", "succeed"},
  };
  return pool;
}

}  // namespace

std::string porter_stem(std::string_view word) {
  std::string stem(word);
  for (char& c : stem) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
  }
  // NLTK looks the *original* word up in the pool (and returns the pool entry of the lower-cased
  // word); for lower-case input both are the same.
  const auto& pool = irregular_forms();
  if (auto it = pool.find(std::string(word)); it != pool.end()) {
    auto lowered = pool.find(stem);
    return lowered != pool.end() ? lowered->second : stem;
  }
  if (word.size() <= 2) return stem;
  stem = step1a(stem);
  stem = step1b(stem);
  stem = step1c(stem);
  stem = step2(stem);
  stem = step3(stem);
  stem = step4(stem);
  stem = step5a(stem);
  stem = step5b(stem);
  return stem;
}

}  // namespace atiende::eval
