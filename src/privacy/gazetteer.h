#pragma once
/// Word lists for PERSON detection: given names, surnames, ambiguous names (also common words),
/// places, stop words (capitalized words that are never names: products, brands, months,
/// function words), person cues ("me llamo", "Sra.") and place prefixes ("Calle", "Hospital").
///
/// The lists live in data/privacy/*.txt (one entry per line, '#' comments) and are embedded into
/// the binary at build time, so the CLI works from any directory. Entries are folded
/// (lower-case, accents removed) on load. Immutable after construction; thread-safe.

#include <filesystem>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
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

  /// Membership bits of one folded key (see fold()); one hash lookup answers every list.
  enum Flag : uint16_t {
    kGiven = 1,
    kSurname = 2,
    kAmbiguous = 4,
    kPlace = 8,
    kStop = 16,
    kPlacePrefix = 32,
  };
  uint16_t flags(std::string_view key) const {
    auto it = entries_.find(key);
    return it == entries_.end() ? 0 : it->second;
  }
  bool is_given_name(std::string_view key) const { return flags(key) & kGiven; }
  bool is_surname(std::string_view key) const { return flags(key) & kSurname; }
  bool is_ambiguous(std::string_view key) const { return flags(key) & kAmbiguous; }
  bool is_place(std::string_view key) const { return flags(key) & kPlace; }
  bool is_stop_word(std::string_view key) const { return flags(key) & kStop; }
  bool is_place_prefix(std::string_view key) const { return flags(key) & kPlacePrefix; }
  /// Person cues, folded phrases such as "me llamo", "sra", "a nombre de". `strong` cues accept
  /// unknown capitalized words and lower-case gazetteer names after them.
  const std::unordered_set<std::string>& strong_cues() const { return strong_cues_; }
  const std::unordered_set<std::string>& weak_cues() const { return weak_cues_; }

  size_t given_name_count() const { return given_count_; }
  size_t surname_count() const { return surname_count_; }

  /// Builds from the text of each list (one entry per line).
  static Gazetteer from_texts(std::string_view given, std::string_view surnames,
                              std::string_view ambiguous, std::string_view places,
                              std::string_view stop_words, std::string_view cues,
                              std::string_view place_prefixes);

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint16_t, Hash, std::equal_to<>> entries_;
  size_t given_count_ = 0, surname_count_ = 0;
  std::unordered_set<std::string> strong_cues_, weak_cues_;
};

}  // namespace atiende::privacy
