// Small units: schema validator, yes/no parser, dates, catalog matching, tool registry.

#include <gtest/gtest.h>

#include "agent/catalog.h"
#include "agent/confirm_text.h"
#include "agent/dates.h"
#include "agent/json_schema.h"
#include "agent/tool.h"

namespace atiende::agent {
namespace {

TEST(JsonSchemaTest, ValidatesTheSubset) {
  auto schema = JsonSchema::compile(R"({"type":"object","properties":{
      "plan_id":{"type":"string","enum":["a","b"]},
      "order":{"type":"string","pattern":"^ORD-[0-9]{5}$","maxLength":9},
      "n":{"type":"integer","minimum":1,"maximum":3},
      "tags":{"type":"array","items":{"type":"string"},"maxItems":2}},
      "required":["plan_id"],"additionalProperties":false})");
  ASSERT_TRUE(schema.ok()) << schema.status().to_string();
  EXPECT_TRUE(schema->validate(R"({"plan_id":"a","order":"ORD-12345","n":2,"tags":["x"]})").empty());
  EXPECT_TRUE(schema->validate(R"({"plan_id":"a","n":2.0})").empty());
  auto v = schema->validate(R"({"order":"ORD-1","n":9,"extra":1,"tags":[1,2,3]})");
  const std::string text = describe_violations(v);
  EXPECT_NE(text.find("plan_id is required"), std::string::npos) << text;
  EXPECT_NE(text.find("order must match"), std::string::npos) << text;
  EXPECT_NE(text.find("n must be <= 3"), std::string::npos) << text;
  EXPECT_NE(text.find("extra is not an allowed argument"), std::string::npos) << text;
  EXPECT_NE(text.find("tags must have at most 2 items"), std::string::npos) << text;
  EXPECT_EQ(describe_violations(schema->validate(R"({"plan_id":"c"})")), "plan_id must be one of: a, b");
  EXPECT_FALSE(schema->validate("not json").empty());
  EXPECT_FALSE(schema->validate(R"({"plan_id":"a","order":")" + std::string(5000, 'x') + "\"}").empty());
}

TEST(JsonSchemaTest, RejectsUnsupportedKeywords) {
  EXPECT_FALSE(JsonSchema::compile(R"({"type":"object","oneOf":[]})").ok());
  EXPECT_FALSE(JsonSchema::compile(R"({"type":"tuple"})").ok());
  EXPECT_FALSE(JsonSchema::compile(R"({"type":"string","pattern":"("})").ok());
  EXPECT_FALSE(JsonSchema::compile(R"({"additionalProperties":{}})").ok());
}

TEST(ConfirmTextTest, SpanishAndEnglishYesNo) {
  for (const char* yes : {"sí, confírmalo", "Si", "dale", "confirmo", "de una", "Sí por favor",
                          "yes", "Yes, go ahead", "ok", "listo!", "claro que sí"}) {
    EXPECT_EQ(parse_confirmation(yes), ConfirmDecision::kYes) << yes;
  }
  for (const char* no : {"no", "No.", "cancela", "mejor no", "no gracias", "cancel", "nope",
                         "no confirmo", "olvídalo"}) {
    EXPECT_EQ(parse_confirmation(no), ConfirmDecision::kNo) << no;
  }
  for (const char* unclear : {"", "mmm", "sí pero no", "y el precio?", "cuánto cuesta el plan",
                              "sí quiero saber cuál es la diferencia entre el plan de veinte y el de cuarenta"}) {
    EXPECT_EQ(parse_confirmation(unclear), ConfirmDecision::kUnclear) << unclear;
  }
}

TEST(DatesTest, CivilArithmetic) {
  EXPECT_EQ(iso_date(civil_from_days(days_from_civil({2026, 11, 22}))), "2026-11-22");
  EXPECT_EQ(weekday_of(days_from_civil({2026, 11, 22})), 0);  // a Sunday
  EXPECT_EQ(iso_date(add_business_days({2026, 11, 20}, 3)), "2026-11-25");  // Fri + 3
  EXPECT_EQ(iso_date(next_cycle_start({2026, 11, 22}, 20)), "2026-12-20");
  EXPECT_EQ(iso_date(next_cycle_start({2026, 11, 10}, 20)), "2026-11-20");
  EXPECT_EQ(iso_date(next_cycle_start({2027, 1, 31}, 31)), "2027-02-28");
  EXPECT_EQ(parse_iso_millis("2026-11-22T15:00:00-05:00"), 1795377600000);
  EXPECT_EQ(parse_iso_millis("2026-11-22T20:00:00Z"), 1795377600000);
  EXPECT_EQ(iso_date(local_date_of(1795377600000)), "2026-11-22");
  EXPECT_FALSE(parse_iso_millis("2026-13-01").has_value());
  EXPECT_FALSE(parse_iso_millis("yesterday").has_value());
}

TEST(CatalogTest, MatchesSynonymsLongestFirst) {
  auto catalog = Catalog::load(std::string(ATIENDE_SOURCE_DIR) + "/data/demo/catalog");
  ASSERT_TRUE(catalog.ok()) << catalog.status().to_string();
  EXPECT_EQ(catalog->match_plans("pásame al de 20 gigas"), std::vector<std::string>{"plan-5g-20"});
  EXPECT_EQ(catalog->match_plans("quiero el plan 5G 40 GB"), std::vector<std::string>{"plan-5g-40"});
  EXPECT_EQ(catalog->match_plans("el ILIMITADO porfa"), std::vector<std::string>{"plan-5g-ilimitado"});
  EXPECT_TRUE(catalog->match_plans("quiero más datos").empty());
  EXPECT_EQ(catalog->match_devices("el Galaxy S25 azul"), std::vector<std::string>{"dev-galaxy-s25"});
  EXPECT_EQ(catalog->match_colors("dev-galaxy-s25", "azul hielo"), std::vector<std::string>{"azul hielo"});
  EXPECT_EQ(catalog->match_colors("dev-galaxy-s25", "azul").size(), 2u);
  EXPECT_EQ(catalog->match_colors("dev-galaxy-a16", "black"), std::vector<std::string>{"negro"});
  EXPECT_EQ(catalog->next_plan_up("plan-5g-10"), "plan-5g-20");
  EXPECT_EQ(catalog->next_plan_up("plan-5g-40"), "plan-5g-ilimitado");
  EXPECT_EQ(catalog->next_plan_up("plan-prepago-5"), "plan-prepago-12");
  EXPECT_FALSE(catalog->next_plan_up("plan-5g-ilimitado").has_value());
  EXPECT_FALSE(catalog->next_plan_up("plan-hogar-300").has_value());
  EXPECT_EQ(catalog->match_areas("no tengo internet en quilla"), std::vector<std::string>{"Barranquilla"});
  EXPECT_EQ(catalog->match_service("se cayó el wifi"), "internet_hogar");
  EXPECT_FALSE(Catalog::from_json("{}", "{}").ok());
}

TEST(ToolRegistryTest, DuplicateNamesAreRejected) {
  auto registry = builtin_tool_registry({}, {});
  ASSERT_TRUE(registry.ok());
  EXPECT_EQ(registry->all().size(), 6u);
  auto schema = JsonSchema::compile(R"({"type":"object"})");
  ASSERT_TRUE(schema.ok());
  EXPECT_EQ(registry->add({"cambiar_plan", ToolKind::kRead, "", "", *schema}).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(registry->add({"", ToolKind::kRead, "", "", *schema}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(registry->find("pedir_telefono")->kind, ToolKind::kStateChanging);
  EXPECT_EQ(tool_kind_name(registry->find("escalar_a_agente")->kind), "handoff");
}

}  // namespace
}  // namespace atiende::agent
