#include "common/config.h"

#include <gtest/gtest.h>

namespace atiende {
namespace {

TEST(Config, EnvNameForKey) {
  EXPECT_EQ(env_name_for_key("llm.base_url"), "ATIENDE_LLM_BASE_URL");
  EXPECT_EQ(env_name_for_key("retrieve.rrf_k"), "ATIENDE_RETRIEVE_RRF_K");
}

TEST(Config, FileValuesAndEnvironmentOverride) {
  auto config = Config::load_string(
      "[llm]\nprovider = \"builtin\"\nbase_url = \"http://a\"\ntimeout_ms = 500\n"
      "[retrieve]\nweights = [\"a\", \"b\"]\nrerank = false\n",
      map_env({{"ATIENDE_LLM_BASE_URL", "http://override:9/v1"}}));
  ASSERT_TRUE(config.ok()) << config.status().to_string();
  EXPECT_EQ(config->get_string("llm.provider", "x").value(), "builtin");
  EXPECT_EQ(config->get_string("llm.base_url", "x").value(), "http://override:9/v1");
  EXPECT_EQ(config->get_int("llm.timeout_ms", 1).value(), 500);
  EXPECT_EQ(config->get_int("llm.missing", 42).value(), 42);
  EXPECT_FALSE(config->get_bool("retrieve.rerank", true).value());
  EXPECT_EQ(config->get_string_list("retrieve.weights", {}).value().size(), 2u);
  EXPECT_TRUE(config->has("llm.provider"));
  EXPECT_FALSE(config->has("llm.nothing"));
}

TEST(Config, WrongTypeNamesTheKey) {
  auto config = Config::load_string("[llm]\ntimeout_ms = \"soon\"\n",
                                    map_env({{"ATIENDE_HTTP_PORT", "eighty"}}));
  ASSERT_TRUE(config.ok());
  auto timeout = config->get_int("llm.timeout_ms", 1);
  ASSERT_FALSE(timeout.ok());
  EXPECT_NE(timeout.status().message().find("llm.timeout_ms"), std::string::npos);
  auto port = config->get_int("http.port", 8080);
  ASSERT_FALSE(port.ok());
  EXPECT_NE(port.status().message().find("eighty"), std::string::npos);
}

TEST(Config, MalformedTomlNamesLine) {
  auto config = Config::load_string("[llm]\nprovider = \n", map_env({}), "atiende.toml");
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("atiende.toml:2"), std::string::npos)
      << config.status().message();
}

TEST(Config, EnvListIsCommaSeparated) {
  Config config(map_env({{"ATIENDE_PRIVACY_REGIONS", "CO, ES ,MX"}}));
  auto regions = config.get_string_list("privacy.regions", {});
  ASSERT_TRUE(regions.ok());
  EXPECT_EQ(*regions, (std::vector<std::string>{"CO", "ES", "MX"}));
}

TEST(Config, GetJsonOfTable) {
  auto config = Config::load_string("[backend.tools.x]\nmethod = \"GET\"\n", map_env({}));
  ASSERT_TRUE(config.ok());
  auto json = config->get_json("backend.tools");
  ASSERT_TRUE(json.ok());
  EXPECT_NE(json->find("\"method\""), std::string::npos);
  EXPECT_FALSE(config->get_json("nothing.here").ok());
}

}  // namespace
}  // namespace atiende
