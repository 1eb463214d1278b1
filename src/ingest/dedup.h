#pragma once
/// Near-duplicate detection for boilerplate (footers, headers, legal notices repeated in every
/// page or every manual). SimHash (64 bits) over character 4-gram shingles of a canonical form of
/// the text (ASCII lower-case, digits folded to '0', whitespace collapsed), so that "Página 3 de
/// 10" and "Página 4 de 10" are the same block. Lookups use the pigeonhole trick: with a distance
/// threshold k <= 7, two fingerprints within k bits share at least one of k+1 bit bands, so each
/// lookup touches only candidates from the band tables.
///
/// Thread-safety: not thread-safe; the pipeline guards it.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atiende::ingest {

/// SimHash of `text` (UTF-8). Texts with no shingle (empty) hash to 0. With `fold_digits`, every
/// digit counts as '0' (for short header/footer lines that differ only by a page number; long
/// blocks keep their digits so that two price tables are not "the same").
uint64_t simhash64(std::string_view text, bool fold_digits = true);

/// Number of differing bits.
int hamming_distance(uint64_t a, uint64_t b);

class NearDuplicateIndex {
 public:
  /// `max_distance`: fingerprints within this many bits are near-duplicates (0..7; clamped).
  explicit NearDuplicateIndex(int max_distance = 3);

  /// The owner (document id) of a kept fingerprint within max_distance of `fingerprint`; empty
  /// string when none.
  std::string find(uint64_t fingerprint) const;
  /// Remembers a kept fingerprint of `owner` (non-empty).
  void add(uint64_t fingerprint, const std::string& owner);
  /// Forgets every fingerprint of `owner` (its document is being replaced or deleted).
  void remove_owner(const std::string& owner);
  /// Live fingerprints.
  size_t size() const { return live_; }
  void clear();

 private:
  struct Entry {
    uint64_t fingerprint;
    std::string owner;
  };
  int max_distance_;
  int bands_;
  std::vector<Entry> entries_;  ///< removed entries keep an empty owner
  std::unordered_map<std::string, std::vector<uint32_t>> by_owner_;
  size_t live_ = 0;
  std::vector<std::unordered_multimap<uint64_t, uint32_t>> band_tables_;
  uint64_t band_key(uint64_t fingerprint, int band) const;
};

}  // namespace atiende::ingest
