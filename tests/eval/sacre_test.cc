// Tokenizers, Python string semantics, signatures and our own Spanish BLEU/chrF/TER cases.

#include <gtest/gtest.h>

#include "eval/bleu.h"
#include "eval/chrf.h"
#include "eval/py_text.h"
#include "eval/sacre_tokenizers.h"
#include "eval/ter.h"
#include "row_runner.h"

namespace atiende::eval {
namespace {

std::string tok(SacreTokenizer t, const std::string& text) {
  return encode_utf8(sacre_tokenize(t, *decode_utf8(text)));
}

TEST(SacreTokenizers, ThirteenAKeepsSpanishOpeningMarksAttached) {
  // 13a only knows ASCII punctuation: ¿ and ¡ stay glued to the word, like sacreBLEU.
  EXPECT_EQ(tok(SacreTokenizer::k13a, "¿Cuánto cuesta el plan? ¡Hola!"), "¿Cuánto cuesta el plan ? ¡Hola !");
  EXPECT_EQ(tok(SacreTokenizer::k13a, "Cuesta $45.900,50 (IVA)."), "Cuesta $ 45.900,50 ( IVA ) .");
  EXPECT_EQ(tok(SacreTokenizer::k13a, "AT&amp;T &quot;x&quot;"), "AT & T \" x \"");
  EXPECT_EQ(tok(SacreTokenizer::k13a, "1-2 a-b"), "1 - 2 a-b");
}

TEST(SacreTokenizers, IntlSplitsUnicodePunctuationAndSymbols) {
  EXPECT_EQ(tok(SacreTokenizer::kIntl, "¿Cuánto cuesta el plan? ¡Hola! $45.900,50"),
            "¿ Cuánto cuesta el plan ? ¡ Hola ! $ 45.900,50");
  EXPECT_EQ(tok(SacreTokenizer::kIntl, "«UnaEmpresa» 5€"), "« UnaEmpresa » 5 €");
}

TEST(SacreTokenizers, CharAndNone) {
  EXPECT_EQ(tok(SacreTokenizer::kChar, "año 5"), "a ñ o   5");
  EXPECT_EQ(tok(SacreTokenizer::kNone, "¿Qué  tal?"), "¿Qué  tal?");
}

TEST(SacreTokenizers, Tercom) {
  TercomOptions o;
  EXPECT_EQ(encode_utf8(tercom_tokenize(*decode_utf8("  ÉXITO  Total "), o)), "éxito total");
  o.normalized = true;
  EXPECT_EQ(encode_utf8(tercom_tokenize(*decode_utf8("It's John's, ok."), o)), "it 's john's , ok .");
  o.normalized = false;
  o.no_punct = true;
  o.case_sensitive = true;
  EXPECT_EQ(encode_utf8(tercom_tokenize(*decode_utf8("¿Qué (tal)?"), o)), "¿Qué tal");
}

TEST(PyText, LowerMatchesPython) {
  EXPECT_EQ(encode_utf8(py_lower(*decode_utf8("ÑANDÚ İ"))), "ñandú i\xCC\x87");
  // Final sigma: "ΟΔΟΣ ΣΑ" -> "οδος σα".
  EXPECT_EQ(encode_utf8(py_lower(*decode_utf8("ΟΔΟΣ ΣΑ"))), "οδος σα");
}

TEST(PyText, SplitAndStripUsePythonWhitespace) {
  const auto parts = py_split(*decode_utf8("a\xC2\xA0" "b\xE2\x80\x83" "c\x1F" "d\xE2\x80\x8B" "e"));
  ASSERT_EQ(parts.size(), 4u);  // NBSP, em space, U+001F split; zero-width space does not
  EXPECT_EQ(encode_utf8(parts[3]), "d\xE2\x80\x8B" "e");
  EXPECT_EQ(encode_utf8(std::u32string(py_rstrip(*decode_utf8("hola \xC2\xA0\t")))), "hola");
}

TEST(PyText, InvalidUtf8IsAnErrorNamingTheInput) {
  auto bad = decode_utf8("ok\xC3", "hypothesis line 4");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("hypothesis line 4"), std::string::npos);
  EXPECT_FALSE(decode_utf8("\xED\xA0\x80").ok());  // surrogate
  EXPECT_FALSE(decode_utf8("\xC0\xAF").ok());      // overlong
  std::vector<std::string> hyps = {"\xFF"};
  std::vector<std::vector<std::string>> refs = {{"x"}};
  EXPECT_FALSE(corpus_bleu(hyps, refs, {}).ok());
  EXPECT_FALSE(corpus_chrf(hyps, refs, {}).ok());
  EXPECT_FALSE(corpus_ter(hyps, refs, {}).ok());
}

TEST(Signatures, MatchSacrebleuFormat) {
  BleuOptions b;
  EXPECT_EQ(bleu_signature(b, 1), "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x");
  b.smooth = BleuSmooth::kFloor;
  b.lowercase = true;
  b.tokenize = SacreTokenizer::kIntl;
  EXPECT_EQ(bleu_signature(b, 2), "nrefs:2|case:lc|eff:no|tok:intl|smooth:floor[0.10]|version:2.x");
  b.smooth = BleuSmooth::kAddK;
  b.smooth_value = 2;
  EXPECT_EQ(bleu_signature(b, 1), "nrefs:1|case:lc|eff:no|tok:intl|smooth:add-k[2.00]|version:2.x");
  ChrfOptions c;
  c.word_order = 2;
  EXPECT_EQ(chrf_signature(c, 1), "nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.x");
  EXPECT_EQ(chrf_name(c), "chrF2++");
  EXPECT_EQ(ter_signature({}, 1), "nrefs:1|case:lc|tok:tercom|norm:no|punct:yes|asian:no|version:2.x");
}

TEST(Bleu, MisalignedStreamsAndBadOptionsAreErrors) {
  std::vector<std::string> hyps = {"a", "b"};
  std::vector<std::vector<std::string>> refs = {{"a"}};
  auto r = corpus_bleu(hyps, refs, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("1 lines"), std::string::npos);
  EXPECT_NE(r.status().message().find("2 hypotheses"), std::string::npos);
  BleuOptions o;
  o.max_ngram_order = 0;
  EXPECT_FALSE(corpus_bleu(hyps, {}, o).ok());
  ChrfOptions c;
  c.beta = 0;
  EXPECT_FALSE(sentence_chrf("a", std::vector<std::string>{"a"}, c).ok());
}

TEST(Bleu, SentenceBleuForcesEffectiveOrder) {
  // Two tokens: no 3- or 4-grams; without effective order exp smoothing would still score.
  const std::vector<std::string> refs = {"buenos días"};
  auto s = sentence_bleu("buenos días", refs, {});
  ASSERT_TRUE(s.ok());
  EXPECT_NEAR(s->score, 100.0, 1e-9);
}

// Our own Spanish cases: accents, ñ, ¿¡, numbers with thousands separators. Expected values come
// from a Python transcription of sacreBLEU 2.x that uses Python's own `re` and `str` (see
// tests/eval/data/README.md).
TEST(SpanishCases, BleuChrfTerMatchSacrebleuSemantics) {
  const auto rows = testing::load_rows(std::filesystem::path(ATIENDE_SOURCE_DIR) / "tests" / "eval" /
                                       "data" / "spanish_metrics.jsonl");
  ASSERT_GE(rows.size(), 70u);
  std::vector<Json> bleu, chrf, ter;
  for (const auto& row : rows) {
    const std::string api = row.at("config").at("api");
    if (api.find("bleu") != std::string::npos) {
      bleu.push_back(row);
    } else if (api.find("chrf") != std::string::npos) {
      chrf.push_back(row);
    } else {
      ter.push_back(row);
    }
  }
  const auto b = testing::run_bleu_rows(bleu);
  const auto c = testing::run_chrf_rows(chrf);
  const auto t = testing::run_ter_rows(ter);
  EXPECT_EQ(b.passed, b.total);
  EXPECT_EQ(c.passed, c.total);
  EXPECT_EQ(t.passed, t.total);
  EXPECT_EQ(b.total + c.total + t.total, static_cast<int>(rows.size()));
}

}  // namespace
}  // namespace atiende::eval
