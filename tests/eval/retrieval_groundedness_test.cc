// Retrieval metrics and groundedness.

#include <cmath>

#include <gtest/gtest.h>

#include "eval/groundedness.h"
#include "eval/retrieval_metrics.h"

namespace atiende::eval {
namespace {

TEST(RetrievalMetrics, HandComputedRanking) {
  const std::vector<std::string> ranked = {"d3", "d1", "d9", "d2", "d1"};
  const std::vector<std::string> relevant = {"d1", "d2", "d7"};
  const auto s = score_ranking(ranked, relevant, 3);
  EXPECT_DOUBLE_EQ(s.recall, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.precision, 1.0 / 3.0);
  EXPECT_DOUBLE_EQ(s.mrr, 0.5);
  EXPECT_DOUBLE_EQ(s.hit, 1.0);
  const double dcg = 1.0 / std::log2(3.0);
  const double ideal = 1.0 + 1.0 / std::log2(3.0) + 0.5;
  EXPECT_DOUBLE_EQ(s.ndcg, dcg / ideal);
  // k = 4 also finds d2 (the duplicate d1 counts once).
  const auto s4 = score_ranking(ranked, relevant, 4);
  EXPECT_DOUBLE_EQ(s4.recall, 2.0 / 3.0);
  EXPECT_DOUBLE_EQ(s4.precision, 0.5);
  EXPECT_EQ(relevant_ranks(ranked, relevant), (std::vector<size_t>{2, 4, 0}));
}

TEST(RetrievalMetrics, PerfectAndEmptyCases) {
  const std::vector<std::string> ranked = {"a", "b"};
  const std::vector<std::string> relevant = {"a", "b"};
  const auto s = score_ranking(ranked, relevant, 10);
  EXPECT_DOUBLE_EQ(s.ndcg, 1.0);
  EXPECT_DOUBLE_EQ(s.recall, 1.0);
  EXPECT_DOUBLE_EQ(s.precision, 0.2);
  EXPECT_DOUBLE_EQ(score_ranking(ranked, {}, 10).ndcg, 0.0);
  EXPECT_DOUBLE_EQ(score_ranking({}, relevant, 10).hit, 0.0);
  const std::vector<RetrievalScores> per = {s, score_ranking({}, relevant, 10)};
  EXPECT_DOUBLE_EQ(mean_scores(per).recall, 0.5);
}

TEST(Groundedness, SplitsSentencesAndPullsOutMarkers) {
  const auto sentences = split_cited_answer(
      "La factura llega 3 días después del corte [faq-1]. Puedes pagarla en la app. [faq-2, faq-3]\n"
      "¡Gracias!");
  ASSERT_EQ(sentences.size(), 3u);
  EXPECT_EQ(sentences[0].text, "La factura llega 3 días después del corte .");
  EXPECT_EQ(sentences[0].cited_ids, (std::vector<std::string>{"faq-1"}));
  EXPECT_EQ(sentences[1].text, "Puedes pagarla en la app.");
  EXPECT_EQ(sentences[1].cited_ids, (std::vector<std::string>{"faq-2", "faq-3"}));
  EXPECT_EQ(sentences[2].text, "¡Gracias!");
}

TEST(Groundedness, AMarkerAfterTheFullStopClosesThePreviousSentence) {
  // The built-in responder writes "sentence. [1] Next sentence. [2]".
  const auto sentences = split_cited_answer("Cuesta 59.900 COP al mes. [1] Incluye 20 GB. [2]");
  ASSERT_EQ(sentences.size(), 2u);
  EXPECT_EQ(sentences[0].text, "Cuesta 59.900 COP al mes.");
  EXPECT_EQ(sentences[0].cited_ids, (std::vector<std::string>{"1"}));
  EXPECT_EQ(sentences[1].text, "Incluye 20 GB.");
  EXPECT_EQ(sentences[1].cited_ids, (std::vector<std::string>{"2"}));
  // A marker that opens the answer has no sentence before it: it stays with the first one.
  const auto first = split_cited_answer("[3] Sin cargo.");
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].cited_ids, (std::vector<std::string>{"3"}));
}

TEST(Groundedness, SupportIsAccentAndInflectionInsensitive) {
  auto s = lexical_support("Las facturas llegan por correo", "La factura llega al CORREO electrónico");
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(*s, 1.0);  // factur, lleg, corre; "las", "por" are stopwords
  auto none = lexical_support("El roaming cuesta diez", "La factura llega por correo");
  ASSERT_TRUE(none.ok());
  EXPECT_DOUBLE_EQ(*none, 0.0);
}

TEST(Groundedness, ScoresCitationsAgainstChunks) {
  const std::map<std::string, std::string> chunks = {
      {"faq-1", "La factura electrónica llega a tu correo 3 días después del corte."},
      {"faq-2", "El roaming en Estados Unidos cuesta 15.000 pesos por día."}};
  const auto sentences = split_cited_answer(
      "La factura llega a tu correo 3 días después del corte [faq-1]. "
      "El roaming cuesta 15.000 pesos por día [faq-1, faq-2]. "
      "También puedes pagar con tarjeta. ¡Gracias! [faq-9]");
  auto g = groundedness(sentences, chunks);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->content_sentences, 4u);  // "¡Gracias!" has content tokens ("graci")
  // Supported: sentence 1 (faq-1) and 2 (faq-2). Sentence 3 is uncited, sentence 4 cites nothing real.
  EXPECT_DOUBLE_EQ(g->groundedness, 2.0 / 4.0);
  EXPECT_DOUBLE_EQ(g->citation_coverage, 3.0 / 4.0);
  // Citations: faq-1 ok, faq-1 (for roaming) not, faq-2 ok, faq-9 unknown.
  EXPECT_EQ(g->citations, 4u);
  EXPECT_EQ(g->supported_citations, 2u);
  EXPECT_DOUBLE_EQ(g->citation_precision, 0.5);
  EXPECT_EQ(g->unknown_ids, (std::vector<std::string>{"faq-9"}));
  GroundednessOptions bad;
  bad.support_threshold = 2;
  EXPECT_FALSE(groundedness(sentences, chunks, bad).ok());
}

}  // namespace
}  // namespace atiende::eval
