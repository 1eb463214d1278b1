// open_agent_from_config and its path resolution: relative agent.* paths work from any working
// directory (looked up under each base in turn), and a wrong path fails naming its config key.

#include "agent/factory.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "agent_fixture.h"

namespace atiende::agent {
namespace {

namespace fs = std::filesystem;
using testing::kNowMs;

class FactoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("atiende-agent-factory-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "empty");
    auto db = store::SqliteDatabase::open(":memory:");
    ASSERT_TRUE(db.ok());
    db_ = *db;
    auto audit = audit::AuditLog::open(db_, "audit-key", clock_);
    ASSERT_TRUE(audit.ok());
    audit_ = std::shared_ptr<audit::AuditLog>(std::move(*audit));
  }
  void TearDown() override { fs::remove_all(dir_); }

  Result<std::unique_ptr<Agent>> open(const std::string& toml, std::vector<fs::path> bases) {
    auto config = Config::load_string(toml, map_env({}));
    EXPECT_TRUE(config.ok()) << config.status().to_string();
    config_ = std::move(*config);
    AgentEnvironment env;
    env.config = &config_;
    env.data_dir = dir_ / "data";
    env.db = db_;
    env.audit = audit_;
    env.anonymizer = testing::fake_anonymize;
    env.clock = &clock_;
    env.random = &random_;
    env.path_bases = std::move(bases);
    return open_agent_from_config(env);
  }

  fs::path dir_;
  Config config_{map_env({})};
  FakeClock clock_{kNowMs};
  SeededRandom random_{3};
  std::shared_ptr<store::SqliteDatabase> db_;
  std::shared_ptr<audit::AuditLog> audit_;
};

TEST(ResolveAgentPath, AbsoluteStaysRelativeTakesTheFirstBaseWhereItExists) {
  const fs::path source(ATIENDE_SOURCE_DIR);
  const fs::path nowhere = fs::temp_directory_path() / "atiende-no-such-base";
  EXPECT_EQ(resolve_agent_path("/etc/x.toml", {nowhere, source}), fs::path("/etc/x.toml"));
  EXPECT_EQ(resolve_agent_path("", {source}), fs::path());
  EXPECT_EQ(resolve_agent_path("data/demo/catalog", {nowhere, source}),
            (source / "data/demo/catalog").lexically_normal());
  // Nowhere to be found: the first base's path, so the caller's error names a real location.
  EXPECT_EQ(resolve_agent_path("missing/catalog", {nowhere, source}), nowhere / "missing/catalog");
}

TEST(ResolveAgentPath, DefaultBasesAreTheWorkingDirTheDataDirAndTheInstallRoot) {
  const auto bases = default_agent_path_bases("/srv/atiende-data");
  ASSERT_EQ(bases.size(), 3u);
  EXPECT_EQ(bases[0], fs::current_path());
  EXPECT_EQ(bases[1], fs::path("/srv/atiende-data"));
  // The test binary lives in <build>/tests/agent, so its install root is <build>/tests.
  EXPECT_TRUE(fs::exists(bases[2])) << bases[2];
}

TEST_F(FactoryTest, RelativeDemoDirIsFoundOutsideTheWorkingDirectory) {
  // The first base (standing in for the working directory) has no data/demo; the second does.
  auto agent = open("", {dir_ / "empty", fs::path(ATIENDE_SOURCE_DIR)});
  ASSERT_TRUE(agent.ok()) << agent.status().to_string();
  EXPECT_NE((*agent)->catalog().find_plan("plan-5g-20"), nullptr);
}

TEST_F(FactoryTest, ExplicitRelativeCatalogDirIsResolvedOnItsOwn) {
  // A copy of the catalog beside the data dir, named relative to it.
  fs::create_directories(dir_ / "data" / "mi-catalogo");
  for (const char* file : {"plans.json", "devices.json"}) {
    fs::copy_file(fs::path(ATIENDE_SOURCE_DIR) / "data/demo/catalog" / file,
                  dir_ / "data" / "mi-catalogo" / file);
  }
  auto agent = open("[agent]\ncatalog_dir = \"mi-catalogo\"\n",
                    {dir_ / "empty", dir_ / "data", fs::path(ATIENDE_SOURCE_DIR)});
  ASSERT_TRUE(agent.ok()) << agent.status().to_string();
  EXPECT_NE((*agent)->catalog().find_plan("plan-5g-10"), nullptr);
}

TEST_F(FactoryTest, MissingCatalogFailsNamingTheKeyAndThePath) {
  auto agent = open("[agent]\ncatalog_dir = \"no-such-catalog\"\n",
                    {dir_ / "empty", fs::path(ATIENDE_SOURCE_DIR)});
  ASSERT_FALSE(agent.ok());
  const std::string message = agent.status().message();
  EXPECT_NE(message.find("agent.catalog_dir"), std::string::npos) << message;
  EXPECT_NE(message.find((dir_ / "empty" / "no-such-catalog").string()), std::string::npos)
      << message;
}

}  // namespace
}  // namespace atiende::agent
