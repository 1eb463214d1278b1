#include "privacy/gazetteer.h"

#include "common/files.h"
#include "common/strings.h"
#include "privacy/gazetteer_data.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

void load_lines(std::string_view text, std::unordered_set<std::string>& into) {
  for (std::string_view line : split(text, '\n')) {
    if (auto hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    line = trim(line);
    if (line.empty()) continue;
    into.insert(internal::fold(line));
  }
}

}  // namespace

Gazetteer Gazetteer::from_texts(std::string_view given, std::string_view surnames,
                                std::string_view ambiguous, std::string_view places,
                                std::string_view stop_words, std::string_view cues,
                                std::string_view place_prefixes) {
  Gazetteer g;
  const std::pair<std::string_view, Flag> lists[] = {
      {given, kGiven}, {surnames, kSurname}, {ambiguous, kAmbiguous},
      {places, kPlace}, {stop_words, kStop}, {place_prefixes, kPlacePrefix}};
  for (const auto& [text, flag] : lists) {
    std::unordered_set<std::string> keys;
    load_lines(text, keys);
    for (const auto& k : keys) g.entries_[k] |= flag;
    if (flag == kGiven) g.given_count_ = keys.size();
    if (flag == kSurname) g.surname_count_ = keys.size();
  }
  // cues.txt: "strong: me llamo" or "weak: hola".
  std::unordered_set<std::string> raw;
  load_lines(cues, raw);
  for (const auto& entry : raw) {
    if (entry.rfind("strong:", 0) == 0) {
      g.strong_cues_.insert(std::string(trim(std::string_view(entry).substr(7))));
    } else if (entry.rfind("weak:", 0) == 0) {
      g.weak_cues_.insert(std::string(trim(std::string_view(entry).substr(5))));
    } else {
      g.strong_cues_.insert(entry);
    }
  }
  return g;
}

const Gazetteer& Gazetteer::builtin() {
  static const Gazetteer instance = from_texts(
      gazetteer_data::kGivenNames, gazetteer_data::kSurnames, gazetteer_data::kAmbiguousNames,
      gazetteer_data::kPlaces, gazetteer_data::kStopWords, gazetteer_data::kPersonCues,
      gazetteer_data::kPlacePrefixes);
  return instance;
}

Result<Gazetteer> Gazetteer::load_dir(const std::filesystem::path& dir) {
  std::string texts[7];
  const char* names[7] = {"given_names.txt", "surnames.txt",   "ambiguous_names.txt",
                          "places.txt",      "stop_words.txt", "person_cues.txt",
                          "place_prefixes.txt"};
  for (int i = 0; i < 7; ++i) {
    auto content = read_file(dir / names[i]);
    if (!content.ok()) return content.status().with_context("privacy gazetteer");
    texts[i] = std::move(*content);
  }
  return from_texts(texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6]);
}

}  // namespace atiende::privacy
