// KPIs over a real SQLite conversation store with a hand-built set of conversations whose
// deflection, CSAT, thumbs, containment, gaps and latency are known.

#include <gtest/gtest.h>

#include "common/json.h"
#include "insights/kpis.h"
#include "store/temp_database.h"

namespace atiende::insights {
namespace {

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kStart = 1'795'000'000'000;  // 2026-11-18

class KpisTest : public ::testing::Test {
 protected:
  atiende::testing::TempDatabase temp_{"kpis"};  // first: closes last

  void SetUp() override {
    const auto& db = temp_.db();
    ASSERT_TRUE(db);
    auto conversations = store::open_sqlite_conversations(db);
    ASSERT_TRUE(conversations.ok());
    store_ = std::move(*conversations);
  }
  void TearDown() override {
    store_.reset();
  }

  void session(const std::string& id, int64_t created_ms, const std::string& status = "open") {
    store::Session s;
    s.id = id;
    s.created_ms = s.updated_ms = created_ms;
    s.status = status;
    ASSERT_TRUE(store_->create_session(s).ok());
  }
  std::string message(const std::string& session_id, const std::string& role, const std::string& text,
                      const std::string& intent = "", bool abstained = false,
                      const std::string& provider = "builtin", int64_t latency_ms = 0,
                      bool fallback = false) {
    store::Message m;
    m.id = "msg_" + std::to_string(++counter_);
    m.session_id = session_id;
    m.role = role;
    m.text = text;
    m.intent = intent;
    m.abstained = abstained;
    m.fallback = fallback;
    m.created_ms = kStart;
    if (role == "assistant") {
      m.provider = provider;
      m.latency_ms = latency_ms;
    }
    EXPECT_TRUE(store_->append_message(m).ok());
    return m.id;
  }
  void survey(const std::string& session_id, int64_t csat, bool resolved) {
    ASSERT_TRUE(store_->put_survey({session_id, csat, "", resolved, kStart}).ok());
  }
  void thumbs(const std::string& session_id, const std::string& message_id, const std::string& rating) {
    ASSERT_TRUE(store_->put_feedback({session_id, message_id, rating, "", kStart}).ok());
  }

  std::unique_ptr<store::ConversationStore> store_;
  int counter_ = 0;
};

TEST_F(KpisTest, ComputesEveryKpiOfTheRange) {
  // s1: answered, survey 5 resolved, thumbs up -> deflected.
  session("s1", kStart);
  message("s1", "user", "¿qué plan tengo?", "consultar_cuenta");
  const std::string a1 = message("s1", "assistant", "Tu plan es 5G 20 GB.", "", false, "agent", 1);
  survey("s1", 5, true);
  thumbs("s1", a1, "up");
  // s2: abstained, no survey -> not deflected; a knowledge gap.
  session("s2", kStart + 1000);
  message("s2", "user", "¿Tienen fibra en Marte?");
  message("s2", "assistant", "No lo sé.", "", true, "builtin", 3);
  // s3: escalated, survey 2 unresolved.
  session("s3", kStart + kDay, "escalated");
  message("s3", "user", "quiero un agente", "escalar_a_agente");
  message("s3", "assistant", "Te paso con un asesor.", "", false, "agent", 1);
  survey("s3", 2, false);
  // s4: the same gap (other case and spacing) after a provider fallback, then a good answer;
  // survey 4 resolved; thumbs down on the first answer -> deflected.
  session("s4", kStart + kDay + 5);
  message("s4", "user", "  ¿tienen   fibra en marte? ");
  const std::string a4 = message("s4", "assistant", "No lo sé.", "", true, "builtin", 9, true);
  message("s4", "user", "¿y el roaming?", "faq_roaming");
  message("s4", "assistant", "Se activa en la app [1].", "", false, "openai", 20);
  survey("s4", 4, true);
  thumbs("s4", a4, "down");
  // Outside the range, and a session without customer messages: both ignored.
  session("s5", kStart + 10 * kDay);
  message("s5", "user", "hola");
  session("s6", kStart + 2000);

  auto kpis = compute_kpis(*store_, {kStart, kStart + 5 * kDay});
  ASSERT_TRUE(kpis.ok()) << kpis.status().to_string();
  const Kpis& k = *kpis;
  EXPECT_EQ(k.conversations, 4);
  EXPECT_EQ(k.escalated, 1);
  EXPECT_EQ(k.deflected, 2);
  EXPECT_DOUBLE_EQ(k.deflection_rate, 0.5);
  EXPECT_EQ(k.surveys, 3);
  EXPECT_NEAR(k.csat_average, 11.0 / 3, 1e-12);
  EXPECT_EQ(k.csat_distribution[1], 1);
  EXPECT_EQ(k.csat_distribution[3], 1);
  EXPECT_EQ(k.csat_distribution[4], 1);
  EXPECT_DOUBLE_EQ(k.survey_response_rate, 0.75);
  EXPECT_EQ(k.thumbs_up, 1);
  EXPECT_EQ(k.thumbs_down, 1);
  EXPECT_DOUBLE_EQ(k.thumbs_up_ratio, 0.5);
  ASSERT_EQ(k.gaps.size(), 1u);
  EXPECT_EQ(k.gaps[0].count, 2);
  EXPECT_EQ(k.gaps[0].text, "¿Tienen fibra en Marte?");
  ASSERT_EQ(k.intents.size(), 3u);
  for (const auto& c : k.intents) {
    EXPECT_EQ(c.conversations, 1) << c.intent;
    EXPECT_DOUBLE_EQ(c.rate, c.intent == "escalar_a_agente" ? 0.0 : 1.0) << c.intent;
  }
  EXPECT_EQ(k.answers, 5);
  EXPECT_EQ(k.abstained, 2);
  EXPECT_EQ(k.fallbacks, 1);
  EXPECT_EQ(k.answers_by_provider.at("agent"), 2);
  EXPECT_EQ(k.answers_by_provider.at("builtin"), 2);
  EXPECT_EQ(k.answers_by_provider.at("openai"), 1);
  EXPECT_EQ(k.latency_p50_ms, 9);   // agent answers are not timed: {3, 9, 20}
  EXPECT_EQ(k.latency_p99_ms, 20);
  ASSERT_EQ(k.daily.size(), 2u);
  EXPECT_EQ(k.daily[0].conversations, 2);
  EXPECT_EQ(k.daily[1].conversations, 2);

  auto json = parse_json(kpis_to_json(k));
  ASSERT_TRUE(json.ok());
  EXPECT_DOUBLE_EQ((*json)["deflection"]["target"].get<double>(), 0.70);
  EXPECT_DOUBLE_EQ((*json)["csat"]["target"].get<double>(), 4.0);
  EXPECT_EQ((*json)["csat"]["distribution"], Json::array({0, 1, 0, 1, 1}));
  EXPECT_EQ((*json)["knowledge_gaps"][0]["count"], 2);
  EXPECT_EQ((*json)["daily"][1]["date"], "2026-11-19");
}

TEST_F(KpisTest, EmptyRangeIsZerosAndABackwardRangeIsAnError) {
  auto empty = compute_kpis(*store_, {kStart, kStart + kDay});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->conversations, 0);
  EXPECT_DOUBLE_EQ(empty->deflection_rate, 0.0);
  EXPECT_FALSE(compute_kpis(*store_, {kStart, kStart}).ok());
}

TEST(KpiRangeTest, DatesMillisecondsDefaultsAndErrors) {
  auto range = kpi_range_from("2026-11-18", "2026-11-19", 0);
  ASSERT_TRUE(range.ok());
  constexpr int64_t kMidnight = 1'794'960'000'000;  // 2026-11-18T00:00:00Z
  EXPECT_EQ(range->from_ms, kMidnight);
  EXPECT_EQ(range->to_ms, kMidnight + 2 * kDay);  // `to` is inclusive
  auto defaults = kpi_range_from("", "", kStart);
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->to_ms, kStart + 1);
  EXPECT_EQ(defaults->from_ms, kStart + 1 - 30 * kDay);
  auto millis = kpi_range_from("1000", "2000", 0);
  ASSERT_TRUE(millis.ok());
  EXPECT_EQ(millis->from_ms, 1000);
  EXPECT_EQ(millis->to_ms, 2000);
  auto bad = kpi_range_from("ayer", "", kStart);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'ayer'"), std::string::npos);
  EXPECT_FALSE(kpi_range_from("2026-11-20", "2026-11-18", 0).ok());
  EXPECT_FALSE(kpi_range_from("2026-13-01", "", kStart).ok());
}

}  // namespace
}  // namespace atiende::insights
