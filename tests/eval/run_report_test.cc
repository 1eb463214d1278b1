// eval run scoring: hand-made answers with known metrics (a perfect config and a weak one),
// citation-marker stripping, percentiles, cost, and the report.json contract fields.

#include <gtest/gtest.h>

#include "common/json.h"
#include "eval/run_report.h"
#include "eval/run_fixture.h"

namespace atiende::eval {
namespace {

using testing::LetterEmbedder;

double value(const MetricMap& m, const std::string& key) {
  auto it = m.find(key);
  EXPECT_NE(it, m.end()) << key;
  if (it == m.end() || !it->second) {
    ADD_FAILURE() << key << " is null";
    return -1;
  }
  return *it->second;
}

bool is_null(const MetricMap& m, const std::string& key) {
  auto it = m.find(key);
  return it != m.end() && !it->second;
}

Result<RunReport> score_both() {
  static const LetterEmbedder embedder;
  RunScoringOptions options;
  options.embedder = &embedder;
  return score_run(testing::two_questions(), "qa.jsonl",
                   {testing::perfect_config(), testing::weak_config()}, options);
}

TEST(StripCitationMarkersTest, RemovesMarkersAndTheSpacesTheyLeave) {
  EXPECT_EQ(strip_citation_markers("Cuesta 10 COP [1]."), "Cuesta 10 COP.");
  EXPECT_EQ(strip_citation_markers("Uno [1, 2] y dos [3][4] fin"), "Uno y dos fin");
  EXPECT_EQ(strip_citation_markers("[2] Al inicio"), "Al inicio");
  EXPECT_EQ(strip_citation_markers("Texto 【1】 chino"), "Texto chino");
  // Not markers: words in brackets, an unclosed bracket, an empty one.
  EXPECT_EQ(strip_citation_markers("Menú [Ajustes] y [3 y []"), "Menú [Ajustes] y [3 y []");
}

TEST(PercentileTest, InterpolatesLinearlyLikeNumpy) {
  EXPECT_DOUBLE_EQ(percentile({4, 1, 3, 2}, 50), 2.5);
  EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 95), 3.85);
  EXPECT_DOUBLE_EQ(percentile({7}, 95), 7);
  EXPECT_DOUBLE_EQ(percentile({}, 50), 0);
}

TEST(ScoreRunTest, PerfectAnswersScoreFullMarks) {
  auto report = score_both();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  ASSERT_EQ(report->configs.size(), 2u);
  const ConfigSummary& a = report->configs[0];
  EXPECT_DOUBLE_EQ(value(a.metrics, "bleu"), 100.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "chrf"), 100.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "rougeL_f"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "rouge2_f"), 1.0);
  EXPECT_NEAR(value(a.metrics, "semantic_f1"), 1.0, 1e-6);
  EXPECT_DOUBLE_EQ(value(a.metrics, "retrieval_recall"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "retrieval_mrr"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "retrieval_ndcg"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "retrieval_precision"), (1.0 / 3 + 2.0 / 3) / 2);
  EXPECT_DOUBLE_EQ(value(a.metrics, "groundedness"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "citation_precision"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "citation_coverage"), 1.0);
  EXPECT_DOUBLE_EQ(value(a.metrics, "abstain_rate"), 0.0);
  EXPECT_DOUBLE_EQ(a.latency_ms.p50, 3.0);
  EXPECT_DOUBLE_EQ(a.latency_ms.p95, 3.9);
  EXPECT_EQ(a.prompt_tokens, 2000);
  EXPECT_EQ(a.completion_tokens, 200);
  EXPECT_DOUBLE_EQ(a.cost, 2 * (1.0 * 0.5 + 0.1 * 1.5));
  EXPECT_EQ(report->settings.at("semantic_method"), "sentence_cosine");
  EXPECT_EQ(report->settings.at("semantic_embedder"), "letters-26");
}

TEST(ScoreRunTest, AbstentionsAndUncitedAnswersAreScoredApart) {
  auto report = score_both();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  const ConfigSummary& b = report->configs[1];
  // q1 abstained: no groundedness; q2 answered without citations: groundedness 0, no precision.
  EXPECT_TRUE(is_null(b.answers[0].metrics, "groundedness"));
  EXPECT_DOUBLE_EQ(value(b.answers[1].metrics, "groundedness"), 0.0);
  EXPECT_TRUE(is_null(b.answers[1].metrics, "citation_precision"));
  EXPECT_DOUBLE_EQ(value(b.metrics, "groundedness"), 0.0);
  EXPECT_TRUE(is_null(b.metrics, "citation_precision"));
  EXPECT_DOUBLE_EQ(value(b.metrics, "abstain_rate"), 0.5);
  // Retrieval at k = 2: q1 retrieved nothing, q2 has faq-esim at rank 2 of 2 relevant.
  EXPECT_DOUBLE_EQ(value(b.answers[1].metrics, "retrieval_recall"), 0.5);
  EXPECT_DOUBLE_EQ(value(b.answers[1].metrics, "retrieval_mrr"), 0.5);
  EXPECT_DOUBLE_EQ(value(b.metrics, "retrieval_recall"), 0.25);
  EXPECT_LT(value(b.metrics, "rougeL_f"), 0.3);
  EXPECT_LT(value(b.metrics, "bleu"), 20.0);
  EXPECT_DOUBLE_EQ(b.latency_ms.p50, 2.0);
  EXPECT_DOUBLE_EQ(b.cost, 0.0);
}

TEST(ScoreRunTest, RejectsMisalignedAnswersAndDuplicateNames) {
  LetterEmbedder embedder;
  RunScoringOptions options;
  options.embedder = &embedder;
  ConfigRun short_run = testing::weak_config();
  short_run.answers.pop_back();
  auto misaligned = score_run(testing::two_questions(), "qa.jsonl", {short_run}, options);
  ASSERT_FALSE(misaligned.ok());
  EXPECT_NE(misaligned.status().message().find("1 answers for 2 golden questions"), std::string::npos)
      << misaligned.status().message();
  ConfigRun twin = testing::weak_config();
  twin.name = "a";
  auto duplicate = score_run(testing::two_questions(), "qa.jsonl", {testing::perfect_config(), twin},
                             options);
  ASSERT_FALSE(duplicate.ok());
  EXPECT_NE(duplicate.status().message().find("\"a\""), std::string::npos);
  auto no_embedder = score_run(testing::two_questions(), "qa.jsonl", {testing::perfect_config()}, {});
  EXPECT_FALSE(no_embedder.ok());
}

TEST(RunReportJsonTest, HasTheContractFields) {
  auto report = score_both();
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  report->created_at = "2026-11-22T12:00:00Z";
  report->gate = GateSummary{"gate.toml", false, {"config b: rougeL_f = 0.1 misses >= 0.3"}};
  auto parsed = parse_json(run_report_json(*report));
  ASSERT_TRUE(parsed.ok());
  const Json& j = *parsed;
  EXPECT_EQ(j["created_at"], "2026-11-22T12:00:00Z");
  EXPECT_EQ(j["golden"], "qa.jsonl");
  ASSERT_EQ(j["configs"].size(), 2u);
  for (const auto& c : j["configs"]) {
    for (const char* key : {"name", "path", "metrics", "latency_ms", "tokens", "cost"}) {
      EXPECT_TRUE(c.contains(key)) << key;
    }
    EXPECT_TRUE(c["latency_ms"]["p50"].is_number());
    EXPECT_TRUE(c["latency_ms"]["p95"].is_number());
    EXPECT_TRUE(c["tokens"]["prompt"].is_number_integer());
    EXPECT_TRUE(c["tokens"]["completion"].is_number_integer());
  }
  EXPECT_EQ(j["configs"][0]["name"], "a");
  EXPECT_EQ(j["configs"][0]["path"], "configs/a.toml");
  EXPECT_DOUBLE_EQ(j["configs"][0]["metrics"]["rougeL_f"].get<double>(), 1.0);
  EXPECT_TRUE(j["configs"][1]["metrics"]["citation_precision"].is_null());
  ASSERT_EQ(j["questions"].size(), 2u);
  const Json& q = j["questions"][1];
  EXPECT_EQ(q["id"], "q2");
  EXPECT_EQ(q["question"], "¿Cómo activo la eSIM?");
  EXPECT_TRUE(q["reference_answer"].is_string());
  for (const char* name : {"a", "b"}) {
    const Json& answer = q["answers"][name];
    for (const char* key : {"text", "citations", "latency_ms", "metrics"}) {
      EXPECT_TRUE(answer.contains(key)) << name << " " << key;
    }
  }
  EXPECT_EQ(q["answers"]["a"]["citations"][0]["doc_id"], "faq-esim");
  EXPECT_EQ(q["answers"]["a"]["citations"][0]["number"], 1);
  EXPECT_DOUBLE_EQ(q["answers"]["a"]["latency_ms"].get<double>(), 4.0);
  EXPECT_EQ(j["gate"]["passed"], false);
  EXPECT_EQ(j["gate"]["failures"].size(), 1u);
}

TEST(GateValuesTest, AddsLatencyTokensAndCost) {
  auto report = score_both();
  ASSERT_TRUE(report.ok());
  auto values = gate_values(*report);
  EXPECT_DOUBLE_EQ(*values["a"]["latency_p95_ms"], 3.9);
  EXPECT_DOUBLE_EQ(*values["a"]["prompt_tokens"], 2000);
  EXPECT_DOUBLE_EQ(*values["a"]["cost"], 1.3);
  EXPECT_DOUBLE_EQ(*values["b"]["rougeL_f"], *report->configs[1].metrics["rougeL_f"]);
}

}  // namespace
}  // namespace atiende::eval
