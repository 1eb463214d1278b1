#include "agent/confirm_text.h"

#include <string>
#include <vector>

#include "agent/catalog.h"
#include "text/analyzer.h"

namespace atiende::agent {
namespace {

/// Folds and replaces every ASCII non-alphanumeric byte with a space, collapsing runs.
std::string normalize(std::string_view text) {
  std::string folded = text::fold(text);
  std::string out;
  bool space = true;
  for (unsigned char c : folded) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
    if (word) {
      out.push_back(static_cast<char>(c));
      space = false;
    } else if (!space) {
      out.push_back(' ');
      space = true;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

const std::vector<std::string>& yes_phrases() {
  static const std::vector<std::string> k = {
      "si", "sii", "siii", "sip", "dale", "confirmo", "confirmalo", "confirma", "confirmar",
      "confirmado", "confirmada", "ok", "okay", "listo", "de una", "hagale", "hagalo", "hazlo",
      "claro", "claro que si", "por supuesto", "adelante", "correcto", "de acuerdo", "acepto",
      "va", "vale", "perfecto", "procede", "procedamos", "yes", "yep", "yeah", "yup", "sure",
      "confirm", "confirmed", "go ahead", "do it", "of course", "please do"};
  return k;
}

const std::vector<std::string>& no_phrases() {
  static const std::vector<std::string> k = {
      "no", "nop", "nope", "cancela", "cancelar", "cancelalo", "cancelala", "cancelado", "mejor no",
      "no gracias", "todavia no", "aun no", "espera", "olvidalo", "olvida", "detente",
      "no quiero", "no lo hagas", "nunca", "negativo", "cancel", "stop", "never mind", "nevermind",
      "don t", "dont", "not now", "abort", "rechazo", "no confirmo"};
  return k;
}

bool any_phrase(const std::string& text, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases) {
    if (contains_phrase(text, p)) return true;
  }
  return false;
}

}  // namespace

ConfirmDecision parse_confirmation(std::string_view text) {
  if (text.size() > 200) return ConfirmDecision::kUnclear;
  const std::string norm = normalize(text);
  if (norm.empty()) return ConfirmDecision::kUnclear;
  size_t words = 1;
  for (char c : norm) words += c == ' ';
  if (words > 8) return ConfirmDecision::kUnclear;
  const bool yes = any_phrase(norm, yes_phrases());
  const bool no = any_phrase(norm, no_phrases());
  if (no && !yes) return ConfirmDecision::kNo;
  if (yes && !no) return ConfirmDecision::kYes;
  // "no, gracias" / "si" mixes and "no confirmo": a leading negation with only negated yes words
  // ("no confirmo", "no lo confirmes") is a no; other mixes are unclear.
  if (yes && no && (norm.rfind("no ", 0) == 0) &&
      (norm == "no confirmo" || norm == "no lo confirmes" || norm == "no lo hagas")) {
    return ConfirmDecision::kNo;
  }
  return ConfirmDecision::kUnclear;
}

std::string_view confirm_decision_name(ConfirmDecision decision) {
  switch (decision) {
    case ConfirmDecision::kYes: return "yes";
    case ConfirmDecision::kNo: return "no";
    case ConfirmDecision::kUnclear: return "unclear";
  }
  return "unclear";
}

}  // namespace atiende::agent
