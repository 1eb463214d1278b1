#pragma once
// Shared fixtures of the eval run tests: a deterministic bag-of-letters embedder and a tiny golden
// set with hand-made answers whose metrics are known.

#include <string>
#include <vector>

#include "embed/embedder.h"
#include "eval/run_report.h"

namespace atiende::eval::testing {

/// Sentence vector = counts of the letters a..z (ASCII, lower-cased): identical texts have cosine
/// 1, texts without shared letters 0.
class LetterEmbedder : public embed::Embedder {
 public:
  size_t dimension() const override { return 26; }
  std::string name() const override { return "letters-26"; }
  Result<std::vector<embed::Vector>> embed(std::span<const std::string> texts,
                                           embed::EmbedRole) const override {
    std::vector<embed::Vector> out;
    for (const auto& text : texts) {
      embed::Vector v(26, 0.0f);
      for (char c : text) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c >= 'a' && c <= 'z') v[static_cast<size_t>(c - 'a')] += 1;
      }
      out.push_back(std::move(v));
    }
    return out;
  }
};

inline std::vector<GoldenQuestion> two_questions() {
  GoldenQuestion q1;
  q1.id = "q1";
  q1.question = "¿Cuánto cuesta el roaming en Europa?";
  q1.reference_answer = "El roaming en Europa cuesta 9.900 COP al día.";
  q1.relevant = {"faq-roaming"};
  q1.line = 1;
  GoldenQuestion q2;
  q2.id = "q2";
  q2.question = "¿Cómo activo la eSIM?";
  q2.reference_answer = "Escanea el código QR desde Ajustes para activar la eSIM.";
  q2.relevant = {"faq-esim", "guia-esim"};
  q2.line = 2;
  return {q1, q2};
}

/// Answers equal to the references, citing a chunk that contains them, relevant docs first.
inline ConfigRun perfect_config() {
  ConfigRun c;
  c.name = "a";
  c.path = "configs/a.toml";
  c.k = 3;
  c.price_prompt_per_1k = 0.5;
  c.price_completion_per_1k = 1.5;
  const auto golden = two_questions();
  const std::vector<std::vector<std::string>> retrieved = {{"faq-roaming", "faq-viajes"},
                                                           {"faq-esim", "guia-esim", "faq-sim"}};
  for (size_t i = 0; i < golden.size(); ++i) {
    RunAnswer a;
    a.text = golden[i].reference_answer + " [1]";
    a.citations = {{1, golden[i].relevant[0], static_cast<int64_t>(10 + i), "título",
                    "Texto de la fuente. " + golden[i].reference_answer}};
    a.retrieved = retrieved[i];
    a.latency_ms = i == 0 ? 2.0 : 4.0;
    a.prompt_tokens = 1000;
    a.completion_tokens = 100;
    a.provider = "builtin";
    c.answers.push_back(std::move(a));
  }
  return c;
}

/// q1 abstains; q2 answers off-topic, uncited, with the relevant doc at rank 2.
inline ConfigRun weak_config() {
  ConfigRun c;
  c.name = "b";
  c.path = "configs/b.toml";
  c.k = 2;
  RunAnswer abstain;
  abstain.text = "No encontré esa información en la base de conocimiento.";
  abstain.abstained = true;
  abstain.provider = "builtin";
  abstain.latency_ms = 1.0;
  RunAnswer off_topic;
  off_topic.text = "Los planes prepago se recargan cada treinta días.";
  off_topic.retrieved = {"faq-planes", "faq-esim"};
  off_topic.provider = "builtin";
  off_topic.latency_ms = 3.0;
  c.answers = {abstain, off_topic};
  return c;
}

}  // namespace atiende::eval::testing
