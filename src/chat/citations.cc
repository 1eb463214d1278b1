#include "chat/citations.h"

#include <algorithm>

#include "common/strings.h"

namespace atiende::chat {
namespace {

constexpr size_t kSnippetMaxBytes = 600;

std::string cut_utf8(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + "…";
}

}  // namespace

std::vector<CitationMarker> citation_markers(std::string_view answer) {
  std::vector<CitationMarker> out;
  static constexpr std::string_view kOpenWide = "\xE3\x80\x90";   // 【
  static constexpr std::string_view kCloseWide = "\xE3\x80\x91";  // 】
  size_t i = 0;
  while (i < answer.size()) {
    size_t open_len = 0;
    if (answer[i] == '[') {
      open_len = 1;
    } else if (answer.substr(i, kOpenWide.size()) == kOpenWide) {
      open_len = kOpenWide.size();
    }
    if (open_len == 0) {
      ++i;
      continue;
    }
    // Read "n(, n)*" up to the closing bracket.
    size_t j = i + open_len;
    std::vector<int> numbers;
    while (j < answer.size()) {
      while (j < answer.size() && (answer[j] == ' ' || answer[j] == ',')) ++j;
      size_t digits = j;
      int value = 0;
      while (digits < answer.size() && answer[digits] >= '0' && answer[digits] <= '9' &&
             digits - j < 4) {
        value = value * 10 + (answer[digits] - '0');
        ++digits;
      }
      if (digits == j) break;
      numbers.push_back(value);
      j = digits;
    }
    size_t close_len = 0;
    if (j < answer.size() && answer[j] == ']') {
      close_len = 1;
    } else if (answer.substr(j, kCloseWide.size()) == kCloseWide) {
      close_len = kCloseWide.size();
    }
    std::erase_if(numbers, [](int n) { return n < 1 || n > 999; });
    if (close_len > 0 && !numbers.empty()) {
      out.push_back({i, j + close_len, std::move(numbers)});
      i = j + close_len;
    } else {
      i += open_len;
    }
  }
  return out;
}

std::vector<int> cited_numbers(std::string_view answer) {
  std::vector<int> out;
  for (const auto& marker : citation_markers(answer)) {
    for (int n : marker.numbers) {
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
    }
  }
  return out;
}

Citation citation_of(const Passage& passage) {
  const retrieve::Hit& hit = passage.hit;
  Citation c;
  c.number = passage.number;
  c.doc_id = hit.doc_id;
  c.chunk_id = hit.chunk_id;
  c.title = hit.title;
  c.snippet = cut_utf8(hit.text, kSnippetMaxBytes);
  c.source = hit.source;
  c.start = hit.start;
  c.end = hit.end;
  c.page = hit.page;
  return c;
}

Grounding check_grounding(std::string_view answer, const std::vector<Passage>& passages) {
  Grounding g;
  if (trim(answer).empty()) {
    g.reason = "empty_answer";
    return g;
  }
  const std::vector<int> numbers = cited_numbers(answer);
  if (numbers.empty()) {
    g.reason = "no_citations";
    return g;
  }
  for (int n : numbers) {
    auto it = std::find_if(passages.begin(), passages.end(),
                           [n](const Passage& p) { return p.number == n; });
    if (it == passages.end()) {
      g.citations.clear();
      g.reason = "unknown_citation";
      return g;
    }
    g.citations.push_back(citation_of(*it));
  }
  g.grounded = true;
  g.reason = "ok";
  return g;
}

}  // namespace atiende::chat
