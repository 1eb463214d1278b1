// report.html: self-contained (no script, no external resource), charts per config, escaped text,
// the drill-down of every question, and the gate outcome.

#include <gtest/gtest.h>

#include <regex>

#include "eval/report_html.h"
#include "eval/run_fixture.h"
#include "eval/run_report.h"

namespace atiende::eval {
namespace {

size_t count(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

std::string render(bool with_gate) {
  static const testing::LetterEmbedder embedder;
  RunScoringOptions options;
  options.embedder = &embedder;
  ConfigRun weak = testing::weak_config();
  weak.answers[1].text = "Usa <b>Ajustes</b> & \"eSIM\"";
  auto report = score_run(testing::two_questions(), "qa.jsonl", {testing::perfect_config(), weak},
                          options);
  EXPECT_TRUE(report.ok()) << report.status().to_string();
  report->created_at = "2026-11-22T12:00:00Z";
  if (with_gate) report->gate = GateSummary{"gate.toml", false, {"config b: bleu = 1 misses >= 5"}};
  auto html = render_report_html(run_report_json(*report));
  EXPECT_TRUE(html.ok()) << html.status().to_string();
  return html.ok() ? *html : std::string();
}

TEST(ReportHtmlTest, IsSelfContained) {
  const std::string html = render(false);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  // The only URL is the SVG namespace.
  std::regex url("https?://[^\"]*");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), url); it != std::sregex_iterator(); ++it) {
    EXPECT_EQ(it->str(), "http://www.w3.org/2000/svg");
  }
}

TEST(ReportHtmlTest, DrawsBarsAndTheScatterForEachConfig) {
  const std::string html = render(false);
  EXPECT_EQ(count(html, "<svg"), 2u);
  // 9 bar metrics per config; config b has no citation precision (null), so 17 bars.
  EXPECT_EQ(count(html, "<rect x=") - 2 * 2 /* legend swatches */, 17u);
  // Scatter: one small point per answer (4) and one large point per config (2).
  EXPECT_EQ(count(html, "r=\"3.5\""), 4u);
  EXPECT_EQ(count(html, "r=\"9\""), 2u);
  EXPECT_NE(html.find("a · ROUGE-L F: 1.000"), std::string::npos);
}

TEST(ReportHtmlTest, DrillDownShowsEveryQuestionEscaped) {
  const std::string html = render(false);
  EXPECT_EQ(count(html, "<details>"), 2u);
  EXPECT_NE(html.find("¿Cómo activo la eSIM?"), std::string::npos);
  EXPECT_NE(html.find("Usa &lt;b&gt;Ajustes&lt;/b&gt; &amp; &quot;eSIM&quot;"), std::string::npos);
  EXPECT_EQ(html.find("<b>Ajustes"), std::string::npos);
  EXPECT_NE(html.find("faq-esim"), std::string::npos);
  EXPECT_EQ(html.find("Gate:"), std::string::npos);
}

TEST(ReportHtmlTest, ShowsTheGateOutcome) {
  const std::string html = render(true);
  EXPECT_NE(html.find("Gate: <span class=\"fail\">failed</span>"), std::string::npos);
  EXPECT_NE(html.find("config b: bleu = 1 misses &gt;= 5"), std::string::npos);
}

TEST(ReportHtmlTest, RejectsTextThatIsNotAReport) {
  EXPECT_FALSE(render_report_html("{\"configs\": []}").ok());
  EXPECT_FALSE(render_report_html("not json").ok());
}

}  // namespace
}  // namespace atiende::eval
