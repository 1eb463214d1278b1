#include "chat/extractive.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>

#include "text/analyzer.h"
#include "text/sentences.h"
#include "text/utf8.h"

namespace atiende::chat {
namespace {

double term_weight(const std::string& term) {
  bool digit = std::any_of(term.begin(), term.end(), [](char c) { return c >= '0' && c <= '9'; });
  return 1.0 + std::min<double>(term.size(), 10) / 10.0 + (digit ? 0.5 : 0.0);
}

std::vector<std::string> unique_terms(const text::Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> terms = analyzer.terms(text);
  std::sort(terms.begin(), terms.end());
  terms.erase(std::unique(terms.begin(), terms.end()), terms.end());
  return terms;
}

double coverage_of(const std::vector<std::string>& query_terms,
                   const std::unordered_set<std::string>& text_terms) {
  double total = 0, found = 0;
  for (const auto& term : query_terms) {
    const double w = term_weight(term);
    total += w;
    if (text_terms.count(term)) found += w;
  }
  return total > 0 ? found / total : 0.0;
}

std::unordered_set<std::string> term_set(const text::Analyzer& analyzer, std::string_view text) {
  std::vector<std::string> terms = analyzer.terms(text);
  return {terms.begin(), terms.end()};
}

/// How well a FAQ question matches the customer's question: the geometric mean of the share of
/// the query's terms the question holds and the share of the question's terms the query holds
/// (weighted, like coverage_of). Extra words on either side lower it, so "Hola, ¿cómo activo la
/// eSIM en mi iPhone nuevo?" still matches "¿Cómo activo la eSIM?" (0.63), while a short question
/// merely contained in the query ("¿Qué es 5G?" in "¿Cuánto cuesta el plan 5G ilimitado?") does
/// not (0.52).
double question_match(const std::vector<std::string>& query_terms,
                      const std::vector<std::string>& question_terms) {
  const std::unordered_set<std::string> question(question_terms.begin(), question_terms.end());
  double query_weight = 0, question_weight = 0, shared = 0;
  for (const auto& term : query_terms) {
    query_weight += term_weight(term);
    if (question.count(term)) shared += term_weight(term);
  }
  for (const auto& term : question_terms) question_weight += term_weight(term);
  if (query_weight <= 0 || question_weight <= 0) return 0.0;
  return std::sqrt((shared / query_weight) * (shared / question_weight));
}

std::string substring_cp(const std::string& text, uint32_t start_byte, uint32_t end_byte) {
  return text.substr(start_byte, end_byte - start_byte);
}

std::string trim_copy(std::string s) {
  auto not_space = [](unsigned char c) { return !(c == ' ' || c == '\n' || c == '\t' || c == '\r'); };
  s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
  s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
  return s;
}

/// Ends a sentence with its citation marker, before the final punctuation's trailing space.
std::string cite(std::string sentence, int number) {
  sentence = trim_copy(std::move(sentence));
  return sentence + " [" + std::to_string(number) + "]";
}

std::string first_sentences(const std::string& text, std::string_view language, size_t max) {
  std::vector<text::SentenceSpan> spans = text::split_sentences(text, language);
  std::string out;
  for (size_t i = 0; i < spans.size() && i < max; ++i) {
    if (!out.empty()) out += ' ';
    out += trim_copy(substring_cp(text, spans[i].start_byte, spans[i].end_byte));
  }
  return out.empty() ? trim_copy(text) : out;
}

}  // namespace

double term_coverage(std::string_view query, std::string_view text, std::string_view language) {
  const text::Analyzer& analyzer = text::Analyzer::for_language(language);
  return coverage_of(unique_terms(analyzer, query), term_set(analyzer, text));
}

std::string abstain_message(std::string_view language) {
  if (language == "en") {
    return "I could not find that in UnaEmpresa's knowledge base, so I would rather not guess. "
           "Would you like me to connect you with a human agent?";
  }
  return "No encontré esa información en la base de conocimiento de UnaEmpresa y prefiero no "
         "adivinar. ¿Quieres que te comunique con un agente humano?";
}

ExtractiveAnswer answer_extractively(std::string_view query, std::string_view language,
                                     const std::vector<Passage>& passages,
                                     const ExtractiveOptions& options) {
  ExtractiveAnswer answer;
  // Analyze with the language of the knowledge base passages when they differ from the query's:
  // the Spanish stemmer handles Spanish passages, and shared terms (5G, eSIM, roaming) match anyway.
  const std::string kb_language = passages.empty() ? std::string(language)
                                                   : passages.front().hit.language;
  const text::Analyzer& analyzer =
      text::Analyzer::for_language(kb_language.empty() ? language : kb_language);
  const std::vector<std::string> query_terms = unique_terms(analyzer, query);
  const size_t considered = std::min(options.passages_considered, passages.size());
  if (query_terms.empty() || considered == 0) {
    answer.abstained = true;
    answer.strategy = "abstain";
    return answer;
  }

  // 1. A FAQ whose question matches the customer's well answers directly, wherever retrieval
  //    ranked it among the passages read (its question is the best evidence of relevance).
  double best_coverage = 0;
  const Passage* best_faq = nullptr;
  double best_faq_coverage = 0;
  for (size_t i = 0; i < considered; ++i) {
    const retrieve::Hit& hit = passages[i].hit;
    best_coverage =
        std::max(best_coverage, coverage_of(query_terms, term_set(analyzer, hit.title + "\n" + hit.text)));
    if (hit.type == "faq") {
      const double match = question_match(query_terms, unique_terms(analyzer, hit.title));
      if (match > best_faq_coverage) {
        best_faq_coverage = match;
        best_faq = &passages[i];
      }
    }
  }
  answer.confidence = best_coverage;
  if (best_coverage < options.min_confidence) {
    answer.abstained = true;
    answer.strategy = "abstain";
    return answer;
  }
  const std::string frame = language == "en" ? "Here is what UnaEmpresa's help center says:\n" : "";
  if (best_faq != nullptr && best_faq_coverage >= options.faq_match) {
    answer.text = frame + cite(first_sentences(best_faq->hit.text, kb_language, 5), best_faq->number);
    answer.strategy = "faq";
    return answer;
  }

  // 2. Otherwise compose the best sentences of the top passages, each cited.
  struct Candidate {
    double score;
    double coverage;
    size_t passage;
    uint32_t start_byte, end_byte;
  };
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < considered; ++i) {
    const std::string& text = passages[i].hit.text;
    for (const auto& span : text::split_sentences(text, kb_language)) {
      const std::string sentence = substring_cp(text, span.start_byte, span.end_byte);
      if (text::count_code_points(sentence) < 15) continue;
      const double coverage = coverage_of(query_terms, term_set(analyzer, sentence));
      if (coverage <= 0) continue;
      // Earlier passages and earlier sentences are preferred slightly.
      const double score = coverage + 0.05 * (static_cast<double>(considered - i)) -
                           0.0001 * span.start;
      candidates.push_back({score, coverage, i, span.start_byte, span.end_byte});
    }
  }
  if (candidates.empty()) {
    answer.abstained = true;
    answer.strategy = "abstain";
    return answer;
  }
  std::sort(candidates.begin(), candidates.end(),
            [](const Candidate& a, const Candidate& b) { return a.score > b.score; });
  // Sentences much weaker than the best one are off topic (a passing mention): left out.
  const double best_sentence = candidates.front().coverage;
  std::erase_if(candidates, [&](const Candidate& c) { return c.coverage < 0.5 * best_sentence; });
  candidates.resize(std::min(candidates.size(), options.max_sentences));
  // The answer leads with the passage of the best sentence; each passage's sentences stay in
  // reading order.
  std::vector<double> passage_best(considered, -1e9);
  for (const Candidate& c : candidates) passage_best[c.passage] = std::max(passage_best[c.passage], c.score);
  std::sort(candidates.begin(), candidates.end(), [&](const Candidate& a, const Candidate& b) {
    if (a.passage != b.passage) {
      if (passage_best[a.passage] != passage_best[b.passage]) {
        return passage_best[a.passage] > passage_best[b.passage];
      }
      return a.passage < b.passage;
    }
    return a.start_byte < b.start_byte;
  });
  std::string text = frame;
  for (size_t i = 0; i < candidates.size(); ++i) {
    const Candidate& c = candidates[i];
    if (i > 0) text += ' ';
    text += cite(substring_cp(passages[c.passage].hit.text, c.start_byte, c.end_byte),
                 passages[c.passage].number);
  }
  answer.text = std::move(text);
  answer.strategy = "sentences";
  return answer;
}

}  // namespace atiende::chat
