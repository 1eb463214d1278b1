// Human A/B evaluation: report import, blind presentation (sides and order per rater), votes in
// config terms, win rates and Cohen's kappa, over a real SQLite store.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "common/json.h"
#include "insights/ab_import.h"
#include "insights/ab_summary.h"
#include "store/temp_database.h"

namespace atiende::insights {
namespace {

using ::testing::HasSubstr;

std::string report(int questions) {
  Json qs = Json::array();
  for (int i = 1; i <= questions; ++i) {
    const std::string n = std::to_string(i);
    qs.push_back({{"id", "q" + n},
                  {"question", "Pregunta " + n},
                  {"reference_answer", "Referencia " + n},
                  {"answers",
                   {{"bm25", {{"text", "Respuesta bm25 " + n},
                              {"citations", Json::array({{{"doc_id", "doc-" + n}}})},
                              {"latency_ms", 12}, {"metrics", {{"rougeL", 0.4}}}}},
                    {"hybrid", {{"text", "Respuesta hybrid " + n}, {"citations", Json::array()},
                                {"latency_ms", 30}}}}}});
  }
  return dump_json(Json{{"configs", Json::array({{{"name", "bm25"}}, {{"name", "hybrid"}}})},
                        {"questions", qs}});
}

AbImportOptions pair(std::string first, std::string second, int64_t max_items = 0) {
  AbImportOptions options;
  options.config_first = std::move(first);
  options.config_second = std::move(second);
  options.max_items = max_items;
  return options;
}

class AbTest : public ::testing::Test {
 protected:
  atiende::testing::TempDatabase temp_{"ab"};  // first: closes last

  void SetUp() override {
    const auto& db = temp_.db();
    ASSERT_TRUE(db);
    auto opened = open_sqlite_ab_store(db);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(*opened);
  }
  void TearDown() override {
    store_.reset();
  }

  AbImportResult import(const std::string& json, AbImportOptions options = {}) {
    auto result = import_ab_report(*store_, json, options, clock_, random_);
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    return result.ok() ? *result : AbImportResult{};
  }
  void vote(const AbItem& item, const std::string& rater, AbOutcome outcome,
            const std::string& comment = "") {
    ASSERT_TRUE(store_->put_vote({item.id, rater, outcome, comment, clock_.unix_millis()}).ok());
  }

  std::unique_ptr<AbStore> store_;
  FakeClock clock_;
  SeededRandom random_{7};
};

TEST(CohenKappa, MatchesTheTextbookExample) {
  // 50 items: yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o 0.7, p_e 0.5, kappa 0.4.
  std::vector<int> a, b;
  auto add = [&](int x, int y, int n) {
    for (int i = 0; i < n; ++i) { a.push_back(x); b.push_back(y); }
  };
  add(0, 0, 20);
  add(0, 1, 5);
  add(1, 0, 10);
  add(1, 1, 15);
  ASSERT_TRUE(cohen_kappa(a, b, 2).has_value());
  EXPECT_NEAR(*cohen_kappa(a, b, 2), 0.4, 1e-12);
  // Three categories (first, second, tie), computed by hand:
  // a = 0 0 1 2 1 0, b = 0 1 1 2 0 0 -> p_o = 4/6; marginals a (3,2,1), b (3,2,1) -> p_e = 14/36.
  EXPECT_NEAR(*cohen_kappa({0, 0, 1, 2, 1, 0}, {0, 1, 1, 2, 0, 0}, 3),
              (4.0 / 6 - 14.0 / 36) / (1 - 14.0 / 36), 1e-12);
  EXPECT_NEAR(*cohen_kappa({0, 1, 2}, {0, 1, 2}, 3), 1.0, 1e-12);
  EXPECT_LT(*cohen_kappa({0, 1}, {1, 0}, 2), 0.0);
}

TEST(CohenKappa, UndefinedCases) {
  EXPECT_FALSE(cohen_kappa({}, {}, 3).has_value());
  EXPECT_FALSE(cohen_kappa({0, 1}, {0}, 3).has_value());
  EXPECT_FALSE(cohen_kappa({0, 3}, {0, 1}, 3).has_value());
  EXPECT_FALSE(cohen_kappa({2, 2, 2}, {2, 2, 2}, 3).has_value()) << "p_e = 1";
}

TEST_F(AbTest, ImportKeepsQuestionsAndAnswersButNotMetrics) {
  AbImportOptions options;
  options.source = "runs/r1/report.json";
  auto result = import(report(3), options);
  EXPECT_EQ(result.items, 3);
  EXPECT_EQ(result.study.config_first, "bm25");
  EXPECT_EQ(result.study.config_second, "hybrid");
  EXPECT_EQ(result.study.name, "bm25 vs hybrid");
  auto items = store_->items(result.study.id);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 3u);
  const AbItem& first = items->front();
  EXPECT_EQ(first.question_id, "q1");
  EXPECT_EQ(first.question, "Pregunta 1");
  EXPECT_EQ(first.reference_answer, "Referencia 1");
  EXPECT_EQ(first.first.text, "Respuesta bm25 1");
  EXPECT_EQ(first.first.citations_json, R"([{"doc_id":"doc-1"}])");
  EXPECT_EQ(first.second.text, "Respuesta hybrid 1");
  auto studies = store_->list_studies();
  ASSERT_TRUE(studies.ok());
  ASSERT_EQ(studies->size(), 1u);
  EXPECT_EQ((*studies)[0].source, "runs/r1/report.json");
  EXPECT_EQ((*studies)[0].items, 3);
  // What a rater sees names no config and carries no latency or metrics.
  const std::string blind = ab_blind_item_to_json(first, "ana", 0, 3);
  EXPECT_THAT(blind, ::testing::Not(HasSubstr("bm25\"")));
  EXPECT_THAT(blind, ::testing::Not(HasSubstr("hybrid\"")));
  EXPECT_THAT(blind, ::testing::Not(HasSubstr("latency")));
  EXPECT_THAT(blind, ::testing::Not(HasSubstr("rougeL")));
}

TEST_F(AbTest, ImportSkipsMissingAndIdenticalAnswersAndPicksConfigs) {
  Json r = parse_json(report(4)).value();
  r["configs"].push_back({{"name", "llm"}});
  r["questions"][0]["answers"].erase("hybrid");
  r["questions"][1]["answers"]["hybrid"]["text"] = "Respuesta bm25 2";
  for (auto& q : r["questions"]) q["answers"]["llm"] = {{"text", "LLM " + q["id"].get<std::string>()}};
  auto result = import(dump_json(r), pair("hybrid", "llm"));
  EXPECT_EQ(result.items, 3) << "question 1 has no hybrid answer";
  EXPECT_EQ(result.skipped_missing, 1);
  auto default_pair = import(dump_json(r));
  EXPECT_EQ(default_pair.items, 2);
  EXPECT_EQ(default_pair.skipped_missing, 1);
  EXPECT_EQ(default_pair.skipped_identical, 1);
  auto limited = import(dump_json(r), pair("", "llm", 2));
  EXPECT_EQ(limited.items, 2);
}

TEST_F(AbTest, ImportErrorsNameTheProblem) {
  auto fails = [&](const std::string& json, AbImportOptions options, const std::string& text) {
    auto result = import_ab_report(*store_, json, options, clock_, random_);
    ASSERT_FALSE(result.ok()) << json;
    EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
    EXPECT_THAT(result.status().message(), HasSubstr(text));
  };
  fails("[]", {}, "not a JSON object");
  fails("{\"configs\":[{\"name\":\"a\"}],\"questions\":[]}", {}, "needs two");
  fails(report(1), pair("nope", ""), "configs: bm25, hybrid");
  fails(report(1), pair("bm25", "bm25"), "must differ");
  fails("{\"configs\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"questions\":[{\"id\":\"x\"}]}", {},
        "questions[0] has no \"question\"");
  fails("{\"configs\":[{\"name\":\"a\"},{\"name\":\"b\"}],\"questions\":[]}", {}, "no question");
  auto studies = store_->list_studies();
  ASSERT_TRUE(studies.ok());
  EXPECT_TRUE(studies->empty()) << "a failed import stores nothing";
}

TEST_F(AbTest, SidesAndOrderAreRandomizedPerRaterAndVotesMapBackToConfigs) {
  auto result = import(report(40));
  auto items = store_->items(result.study.id).value();
  int swapped = 0;
  for (const auto& item : items) swapped += presented_swapped(item, "ana") ? 1 : 0;
  EXPECT_GT(swapped, 8) << "about half the items are swapped";
  EXPECT_LT(swapped, 32);
  int differs = 0;
  for (const auto& item : items) {
    EXPECT_EQ(presented_swapped(item, "ana"), presented_swapped(item, "ana")) << "stable";
    differs += presented_swapped(item, "ana") != presented_swapped(item, "luis") ? 1 : 0;
  }
  EXPECT_GT(differs, 0) << "sides depend on the rater";

  // "A" is whatever the rater saw first: the vote is stored as that config.
  for (const auto& item : items) {
    const bool s = presented_swapped(item, "ana");
    Json shown = parse_json(ab_blind_item_to_json(item, "ana", 0, 40)).value();
    EXPECT_EQ(shown["item"]["answers"]["A"]["text"], s ? item.second.text : item.first.text);
    EXPECT_EQ(outcome_of_choice(item, "ana", "A").value(), s ? AbOutcome::kSecond : AbOutcome::kFirst);
    EXPECT_EQ(outcome_of_choice(item, "ana", "b").value(), s ? AbOutcome::kFirst : AbOutcome::kSecond);
    EXPECT_EQ(outcome_of_choice(item, "ana", "tie").value(), AbOutcome::kTie);
  }
  EXPECT_FALSE(outcome_of_choice(items[0], "ana", "C").ok());

  // Each rater walks every item once, in an order of their own.
  auto walk = [&](const std::string& rater) {
    std::vector<std::string> order;
    for (;;) {
      int64_t rated = -1;
      auto next = next_item_for(*store_, result.study.id, rater, &rated);
      EXPECT_TRUE(next.ok());
      EXPECT_EQ(rated, static_cast<int64_t>(order.size()));
      if (!next.ok() || !next->has_value()) break;
      order.push_back((*next)->id);
      vote(**next, rater, AbOutcome::kTie);
    }
    return order;
  };
  auto ana = walk("ana");
  auto luis = walk("luis");
  EXPECT_EQ(ana.size(), 40u);
  EXPECT_EQ(std::set<std::string>(ana.begin(), ana.end()).size(), 40u);
  EXPECT_NE(ana, luis);
}

TEST_F(AbTest, SummaryCountsWinsAndAgreement) {
  auto result = import(report(4));
  auto items = store_->items(result.study.id).value();
  // ana and luis overlap on items 0..3; eva rated only item 0.
  vote(items[0], "ana", AbOutcome::kFirst, "más precisa");
  vote(items[1], "ana", AbOutcome::kFirst);
  vote(items[2], "ana", AbOutcome::kSecond);
  vote(items[3], "ana", AbOutcome::kTie);
  vote(items[0], "luis", AbOutcome::kFirst);
  vote(items[1], "luis", AbOutcome::kSecond);
  vote(items[2], "luis", AbOutcome::kSecond);
  vote(items[3], "luis", AbOutcome::kTie);
  vote(items[0], "eva", AbOutcome::kSecond);
  vote(items[0], "eva", AbOutcome::kFirst);  // a second vote replaces the first

  auto summary = summarize_ab(*store_, result.study.id);
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  EXPECT_EQ(summary->votes, 9);
  EXPECT_EQ(summary->items_rated, 4);
  ASSERT_EQ(summary->configs.size(), 2u);
  EXPECT_EQ(summary->configs[0].name, "bm25");
  EXPECT_EQ(summary->configs[0].wins, 4);
  EXPECT_EQ(summary->configs[0].losses, 3);
  EXPECT_EQ(summary->configs[0].ties, 2);
  EXPECT_NEAR(summary->configs[0].win_rate, 4.0 / 9, 1e-12);
  EXPECT_NEAR(summary->configs[0].score, 5.0 / 9, 1e-12);
  EXPECT_EQ(summary->configs[1].wins, 3);
  ASSERT_EQ(summary->agreement.size(), 3u);  // ana-eva, ana-luis, eva-luis
  const AbRaterAgreement& ana_luis = summary->agreement[1];
  EXPECT_EQ(ana_luis.rater_a, "ana");
  EXPECT_EQ(ana_luis.rater_b, "luis");
  EXPECT_EQ(ana_luis.items, 4);
  EXPECT_NEAR(ana_luis.observed, 0.75, 1e-12);
  // ana (F,F,S,T) luis (F,S,S,T): p_o 3/4, p_e (2*1 + 1*2 + 1*1)/16 = 5/16.
  ASSERT_TRUE(ana_luis.kappa.has_value());
  EXPECT_NEAR(*ana_luis.kappa, (0.75 - 5.0 / 16) / (1 - 5.0 / 16), 1e-12);
  EXPECT_EQ(summary->agreement[0].items, 1);
  EXPECT_FALSE(summary->agreement[0].kappa.has_value()) << "one shared item, same label: p_e = 1";
  ASSERT_TRUE(summary->kappa.has_value());
  EXPECT_NEAR(*summary->kappa, *ana_luis.kappa, 1e-12) << "the mean of the defined pairs";
  ASSERT_EQ(summary->comments.size(), 1u);
  EXPECT_EQ(summary->comments[0].preferred, "bm25");
  EXPECT_EQ(summary->comments[0].comment, "más precisa");

  Json json = parse_json(ab_summary_to_json(*summary)).value();
  EXPECT_EQ(json["configs"][0]["wins"], 4);
  EXPECT_EQ(json["agreement"]["pairs"][0]["kappa"], nullptr);
  EXPECT_EQ(json["study"]["configs"], Json::array({"bm25", "hybrid"}));

  EXPECT_EQ(summarize_ab(*store_, "abs_missing").status().code(), StatusCode::kNotFound);
}

TEST_F(AbTest, RaterIdsAreHandles) {
  EXPECT_TRUE(validate_rater("ana.perez@qa").ok());
  EXPECT_TRUE(validate_rater("María 2").ok());
  EXPECT_FALSE(validate_rater("").ok());
  EXPECT_FALSE(validate_rater(" ana").ok());
  EXPECT_FALSE(validate_rater("ana<script>").ok());
  EXPECT_FALSE(validate_rater(std::string(65, 'a')).ok());
}

TEST_F(AbTest, DeletingAStudyRemovesItsItemsAndVotes) {
  auto result = import(report(2));
  auto items = store_->items(result.study.id).value();
  vote(items[0], "ana", AbOutcome::kFirst);
  ASSERT_TRUE(store_->delete_study(result.study.id).ok());
  EXPECT_TRUE(store_->items(result.study.id).value().empty());
  EXPECT_TRUE(store_->votes(result.study.id).value().empty());
  EXPECT_EQ(store_->delete_study(result.study.id).code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace atiende::insights
