#pragma once
/// Builds a ready Agent from config: what `atiende serve` (src/app) calls once at start-up.
///
/// Config keys (all optional):
///   agent.backend = "demo" | "http"          (default "demo")
///   agent.demo_dir = "data/demo"             customers.json, outages.json, catalog/, intents/
///   agent.catalog_dir = "<demo_dir>/catalog"
///   agent.backend_config = "<file>.toml"     required for "http" (see http_backend.h)
///   agent.intent_model = "<file>"            a model from `atiende intents train`; when empty or
///                                            missing, one is trained at start-up from
///   agent.intent_examples = "<demo_dir>/intents/train.jsonl"  (about 0.5 s)
///   agent.intent_threshold = 0.25            out-of-scope threshold (< 0: the model's)
///   agent.tool_intent_threshold = 0.35       a weaker tool intent is answered from the KB
///   agent.confirmation_ttl_seconds = 300
///   agent.policy.*                           see policy.h
///   auth.jwt_secret / auth.jwt_public_key / auth.audience / auth.issuer   see identity.h; with
///   no key configured the HS256 secret is created once in <data>/keys/jwt.secret, the same file
///   `atiende token` uses.
///
/// Relative paths in these keys (demo_dir, catalog_dir, backend_config, intent_model,
/// intent_examples) are looked up by resolve_agent_path(), so `atiende serve` works from any
/// working directory.

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "agent/agent.h"
#include "common/config.h"
#include "store/conversations.h"

namespace atiende::agent {

struct AgentEnvironment {
  const Config* config = nullptr;
  std::filesystem::path data_dir;
  std::shared_ptr<store::SqliteDatabase> db;
  std::shared_ptr<audit::AuditLog> audit;
  Anonymizer anonymizer;                           ///< privacy's anonymizer for ticket texts
  store::ConversationStore* conversations = nullptr;  ///< escalation mark + reply delivery
  const Clock* clock = nullptr;
  Random* random = nullptr;
  /// Where relative config paths are looked for, in order; empty = default_agent_path_bases().
  std::vector<std::filesystem::path> path_bases;
};

/// The default bases for relative agent paths, in order: the working directory, `data_dir`, and
/// the install root (the directory above the running binary's, e.g. the repository root for
/// `<repo>/build/atiende`, where the shipped data/demo lives).
std::vector<std::filesystem::path> default_agent_path_bases(const std::filesystem::path& data_dir);

/// Resolves a configured path: absolute (or empty) paths are returned unchanged; a relative one
/// is joined to each base in turn and the first that exists wins. When none exists, the path
/// under the first base is returned, so the caller's "cannot read" error names it.
std::filesystem::path resolve_agent_path(std::string_view configured,
                                         const std::vector<std::filesystem::path>& bases);

/// Errors name the config key or file that is wrong.
Result<std::unique_ptr<Agent>> open_agent_from_config(const AgentEnvironment& env);

}  // namespace atiende::agent
