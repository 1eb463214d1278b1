// Every row of ../shared/conformance/metrics/*.jsonl (sacreBLEU 2.6.0 and rouge-score test vectors)
// must pass within its tolerance. The files sit beside the repository; a missing file fails.

#include <cstdio>
#include <filesystem>

#include <gtest/gtest.h>

#include "row_runner.h"

namespace atiende::eval::testing {
namespace {

const std::filesystem::path kDir = std::filesystem::path(ATIENDE_SOURCE_DIR) / ".." / "shared" /
                                   "conformance" / "metrics";

void run_file(const char* file, size_t expected_rows, Tally (*runner)(const std::vector<Json>&)) {
  const auto rows = load_rows(kDir / file);
  ASSERT_EQ(rows.size(), expected_rows) << "unexpected row count in " << (kDir / file).string();
  const Tally tally = runner(rows);
  std::printf("%s: %d/%d rows passed\n", file, tally.passed, tally.total);
  EXPECT_EQ(tally.total, static_cast<int>(expected_rows));
  EXPECT_EQ(tally.passed, static_cast<int>(expected_rows));
}

TEST(MetricsConformance, SacrebleuBleu) { run_file("sacrebleu_bleu.jsonl", 46, run_bleu_rows); }
TEST(MetricsConformance, SacrebleuChrf) { run_file("sacrebleu_chrf.jsonl", 25, run_chrf_rows); }
TEST(MetricsConformance, SacrebleuTer) { run_file("sacrebleu_ter.jsonl", 7, run_ter_rows); }
TEST(MetricsConformance, RougeScore) { run_file("rouge_score.jsonl", 24, run_rouge_rows); }

}  // namespace
}  // namespace atiende::eval::testing
