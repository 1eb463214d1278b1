#include "ingest/dedup.h"

#include <algorithm>
#include <array>
#include <bit>
#include <vector>

namespace atiende::ingest {
namespace {

/// Canonical form: ASCII lower-case, digits -> '0' (optional), runs of whitespace -> one space; bytes >= 0x80
/// kept (accents are part of the text).
std::string canonical(std::string_view text, bool fold_digits) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (unsigned char c : text) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c - 'A' + 'a');
    if (fold_digits && c >= '0' && c <= '9') c = '0';
    out += static_cast<char>(c);
  }
  return out;
}

uint64_t mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t fnv1a(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return mix64(h);
}

}  // namespace

uint64_t simhash64(std::string_view text, bool fold_digits) {
  const std::string c = canonical(text, fold_digits);
  if (c.empty()) return 0;
  // Per-bit counts of set bits; the vote of bit b is 2 * ones[b] - shingles. Kept branch-free so
  // the compiler vectorizes it.
  std::array<uint32_t, 64> ones{};
  uint32_t shingles = 0;
  auto count = [&](uint64_t h) {
    for (int bit = 0; bit < 64; ++bit) ones[bit] += static_cast<uint32_t>((h >> bit) & 1);
    ++shingles;
  };
  constexpr size_t kCharShingle = 4;
  constexpr size_t kCharShingleMaxBytes = 256;
  if (c.size() <= kCharShingle) {
    count(fnv1a(c));
  } else if (c.size() <= kCharShingleMaxBytes) {
    // Short blocks (headers, footers): character 4-grams, robust to small edits.
    for (size_t i = 0; i + kCharShingle <= c.size(); ++i) {
      count(fnv1a(std::string_view(c).substr(i, kCharShingle)));
    }
  } else {
    // Long blocks: word 3-grams, far fewer shingles for the same discrimination.
    std::vector<std::string_view> words = {};
    size_t start = 0;
    for (size_t i = 0; i <= c.size(); ++i) {
      if (i == c.size() || c[i] == ' ') {
        if (i > start) words.push_back(std::string_view(c).substr(start, i - start));
        start = i + 1;
      }
    }
    if (words.size() < 3) {
      count(fnv1a(c));
    } else {
      for (size_t i = 0; i + 3 <= words.size(); ++i) {
        const char* begin = words[i].data();
        const char* end = words[i + 2].data() + words[i + 2].size();
        count(fnv1a(std::string_view(begin, static_cast<size_t>(end - begin))));
      }
    }
  }
  uint64_t out = 0;
  for (int bit = 0; bit < 64; ++bit) {
    if (2 * ones[bit] > shingles) out |= (uint64_t{1} << bit);
  }
  return out;
}

int hamming_distance(uint64_t a, uint64_t b) { return std::popcount(a ^ b); }

NearDuplicateIndex::NearDuplicateIndex(int max_distance)
    : max_distance_(std::clamp(max_distance, 0, 7)),
      bands_(max_distance_ + 1),
      band_tables_(static_cast<size_t>(bands_)) {}

uint64_t NearDuplicateIndex::band_key(uint64_t fingerprint, int band) const {
  const int width = 64 / bands_;
  const int shift = band * width;
  const int bits = band == bands_ - 1 ? 64 - shift : width;
  const uint64_t mask = bits >= 64 ? ~uint64_t{0} : ((uint64_t{1} << bits) - 1);
  return (fingerprint >> shift) & mask;
}

std::string NearDuplicateIndex::find(uint64_t fingerprint) const {
  for (int band = 0; band < bands_; ++band) {
    auto [begin, end] = band_tables_[band].equal_range(band_key(fingerprint, band));
    for (auto it = begin; it != end; ++it) {
      const Entry& entry = entries_[it->second];
      if (entry.owner.empty()) continue;
      if (hamming_distance(entry.fingerprint, fingerprint) <= max_distance_) return entry.owner;
    }
  }
  return {};
}

void NearDuplicateIndex::add(uint64_t fingerprint, const std::string& owner) {
  const auto index = static_cast<uint32_t>(entries_.size());
  entries_.push_back({fingerprint, owner});
  by_owner_[owner].push_back(index);
  ++live_;
  for (int band = 0; band < bands_; ++band) {
    band_tables_[band].emplace(band_key(fingerprint, band), index);
  }
}

void NearDuplicateIndex::remove_owner(const std::string& owner) {
  auto it = by_owner_.find(owner);
  if (it == by_owner_.end()) return;
  for (uint32_t index : it->second) {
    entries_[index].owner.clear();
    --live_;
  }
  by_owner_.erase(it);
}

void NearDuplicateIndex::clear() {
  entries_.clear();
  by_owner_.clear();
  live_ = 0;
  for (auto& table : band_tables_) table.clear();
}

}  // namespace atiende::ingest
