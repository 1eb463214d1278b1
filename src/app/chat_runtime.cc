#include "app/chat_runtime.h"

#include "agent/agent.h"
#include "agent/factory.h"
#include "app/serve.h"
#include "audit/audit_log.h"
#include "common/log.h"
#include "llm/factory.h"
#include "llm/llm_client.h"
#include "privacy/anonymizer.h"
#include "store/conversations.h"

namespace atiende::app {

Result<ChatRuntime> open_chat_runtime(const Config& config, const std::filesystem::path& data_dir,
                                      std::shared_ptr<retrieve::KnowledgeBase> knowledge_base) {
  ChatRuntime rt;
  ATIENDE_ASSIGN_OR_RETURN(rt.db, store::SqliteDatabase::open((data_dir / "atiende.db").string()));
  ATIENDE_ASSIGN_OR_RETURN(auto conversations, store::open_sqlite_conversations(rt.db));
  rt.conversations = std::move(conversations);
  ATIENDE_ASSIGN_OR_RETURN(std::string audit_key,
                           audit::load_or_create_audit_key(data_dir.string(), config.env()));
  ATIENDE_ASSIGN_OR_RETURN(auto audit_log, audit::AuditLog::open(rt.db, audit_key, system_clock()));
  rt.audit = std::move(audit_log);

  // Customer text is anonymized before it is stored, logged or shown to an agent. When the
  // anonymizer cannot process a text, the text is withheld entirely (never passed through raw).
  auto anonymizer_or = privacy::Anonymizer::from_config(config);
  if (!anonymizer_or.ok()) return anonymizer_or.status().with_context("privacy");
  std::shared_ptr<const privacy::Anonymizer> anonymizer = std::move(*anonymizer_or);
  auto anonymize = [anonymizer](std::string_view text, std::string_view) -> std::string {
    if (text.empty()) return {};
    auto scope = anonymizer->new_scope();
    auto safe = anonymizer->anonymize_text(text, scope);
    return safe.ok() ? *safe : std::string("[texto retenido por privacidad]");
  };

  agent::AgentEnvironment env;
  env.config = &config;
  env.data_dir = data_dir;
  env.db = rt.db;
  env.audit = rt.audit;
  env.anonymizer = [anonymize](std::string text) { return anonymize(text, "es"); };
  env.conversations = rt.conversations.get();
  env.clock = &system_clock();
  env.random = &system_random();
  auto agent_or = agent::open_agent_from_config(env);
  if (!agent_or.ok()) return agent_or.status().with_context("agent");
  rt.agent = std::move(*agent_or);

  ATIENDE_ASSIGN_OR_RETURN(std::string provider_name, config.get_string("llm.provider", "builtin"));
  std::shared_ptr<llm::LlmClient> provider;
  if (provider_name != "builtin") {
    auto made = llm::make_llm_client_named(provider_name, config);
    if (!made.ok()) return made.status().with_context("llm.provider");
    provider = std::move(*made);
  }
  ATIENDE_ASSIGN_OR_RETURN(chat::ChatOptions options, chat::chat_options_from_config(config));
  chat::ChatEngineDeps deps;
  deps.knowledge_base = std::move(knowledge_base);
  deps.conversations = rt.conversations;
  deps.agent = rt.agent;
  deps.provider = std::move(provider);
  deps.anonymize = anonymize;
  auto audit_for_refs = rt.audit;
  deps.customer_ref = [audit_for_refs](const std::string& id) { return audit_for_refs->customer_ref(id); };
  deps.clock = &system_clock();
  deps.random = &system_random();
  ATIENDE_ASSIGN_OR_RETURN(auto engine, chat::ChatEngine::create(std::move(deps), std::move(options)));
  rt.engine = std::move(engine);
  return rt;
}

Result<std::shared_ptr<ChatRuntime>> shared_chat_runtime(ServeContext& context) {
  if (context.chat_runtime) return context.chat_runtime;
  // The knowledge base outlives the server (ServeContext), so it is borrowed, not owned.
  std::shared_ptr<retrieve::KnowledgeBase> kb(&context.kb, [](retrieve::KnowledgeBase*) {});
  ATIENDE_ASSIGN_OR_RETURN(ChatRuntime runtime,
                           open_chat_runtime(context.config, context.data_dir, std::move(kb)));
  context.chat_runtime = std::make_shared<ChatRuntime>(std::move(runtime));
  return context.chat_runtime;
}

}  // namespace atiende::app
