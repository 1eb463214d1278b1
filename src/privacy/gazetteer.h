#pragma once
/// Word lists for PERSON detection: given names, surnames, ambiguous names (also common words),
/// places, stop words (capitalized words that are never names: products, brands, months,
/// function words), person cues ("me llamo", "Sra.") and place prefixes ("Calle", "Hospital").
///
/// The lists live in data/privacy/*.txt (one entry per line, '#' comments) and are embedded into
/// the binary at build time, so the CLI works from any directory. Entries are folded
/// (lower-case, accents removed) on load. Immutable after construction; thread-safe.

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_set>

#include "common/status.h"

namespace atiende::privacy {

class Gazetteer {
 public:
  /// The lists embedded at build time.
  static const Gazetteer& builtin();
  /// Loads the same file names from `dir` (for operators who extend the lists). Missing files
  /// are an error naming the file.
  static Result<Gazetteer> load_dir(const std::filesystem::path& dir);

  /// Keys must be folded (see fold()).
  bool is_given_name(std::string_view key) const { return given_.count(std::string(key)) > 0; }
  bool is_surname(std::string_view key) const { return surnames_.count(std::string(key)) > 0; }
  bool is_ambiguous(std::string_view key) const { return ambiguous_.count(std::string(key)) > 0; }
  bool is_place(std::string_view key) const { return places_.count(std::string(key)) > 0; }
  bool is_stop_word(std::string_view key) const { return stop_.count(std::string(key)) > 0; }
  bool is_place_prefix(std::string_view key) const {
    return place_prefixes_.count(std::string(key)) > 0;
  }
  /// Person cues, folded phrases such as "me llamo", "sra", "a nombre de". `strong` cues accept
  /// unknown capitalized words and lower-case gazetteer names after them.
  const std::unordered_set<std::string>& strong_cues() const { return strong_cues_; }
  const std::unordered_set<std::string>& weak_cues() const { return weak_cues_; }

  size_t given_name_count() const { return given_.size(); }
  size_t surname_count() const { return surnames_.size(); }

  /// Builds from the text of each list (one entry per line).
  static Gazetteer from_texts(std::string_view given, std::string_view surnames,
                              std::string_view ambiguous, std::string_view places,
                              std::string_view stop_words, std::string_view cues,
                              std::string_view place_prefixes);

 private:
  std::unordered_set<std::string> given_, surnames_, ambiguous_, places_, stop_, place_prefixes_;
  std::unordered_set<std::string> strong_cues_, weak_cues_;
};

}  // namespace atiende::privacy
