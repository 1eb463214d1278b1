// Semantic similarity with a fake embedder, and the `eval metrics` report engine.

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/json.h"
#include "eval/metric_report.h"
#include "eval/semantic.h"

namespace atiende::eval {
namespace {

// Maps each known word to a one-hot axis; a text's sentence vector is the normalized sum.
class FakeEmbedder : public embed::Embedder {
 public:
  size_t dimension() const override { return 4; }
  std::string name() const override { return "fake-4"; }
  static embed::Vector word(const std::string& w) {
    embed::Vector v(4, 0.0f);
    if (w == "hola") v[0] = 1;
    else if (w == "mundo") v[1] = 1;
    else if (w == "adios") v[2] = 1;
    else v[3] = 1;
    return v;
  }
  static std::vector<std::string> words(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : text + " ") {
      if (c == ' ') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    return out;
  }
  Result<std::vector<embed::Vector>> embed(std::span<const std::string> texts,
                                           embed::EmbedRole) const override {
    std::vector<embed::Vector> out;
    for (const auto& t : texts) {
      embed::Vector sum(4, 0.0f);
      for (const auto& w : words(t)) {
        const auto v = word(w);
        for (size_t i = 0; i < 4; ++i) sum[i] += v[i];
      }
      out.push_back(sum);
    }
    return out;
  }
};

Result<std::vector<std::vector<embed::Vector>>> fake_tokens(std::span<const std::string> texts) {
  std::vector<std::vector<embed::Vector>> out;
  for (const auto& t : texts) {
    std::vector<embed::Vector> vs;
    for (const auto& w : FakeEmbedder::words(t)) vs.push_back(FakeEmbedder::word(w));
    out.push_back(vs);
  }
  return out;
}

TEST(Semantic, SentenceCosineWithoutTokenVectors) {
  FakeEmbedder e;
  const std::vector<std::string> hyps = {"hola mundo", "adios"};
  const std::vector<std::vector<std::string>> refs = {{"hola mundo", "hola"}};
  auto r = semantic_similarity(hyps, refs, e);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, SemanticMethod::kSentenceCosine);
  EXPECT_NEAR(r->lines[0].f1, 1.0, 1e-9);
  EXPECT_NEAR(r->lines[1].f1, 0.0, 1e-9);
  EXPECT_EQ(semantic_signature(*r, 1), "nrefs:1|method:sentence_cosine|embedder:fake-4");
}

TEST(Semantic, GreedyTokenMatchingWhenTokenVectorsExist) {
  FakeEmbedder e;
  const std::vector<std::string> hyps = {"hola mundo adios"};
  const std::vector<std::vector<std::string>> refs = {{"hola mundo"}};
  auto r = semantic_similarity(hyps, refs, e, fake_tokens);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, SemanticMethod::kTokenGreedy);
  EXPECT_NEAR(r->lines[0].precision, 2.0 / 3.0, 1e-9);  // "adios" has no match
  EXPECT_NEAR(r->lines[0].recall, 1.0, 1e-9);
  EXPECT_NEAR(r->lines[0].f1, 0.8, 1e-9);
}

TEST(Semantic, WordVectorsFromASentenceEmbedder) {
  FakeEmbedder e;
  const std::vector<std::string> hyps = {"¡Hola mundo, adios!"};
  const std::vector<std::vector<std::string>> refs = {{"HOLA mundo"}};
  auto r = semantic_similarity(hyps, refs, e, word_vectors_from(e));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->method, SemanticMethod::kTokenGreedy);
  EXPECT_NEAR(r->lines[0].precision, 2.0 / 3.0, 1e-9);
  EXPECT_NEAR(r->lines[0].recall, 1.0, 1e-9);
}

TEST(MetricReport, MisalignedInputNamesBothCounts) {
  const std::vector<std::string> hyps = {"a", "b", "c"};
  const std::vector<std::vector<std::string>> refs = {{"a", "b"}};
  auto r = compute_metric_report(hyps, refs, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("3 lines"), std::string::npos);
  EXPECT_NE(r.status().message().find("2 lines"), std::string::npos);
}

TEST(MetricReport, PerLineEqualsSentenceScores) {
  const std::vector<std::string> hyps = {"¿Cuánto cuesta el plan?", "La señal está caída."};
  const std::vector<std::vector<std::string>> refs = {{"¿Cuál es el precio del plan?", "La señal está caída hoy."}};
  MetricRequest req;
  req.per_line = true;
  for (auto kind : {MetricKind::kBleu, MetricKind::kChrf, MetricKind::kTer}) {
    req.metric = kind;
    auto r = compute_metric_report(hyps, refs, req);
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->lines.size(), 2u);
    for (size_t i = 0; i < 2; ++i) {
      const std::vector<std::string> line_refs = {refs[0][i]};
      double expected = 0;
      if (kind == MetricKind::kBleu) expected = sentence_bleu(hyps[i], line_refs, req.bleu)->score;
      if (kind == MetricKind::kChrf) expected = sentence_chrf(hyps[i], line_refs, req.chrf)->score;
      if (kind == MetricKind::kTer) expected = sentence_ter(hyps[i], line_refs, req.ter)->score;
      EXPECT_EQ(r->lines[i], expected);
    }
  }
}

TEST(MetricReport, JsonShapes) {
  const std::vector<std::string> hyps = {"el plan cuesta diez", "hola"};
  const std::vector<std::vector<std::string>> refs = {{"el plan cuesta diez mil", "hola"}};
  MetricRequest req;
  req.metric = MetricKind::kRouge;
  auto rouge = compute_metric_report(hyps, refs, req);
  ASSERT_TRUE(rouge.ok());
  auto json = parse_json(metric_report_json(*rouge));
  ASSERT_TRUE(json.ok());
  EXPECT_EQ((*json)["metric"], "rouge");
  EXPECT_EQ((*json)["rouge_type"], "rougeL");
  for (const char* type : {"rouge1", "rouge2", "rougeL", "rougeLsum"}) {
    EXPECT_TRUE((*json)["precision"].contains(type)) << type;
    EXPECT_TRUE((*json)["fmeasure"].contains(type)) << type;
  }
  EXPECT_DOUBLE_EQ((*json)["score"].get<double>(), (*json)["fmeasure"]["rougeL"].get<double>());
  EXPECT_FALSE(json->contains("lines"));

  req.metric = MetricKind::kBleu;
  req.per_line = true;
  auto bleu = compute_metric_report(hyps, refs, req);
  ASSERT_TRUE(bleu.ok());
  auto bj = parse_json(metric_report_json(*bleu));
  ASSERT_TRUE(bj.ok());
  EXPECT_EQ((*bj)["signature"], "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:2.x");
  EXPECT_EQ((*bj)["lines"].size(), 2u);
  EXPECT_NE(metric_report_text(*bleu).find("BLEU = "), std::string::npos);

  req.metric = MetricKind::kSemantic;
  EXPECT_EQ(compute_metric_report(hyps, refs, req).status().code(), StatusCode::kFailedPrecondition);
  FakeEmbedder e;
  req.embedder = &e;
  auto sem = compute_metric_report(hyps, refs, req);
  ASSERT_TRUE(sem.ok());
  auto sj = parse_json(metric_report_json(*sem));
  ASSERT_TRUE(sj.ok());
  EXPECT_EQ((*sj)["method"], "sentence_cosine");
  EXPECT_TRUE((*sj)["fmeasure"].is_number());
}

TEST(MetricReport, ReadLinesHandlesCrlfAndRejectsBadUtf8) {
  const auto dir = std::filesystem::path(ATIENDE_BINARY_DIR) / "eval_test_tmp";
  std::filesystem::create_directories(dir);
  {
    std::ofstream(dir / "crlf.txt", std::ios::binary) << "uno\r\ndos\r\n\r\ntres";
    std::ofstream(dir / "bad.txt", std::ios::binary) << "ok\nma\xF1" "ana\n";
  }
  auto lines = read_lines(dir / "crlf.txt");
  ASSERT_TRUE(lines.ok());
  EXPECT_EQ(*lines, (std::vector<std::string>{"uno", "dos", "", "tres"}));
  auto bad = read_lines(dir / "bad.txt");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(read_lines(dir / "missing.txt").ok());
}

}  // namespace
}  // namespace atiende::eval
