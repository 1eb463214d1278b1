// The quality gate of issue 3 on the demo gold set: recall >= 0.95 on identifiers, >= 0.85 on
// PERSON, precision >= 0.90 overall. Fails below them.

#include <cstdlib>
#include <iostream>

#include <gtest/gtest.h>

#include "common/files.h"
#include "privacy/analyzer.h"
#include "privacy/eval.h"

namespace atiende::privacy {
namespace {

TEST(PrivacyQuality, DemoGoldSetMeetsTargets) {
  auto gold = read_file(std::string(ATIENDE_SOURCE_DIR) + "/data/demo/golden/pii_gold.jsonl");
  ASSERT_TRUE(gold.ok()) << gold.status().to_string();
  auto analyzer = Analyzer::create(AnalyzerOptions{});
  ASSERT_TRUE(analyzer.ok());
  std::vector<std::string> errors;
  auto report = evaluate_gold(**analyzer, *gold, "es", &errors);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  std::string detail = report->to_text();
  for (const auto& e : errors) detail += e + "\n";
  std::cout << report->to_text();  // the figures, for the log and docs/PERFORMANCE.md
  if (std::getenv("ATIENDE_PRIVACY_SHOW_ERRORS") != nullptr) std::cout << detail;
  EXPECT_GE(report->texts, 230u);
  EXPECT_GE(report->identifiers.recall(), 0.95) << detail;
  ASSERT_TRUE(report->per_type.count("PERSON")) << detail;
  EXPECT_GE(report->per_type.at("PERSON").recall(), 0.85) << detail;
  EXPECT_GE(report->overall.precision(), 0.90) << detail;
  EXPECT_GE(report->identifiers.precision(), 0.90) << detail;
  EXPECT_GE(report->per_type.at("PERSON").precision(), 0.90) << detail;
}

}  // namespace
}  // namespace atiende::privacy
