// The quality gate of issue 3 on the demo gold set and on the hand-written held-out set: recall
// >= 0.95 on identifiers (and on each identifier type of the held-out set), >= 0.85 on PERSON,
// precision >= 0.90. Fails below them.

#include <cstdlib>
#include <iostream>

#include <gtest/gtest.h>

#include "common/files.h"
#include "privacy/analyzer.h"
#include "privacy/eval.h"

namespace atiende::privacy {
namespace {

Result<EvalReport> evaluate_file(const std::string& name, std::string& detail) {
  auto gold = read_file(std::string(ATIENDE_SOURCE_DIR) + "/data/demo/golden/" + name);
  if (!gold.ok()) return gold.status();
  auto analyzer = Analyzer::create(AnalyzerOptions{});
  if (!analyzer.ok()) return analyzer.status();
  std::vector<std::string> errors;
  auto report = evaluate_gold(**analyzer, *gold, "es", &errors);
  if (!report.ok()) return report.status();
  detail = report->to_text();
  for (const auto& e : errors) detail += e + "\n";
  std::cout << name << "\n" << report->to_text();  // the figures, for the log and the docs
  return report;
}

TEST(PrivacyQuality, HeldOutSetMeetsTargets) {
  // Written by hand apart from the rules and the demo generator (natural phrasing, look-alikes,
  // 31 % texts without PII); four causes it exposed were then fixed (docs/PERFORMANCE.md).
  std::string detail;
  auto report = evaluate_file("pii_heldout.jsonl", detail);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_GE(report->texts, 150u);
  EXPECT_GE(report->identifiers.recall(), 0.95) << detail;
  for (const auto& [type, counts] : report->per_type) {
    if (type == "PERSON" || type == "ADDRESS" || type == "DATE_OF_BIRTH") continue;
    EXPECT_GE(counts.recall(), 0.95) << type << "\n" << detail;
  }
  ASSERT_TRUE(report->per_type.count("PERSON")) << detail;
  EXPECT_GE(report->per_type.at("PERSON").recall(), 0.85) << detail;
  EXPECT_GE(report->overall.precision(), 0.90) << detail;
  EXPECT_GE(report->identifiers.precision(), 0.90) << detail;
  EXPECT_GE(report->per_type.at("PERSON").precision(), 0.90) << detail;
}

TEST(PrivacyQuality, DemoGoldSetMeetsTargets) {
  std::string detail;
  auto report = evaluate_file("pii_gold.jsonl", detail);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
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
