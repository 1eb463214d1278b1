#include <gtest/gtest.h>

#include "llm/factory.h"

namespace atiende::llm {
namespace {

class FixedLlm : public LlmClient {
 public:
  std::string_view name() const override { return "fixed"; }
  Result<ChatResponse> complete(const ChatRequest&) override {
    ChatResponse r;
    r.content = "fijo";
    return r;
  }
  Status stream(const ChatRequest&, StreamSink& sink) override {
    sink.on_text("fijo");
    sink.on_finish(FinishReason::kStop, "fixed");
    return Status{};
  }
};

TEST(LlmFactory, OpenAiFromConfig) {
  Config config(map_env({{"ATIENDE_LLM_PROVIDER", "openai"},
                         {"ATIENDE_LLM_BASE_URL", "http://127.0.0.1:1/v1"},
                         {"ATIENDE_LLM_MODEL", "llama"}}));
  auto client = make_llm_client(config);
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  EXPECT_EQ((*client)->name(), "openai");
}

TEST(LlmFactory, BadOpenAiConfigNamesTheKey) {
  Config config(map_env({{"ATIENDE_LLM_PROVIDER", "openai"}, {"ATIENDE_LLM_BASE_URL", "localhost:8080"}}));
  auto client = make_llm_client(config);
  EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(client.status().message().find("llm.base_url"), std::string::npos);
}

TEST(LlmFactory, KeepAliveIdleTimeIsChecked) {
  Config bad(map_env({{"ATIENDE_LLM_PROVIDER", "openai"},
                      {"ATIENDE_LLM_BASE_URL", "http://127.0.0.1:1/v1"},
                      {"ATIENDE_LLM_KEEP_ALIVE_MS", "-5"}}));
  auto client = make_llm_client(bad);
  EXPECT_EQ(client.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(client.status().message().find("llm.keep_alive_ms"), std::string::npos) << client.status().to_string();
  Config off(map_env({{"ATIENDE_LLM_PROVIDER", "openai"},
                      {"ATIENDE_LLM_BASE_URL", "http://127.0.0.1:1/v1"},
                      {"ATIENDE_LLM_KEEP_ALIVE_MS", "0"}}));
  EXPECT_TRUE(make_llm_client(off).ok());
}

TEST(LlmFactory, BedrockNeedsCredentialsAndModel) {
  Config no_creds(map_env({{"ATIENDE_LLM_PROVIDER", "bedrock"}, {"ATIENDE_LLM_MODEL", "m"}}));
  EXPECT_EQ(make_llm_client(no_creds).status().code(), StatusCode::kUnauthenticated);
  Config ok(map_env({{"ATIENDE_LLM_PROVIDER", "bedrock"},
                     {"ATIENDE_LLM_MODEL", "m"},
                     {"AWS_ACCESS_KEY_ID", "a"},
                     {"AWS_SECRET_ACCESS_KEY", "b"},
                     {"AWS_REGION", "eu-south-2"}}));
  auto client = make_llm_client(ok);
  ASSERT_TRUE(client.ok()) << client.status().to_string();
  EXPECT_EQ((*client)->name(), "bedrock");
}

TEST(LlmFactory, UnknownAndUnregisteredBuiltin) {
  Config unknown(map_env({{"ATIENDE_LLM_PROVIDER", "gpt9"}}));
  auto u = make_llm_client(unknown);
  EXPECT_EQ(u.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(u.status().message().find("openai"), std::string::npos);
  Config builtin(map_env({}));
  if (!make_llm_client_named("builtin", builtin).ok()) {
    EXPECT_EQ(make_llm_client(builtin).status().code(), StatusCode::kFailedPrecondition);
  }
}

TEST(LlmFactory, RegistrationWithDuplicateCheck) {
  auto factory = [](const Config&, const ProviderDeps&) -> Result<std::unique_ptr<LlmClient>> {
    return std::unique_ptr<LlmClient>(std::make_unique<FixedLlm>());
  };
  // The registry is process-wide: a fresh name per run keeps --gtest_repeat working.
  static int run = 0;
  const std::string name = "fixed-test-" + std::to_string(run++);
  ASSERT_TRUE(register_llm_provider(name, factory).ok());
  EXPECT_EQ(register_llm_provider(name, factory).code(), StatusCode::kAlreadyExists);
  Config config(map_env({{"ATIENDE_LLM_PROVIDER", name}}));
  auto client = make_llm_client(config);
  ASSERT_TRUE(client.ok());
  auto res = (*client)->complete(ChatRequest{});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->content, "fijo");
  auto names = llm_provider_names();
  EXPECT_NE(std::find(names.begin(), names.end(), "bedrock"), names.end());
}

}  // namespace
}  // namespace atiende::llm
