#pragma once
/// Builds the conversation side of a data dir (conversations, audit, privacy, agent, provider,
/// chat engine) from config. Shared by `atiende serve` (routes_chat.cc) and `atiende chat`.

#include <filesystem>
#include <memory>

#include "chat/engine.h"
#include "common/config.h"
#include "common/status.h"

namespace atiende::agent {
class Agent;
}
namespace atiende::audit {
class AuditLog;
}

namespace atiende::app {

struct ChatRuntime {
  std::shared_ptr<store::SqliteDatabase> db;
  std::shared_ptr<store::ConversationStore> conversations;
  std::shared_ptr<audit::AuditLog> audit;
  std::shared_ptr<agent::Agent> agent;
  std::shared_ptr<chat::ChatEngine> engine;
};

/// Opens everything for `data_dir` on top of an open knowledge base. Errors name the failing part
/// (and the config key when the config is wrong).
Result<ChatRuntime> open_chat_runtime(const Config& config, const std::filesystem::path& data_dir,
                                      std::shared_ptr<retrieve::KnowledgeBase> knowledge_base);

struct ServeContext;
/// The server's one ChatRuntime, opened on first use over the server's knowledge base and kept
/// in `context` (route installers run on one thread, so no locking is needed).
Result<std::shared_ptr<ChatRuntime>> shared_chat_runtime(ServeContext& context);

}  // namespace atiende::app
