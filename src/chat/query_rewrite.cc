#include "chat/query_rewrite.h"

#include <array>

#include "text/analyzer.h"

namespace atiende::chat {
namespace {

constexpr std::array<std::string_view, 14> kConnectives = {
    "y ", "¿y ", "e ", "pero ", "¿pero ", "entonces ", "¿entonces ", "tambien ", "también ",
    "and ", "but ", "what about ", "how about ", "also "};
constexpr std::array<std::string_view, 16> kAnaphora = {
    "eso", "esto", "ese", "esa", "ello", "lo mismo", "ahi", "ahí", "alli", "allí",
    "that", "this", "it", "those", "them", "there"};

bool contains_word(const std::string& folded, std::string_view word) {
  size_t pos = 0;
  while ((pos = folded.find(word, pos)) != std::string::npos) {
    const bool start_ok = pos == 0 || !std::isalnum(static_cast<unsigned char>(folded[pos - 1]));
    const size_t end = pos + word.size();
    const bool end_ok = end >= folded.size() || !std::isalnum(static_cast<unsigned char>(folded[end]));
    if (start_ok && end_ok) return true;
    pos = end;
  }
  return false;
}

}  // namespace

bool looks_like_followup(std::string_view message, std::string_view language) {
  const std::string folded = text::fold(message);
  for (auto connective : kConnectives) {
    if (folded.rfind(connective, 0) == 0) return true;
  }
  for (auto word : kAnaphora) {
    if (contains_word(folded, word)) return true;
  }
  return text::Analyzer::for_language(language).terms(message).size() <= 1;
}

std::string carry_over_context(std::string_view message,
                               const std::vector<std::string>& previous_user_messages,
                               std::string_view language) {
  std::string query(message);
  if (previous_user_messages.empty() || !looks_like_followup(message, language)) return query;
  const std::string& previous = previous_user_messages.back();
  // Keep the previous question's content words (not its stopwords), in order.
  const text::Analyzer& analyzer = text::Analyzer::for_language(language);
  std::string carried;
  size_t start = 0;
  while (start < previous.size()) {
    size_t end = previous.find_first_of(" \t\n¿?¡!.,;:", start);
    if (end == std::string::npos) end = previous.size();
    const std::string_view word(previous.data() + start, end - start);
    if (!word.empty() && !analyzer.is_stopword(word) && word.size() > 1) {
      if (!carried.empty()) carried += ' ';
      carried += word;
    }
    start = end + 1;
  }
  if (!carried.empty()) query += " " + carried;
  return query;
}

}  // namespace atiende::chat
