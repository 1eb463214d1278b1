#include "ingest/chunker.h"

#include <algorithm>

namespace atiende::ingest {
namespace {

struct Unit {
  size_t begin = 0;
  size_t end = 0;
  size_t tokens = 0;
  bool paragraph_before = false;  ///< a blank line separates it from the previous unit
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

/// Cuts an over-long sentence into windows of whole words of at most `budget` tokens.
void split_long(std::string_view text, size_t begin, size_t end, size_t budget,
                const TokenCounter& count_tokens, std::vector<Unit>& out) {
  size_t window_begin = begin;
  size_t window_end = begin;
  size_t window_tokens = 0;
  size_t i = begin;
  while (i < end) {
    while (i < end && is_space(text[i])) ++i;
    if (i >= end) break;
    size_t j = i;
    while (j < end && !is_space(text[j])) ++j;
    const size_t word_tokens = std::max<size_t>(1, count_tokens(text.substr(i, j - i)));
    if (window_tokens > 0 && window_tokens + word_tokens > budget) {
      out.push_back({window_begin, window_end, window_tokens, false});
      window_begin = i;
      window_tokens = 0;
    }
    if (window_tokens == 0) window_begin = i;
    window_tokens += word_tokens;
    window_end = j;
    i = j;
  }
  if (window_tokens > 0) out.push_back({window_begin, window_end, window_tokens, false});
}

}  // namespace

size_t approximate_tokens(std::string_view text) {
  size_t tokens = 0;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    tokens += 1 + (j - i) / 12;
    i = j;
  }
  return tokens;
}

int32_t page_of(int64_t offset, std::span<const int64_t> page_starts) {
  if (page_starts.empty()) return 0;
  auto it = std::upper_bound(page_starts.begin(), page_starts.end(), offset);
  const auto index = static_cast<int32_t>(it - page_starts.begin());
  return std::max<int32_t>(1, index);
}

std::vector<TextChunk> chunk_text(std::string_view text, std::span<const ByteSpan> sentences,
                                  const TokenCounter& count_tokens, const ChunkerOptions& options,
                                  std::span<const int64_t> page_starts) {
  const size_t budget = static_cast<size_t>(std::max(1, options.tokens_max));
  const size_t overlap =
      static_cast<size_t>(std::clamp(options.overlap_tokens, 0, options.tokens_max - 1));

  // 1. Units: sentences, with over-long ones cut into windows.
  std::vector<Unit> units;
  std::vector<ByteSpan> whole;
  if (sentences.empty() && !text.empty()) {
    whole.push_back({0, text.size()});
    sentences = whole;
  }
  size_t previous_end = 0;
  for (const ByteSpan& s : sentences) {
    size_t begin = std::min(s.begin, text.size());
    size_t end = std::min(s.end, text.size());
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    if (begin >= end) continue;
    const bool paragraph =
        !units.empty() && text.substr(previous_end, begin - previous_end).find("\n\n") !=
                              std::string_view::npos;
    const size_t first = units.size();
    const size_t tokens = count_tokens(text.substr(begin, end - begin));
    if (tokens > budget) {
      split_long(text, begin, end, budget, count_tokens, units);
    } else {
      units.push_back({begin, end, std::max<size_t>(1, tokens), false});
    }
    if (units.size() > first) units[first].paragraph_before = paragraph;
    previous_end = end;
  }
  if (units.empty()) return {};

  // Code point index of every byte boundary we may need.
  std::vector<uint32_t> cp_at(text.size() + 1, 0);
  uint32_t cp = 0;
  for (size_t b = 0; b < text.size(); ++b) {
    cp_at[b] = cp;
    if ((static_cast<unsigned char>(text[b]) & 0xC0) != 0x80) ++cp;
  }
  cp_at[text.size()] = cp;

  // 2. Greedy packing.
  std::vector<TextChunk> chunks;
  size_t i = 0;
  while (i < units.size()) {
    size_t end = i;
    size_t tokens = 0;
    while (end < units.size() && (end == i || tokens + units[end].tokens <= budget)) {
      tokens += units[end].tokens;
      ++end;
    }
    if (end < units.size()) {
      // Prefer the last paragraph break once the chunk is at least half full.
      size_t sum = 0;
      size_t best = 0;
      for (size_t k = i; k < end; ++k) {
        if (k > i && units[k].paragraph_before && sum * 2 >= budget) best = k;
        sum += units[k].tokens;
      }
      if (best > i) end = best;
    }
    TextChunk chunk;
    chunk.start_byte = units[i].begin;
    chunk.end_byte = units[end - 1].end;
    chunk.text = std::string(text.substr(chunk.start_byte, chunk.end_byte - chunk.start_byte));
    chunk.start = cp_at[chunk.start_byte];
    chunk.end = cp_at[chunk.end_byte];
    chunk.page = page_of(chunk.start, page_starts);
    chunks.push_back(std::move(chunk));
    if (end >= units.size()) break;
    // 3. Overlap: restart at the trailing sentences worth at most `overlap` tokens, but always
    // move forward and never carry a sentence across a paragraph break.
    size_t next = end;
    size_t carried = 0;
    while (next > i + 1 && carried + units[next - 1].tokens <= overlap &&
           !units[next].paragraph_before) {
      carried += units[next - 1].tokens;
      --next;
      if (units[next].paragraph_before) break;
    }
    i = next;
  }
  return chunks;
}

}  // namespace atiende::ingest
