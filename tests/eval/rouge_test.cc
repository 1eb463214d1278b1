// ROUGE beyond the shared vectors: NLTK Porter stems, the Unicode (Spanish) mode, score_multi.

#include <gtest/gtest.h>

#include "eval/porter_stemmer.h"
#include "eval/rouge.h"

namespace atiende::eval {
namespace {

TEST(PorterStemmer, MatchesNltkExtensionsMode) {
  // From NLTK's PorterStemmer documentation examples (default NLTK_EXTENSIONS mode).
  const std::pair<const char*, const char*> cases[] = {
      {"caresses", "caress"}, {"flies", "fli"},     {"dies", "die"},         {"mules", "mule"},
      {"denied", "deni"},     {"died", "die"},      {"agreed", "agre"},      {"owned", "own"},
      {"humbled", "humbl"},   {"sized", "size"},    {"meeting", "meet"},     {"stating", "state"},
      {"siezing", "siez"},    {"itemization", "item"}, {"sensational", "sensat"},
      {"traditional", "tradit"}, {"reference", "refer"}, {"colonizer", "colon"}, {"plotted", "plot"},
      {"running", "run"},     {"happy", "happi"},   {"enjoy", "enjoy"},      {"skies", "sky"},
      {"dying", "die"},       {"feed", "feed"},     {"is", "is"},            {"Testing", "test"}};
  for (const auto& [word, stem] : cases) EXPECT_EQ(porter_stem(word), stem) << word;
}

TEST(RougeTokenizer, RougeScoreModeDropsAccentedLetters) {
  auto tokens = rouge_tokenize("¿Cuánto cuesta el año?", {});
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(*tokens, (std::vector<std::string>{"cu", "nto", "cuesta", "el", "a", "o"}));
}

TEST(RougeTokenizer, UnicodeModeKeepsAccentsAndEnye) {
  RougeOptions o;
  o.tokenizer = RougeTokenizer::kUnicode;
  auto tokens = rouge_tokenize("¿Cuánto cuesta el AÑO? ¡Ya! 5G", o);
  ASSERT_TRUE(tokens.ok());
  EXPECT_EQ(*tokens, (std::vector<std::string>{"cuánto", "cuesta", "el", "año", "ya", "5g"}));
  // Decomposed input (n + combining tilde) is composed first.
  auto decomposed = rouge_tokenize("an\xCC\x83o", o);
  ASSERT_TRUE(decomposed.ok());
  EXPECT_EQ(*decomposed, (std::vector<std::string>{"año"}));
}

TEST(Rouge, UnicodeModeScoresSpanishWordsThatRougeScoreMangles) {
  RougeOptions unicode;
  unicode.tokenizer = RougeTokenizer::kUnicode;
  // "año" vs "ano" are different words; rouge-score's ASCII tokenizer cannot tell them apart
  // from "a o" and gives partial credit, the Unicode mode gives none.
  auto u = rouge_score("rouge1", "el año", "el ano", unicode);
  ASSERT_TRUE(u.ok());
  EXPECT_DOUBLE_EQ(u->fmeasure, 0.5);
  auto a = rouge_score("rouge1", "el año", "el ano", {});
  ASSERT_TRUE(a.ok());
  EXPECT_DOUBLE_EQ(a->recall, 1.0 / 3.0);  // target tokens: el, a, o
}

TEST(Rouge, UnicodeModeStemsSpanishWithSnowball) {
  RougeOptions o;
  o.tokenizer = RougeTokenizer::kUnicode;
  o.use_stemmer = true;
  auto s = rouge_score("rouge1", "las facturas llegan", "la factura llega", o);
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->recall, 2.0 / 3.0);  // factur, lleg match; "las"/"la" are too short to stem
  o.stemmer_language = "klingon";
  EXPECT_FALSE(rouge_score("rouge1", "a", "a", o).ok());
}

TEST(Rouge, LsumSplitsOnNewlines) {
  auto s = rouge_score("rougeLsum", "w1 w2 w3 w4 w5", "w1 w2 w6 w7 w8\nw1 w3 w8 w9 w5", {});
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->precision, 0.4);
  EXPECT_DOUBLE_EQ(s->recall, 0.8);
  // One line on each side is a single sentence: the same as rougeL.
  auto lsum = rouge_score("rougeLsum", "el plan cuesta diez", "cuesta el plan diez", {});
  auto l = rouge_score("rougeL", "el plan cuesta diez", "cuesta el plan diez", {});
  ASSERT_TRUE(lsum.ok() && l.ok());
  EXPECT_DOUBLE_EQ(lsum->fmeasure, l->fmeasure);
  EXPECT_DOUBLE_EQ(l->fmeasure, 0.75);
}

TEST(Rouge, ScoreMultiPicksBestFmeasureAndUnknownTypesFail) {
  const std::vector<std::string> targets = {"uno dos tres", "hola mundo"};
  auto s = rouge_score_multi("rouge1", targets, "hola mundo", {});
  ASSERT_TRUE(s.ok());
  EXPECT_DOUBLE_EQ(s->fmeasure, 1.0);
  EXPECT_FALSE(rouge_score("rougeX", "a", "a", {}).ok());
  EXPECT_FALSE(rouge_score("rouge0", "a", "a", {}).ok());
  EXPECT_FALSE(rouge_score_multi("rouge1", {}, "a", {}).ok());
}

}  // namespace
}  // namespace atiende::eval
