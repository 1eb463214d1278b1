// Gate files (TOML and JSON, errors naming the key) and checks; the golden QA parser (line-numbered
// errors, duplicate ids) and unknown-doc warnings.

#include <gtest/gtest.h>

#include "eval/gate.h"
#include "eval/golden_qa.h"

namespace atiende::eval {
namespace {

TEST(GateTest, ParsesTomlComparisonsAndAConfigFilter) {
  auto gate = parse_gate(
      "[gate]\nrougeL_f = \">= 0.30\"\nlatency_p95_ms = \"<= 50\"\ncost = \"< 1\"\n"
      "abstain_rate = \"== 0\"\nretrieval_mrr = \"> 0.5\"\nconfig = \"b\"\n",
      "gate.toml");
  ASSERT_TRUE(gate.ok()) << gate.status().to_string();
  EXPECT_EQ(gate->configs, std::vector<std::string>{"b"});
  ASSERT_EQ(gate->thresholds.size(), 5u);
  std::map<std::string, GateThreshold> by_name;
  for (const auto& t : gate->thresholds) by_name[t.metric] = t;
  EXPECT_EQ(by_name["rougeL_f"].op, GateOp::kGreaterEqual);
  EXPECT_DOUBLE_EQ(by_name["rougeL_f"].value, 0.30);
  EXPECT_EQ(by_name["latency_p95_ms"].op, GateOp::kLessEqual);
  EXPECT_EQ(by_name["cost"].op, GateOp::kLess);
  EXPECT_EQ(by_name["abstain_rate"].op, GateOp::kEqual);
  EXPECT_EQ(by_name["retrieval_mrr"].op, GateOp::kGreater);
}

TEST(GateTest, ParsesJson) {
  auto gate = parse_gate(R"({"gate": {"bleu": ">= 10", "config": ["a", "b"]}})", "ci/gate.json");
  ASSERT_TRUE(gate.ok()) << gate.status().to_string();
  ASSERT_EQ(gate->thresholds.size(), 1u);
  EXPECT_EQ(gate->thresholds[0].text, ">= 10");
  EXPECT_EQ(gate->configs, (std::vector<std::string>{"a", "b"}));
}

TEST(GateTest, BadFilesNameTheProblem) {
  auto number = parse_gate("[gate]\nrougeL_f = 0.3\n", "g.toml");
  ASSERT_FALSE(number.ok());
  EXPECT_NE(number.status().message().find("gate.rougeL_f"), std::string::npos);
  EXPECT_NE(number.status().message().find("comparison"), std::string::npos);
  auto bad_op = parse_gate("[gate]\nbleu = \"at least 3\"\n", "g.toml");
  ASSERT_FALSE(bad_op.ok());
  EXPECT_NE(bad_op.status().message().find("at least 3"), std::string::npos);
  EXPECT_FALSE(parse_gate("[other]\nx = 1\n", "g.toml").ok());
  EXPECT_FALSE(parse_gate("[gate]\n", "g.toml").ok());
  EXPECT_FALSE(parse_gate("{\"bleu\": \">= 1\"}", "g.json").ok());
  EXPECT_FALSE(parse_gate("[gate\n", "g.toml").ok());
}

TEST(GateTest, ValidateNamesUnknownMetricsAndConfigs) {
  auto gate = parse_gate("[gate]\nrouge_l = \">= 0.3\"\n", "g.toml");
  ASSERT_TRUE(gate.ok());
  Status s = validate_gate(*gate, gate_metric_names(), {"a"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("rouge_l"), std::string::npos);
  EXPECT_NE(s.message().find("rougeL_f"), std::string::npos);  // lists the known names
  auto filtered = parse_gate("[gate]\nbleu = \">= 1\"\nconfig = \"zz\"\n", "g.toml");
  ASSERT_TRUE(filtered.ok());
  EXPECT_FALSE(validate_gate(*filtered, gate_metric_names(), {"a", "b"}).ok());
  EXPECT_TRUE(validate_gate(*filtered, gate_metric_names(), {"a", "zz"}).ok());
}

TEST(GateTest, CheckNamesEachMissedThreshold) {
  auto gate = parse_gate("[gate]\nrougeL_f = \">= 0.3\"\nlatency_p95_ms = \"<= 50\"\n", "g.toml");
  ASSERT_TRUE(gate.ok());
  std::map<std::string, MetricMap> values;
  values["a"] = {{"rougeL_f", 0.45}, {"latency_p95_ms", 12.0}};
  values["b"] = {{"rougeL_f", 0.25}, {"latency_p95_ms", 80.0}};
  values["c"] = {{"rougeL_f", std::nullopt}, {"latency_p95_ms", 1.0}};
  auto failures = check_gate(*gate, values);
  ASSERT_EQ(failures.size(), 3u);
  EXPECT_EQ(failures[0], "config b: latency_p95_ms = 80 misses <= 50");
  EXPECT_EQ(failures[1], "config b: rougeL_f = 0.25 misses >= 0.3");
  EXPECT_EQ(failures[2], "config c: rougeL_f has no value, misses >= 0.3");
  values.erase("b");
  values.erase("c");
  EXPECT_TRUE(check_gate(*gate, values).empty());
  // A config filter skips the others.
  auto only_a = parse_gate("[gate]\nrougeL_f = \">= 0.3\"\nconfig = \"a\"\n", "g.toml");
  ASSERT_TRUE(only_a.ok());
  values["b"] = {{"rougeL_f", 0.0}};
  EXPECT_TRUE(check_gate(*only_a, values).empty());
}

constexpr const char* kGolden =
    R"({"id":"q1","question":"¿Cuánto cuesta?","reference_answer":"10 COP.","relevant":["faq-a"]})"
    "\n\n"
    R"({"id":2,"question":"¿Y el roaming?","reference_answer":"9.900 COP.","relevant":[]})"
    "\n";

TEST(GoldenQaTest, ParsesQuestionsWithLineNumbers) {
  auto golden = parse_golden_questions(kGolden, "qa.jsonl");
  ASSERT_TRUE(golden.ok()) << golden.status().to_string();
  ASSERT_EQ(golden->size(), 2u);
  EXPECT_EQ((*golden)[0].reference_answer, "10 COP.");
  EXPECT_EQ((*golden)[1].id, "2");
  EXPECT_EQ((*golden)[1].line, 3u);
  EXPECT_TRUE((*golden)[1].relevant.empty());
}

TEST(GoldenQaTest, MalformedLinesNameTheirLineNumber) {
  const std::string good =
      R"({"id":"q1","question":"a","reference_answer":"b","relevant":["d"]})";
  struct Case {
    std::string line;
    std::string expect;
  };
  const Case cases[] = {
      {"{not json", "qa.jsonl:3: not JSON"},
      {R"({"id":"q2","question":"a","relevant":["d"]})", "qa.jsonl:3: missing or empty \"reference_answer\""},
      {R"({"id":"q2","question":" ","reference_answer":"b","relevant":[]})", "qa.jsonl:3: missing or empty \"question\""},
      {R"({"id":"q2","question":"a","reference_answer":"b","relevant":"d"})", "qa.jsonl:3: \"relevant\" must be"},
      {R"({"id":"q2","question":"a","reference_answer":"b","relevant":[1]})", "qa.jsonl:3: \"relevant\" holds"},
      {R"({"question":"a","reference_answer":"b","relevant":[]})", "qa.jsonl:3: missing \"id\""},
      {R"(["q2"])", "qa.jsonl:3: expected a JSON object"},
      {good, "qa.jsonl:3: duplicate id \"q1\""},
  };
  for (const auto& c : cases) {
    auto parsed = parse_golden_questions(good + "\n\n" + c.line + "\n", "qa.jsonl");
    ASSERT_FALSE(parsed.ok()) << c.line;
    EXPECT_EQ(parsed.status().message().rfind(c.expect, 0), 0u) << parsed.status().message();
  }
  EXPECT_FALSE(parse_golden_questions("\n\n", "qa.jsonl").ok());
}

TEST(GoldenQaTest, WarnsAboutUnknownDocumentIds) {
  auto golden = parse_golden_questions(
      R"({"id":"q1","question":"a","reference_answer":"b","relevant":["faq-a","faq-gone"]})",
      "qa.jsonl");
  ASSERT_TRUE(golden.ok());
  auto warnings = unknown_document_warnings(*golden, "qa.jsonl",
                                            [](const std::string& id) { return id == "faq-a"; });
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "qa.jsonl:1: unknown doc id 'faq-gone' (question q1): counted as unretrievable");
}

}  // namespace
}  // namespace atiende::eval
