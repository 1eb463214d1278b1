#pragma once
/// Internal: iteration over RE2 matches with byte offsets.

#include <cstddef>
#include <functional>
#include <string_view>

#include <re2/re2.h>

namespace atiende::privacy::internal {

/// Calls `fn(start_byte, end_byte, group1_start, group1_end)` for each non-overlapping match of
/// `re` in `text`, left to right. When the pattern has no group, the group offsets equal the
/// match offsets. Linear time (RE2).
inline void for_each_match(const re2::RE2& re, std::string_view text,
                           const std::function<void(size_t, size_t, size_t, size_t)>& fn) {
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece groups[2];
  const int ngroups = re.NumberOfCapturingGroups() >= 1 ? 2 : 1;
  size_t pos = 0;
  while (pos <= text.size()) {
    if (!re.Match(input, pos, text.size(), re2::RE2::UNANCHORED, groups, ngroups)) break;
    const size_t start = static_cast<size_t>(groups[0].data() - text.data());
    const size_t end = start + groups[0].size();
    size_t g_start = start;
    size_t g_end = end;
    if (ngroups == 2 && groups[1].data() != nullptr) {
      g_start = static_cast<size_t>(groups[1].data() - text.data());
      g_end = g_start + groups[1].size();
    }
    fn(start, end, g_start, g_end);
    pos = end > start ? end : start + 1;
  }
}

/// Like for_each_match, but `fn` returns whether it accepted the match; after a rejected one the
/// scan resumes one byte after its start instead of after its end, so a candidate hidden behind a
/// longer rejected match is still seen ("IMEI 1 358902434702283": "1 35890243470228" fails the
/// checksum, "358902434702283" passes). At most one retry per byte: linear in practice for the
/// short digit patterns it is used with.
inline void for_each_candidate(const re2::RE2& re, std::string_view text,
                               const std::function<bool(size_t, size_t)>& fn) {
  const re2::StringPiece input(text.data(), text.size());
  re2::StringPiece match;
  size_t pos = 0;
  while (pos <= text.size()) {
    if (!re.Match(input, pos, text.size(), re2::RE2::UNANCHORED, &match, 1)) break;
    const size_t start = static_cast<size_t>(match.data() - text.data());
    const size_t end = start + match.size();
    pos = fn(start, end) && end > start ? end : start + 1;
  }
}

/// RE2 options for our patterns: UTF-8, no logging of errors to stderr, big enough DFA memory.
inline re2::RE2::Options regex_options(bool case_insensitive = false) {
  re2::RE2::Options options;
  options.set_log_errors(false);
  options.set_case_sensitive(!case_insensitive);
  options.set_max_mem(64 << 20);
  return options;
}

}  // namespace atiende::privacy::internal
