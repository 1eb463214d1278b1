#pragma once
/// `atiende serve` wiring: what route modules (src/app/routes_*.cc) get, and how they register.
///
/// A route module adds its routes in an installer and registers it once, e.g. in routes_chat.cc:
///   Status install_chat_routes(http::Router& router, ServeContext& context) { ... }
///   ATIENDE_REGISTER_ROUTES("chat", install_chat_routes);
/// cmd_serve.cc runs every installer (in registration order) before the server starts; an error
/// stops start-up with the installer's name. Objects a module creates and the handlers use must
/// live as long as the server: keep them in shared_ptrs captured by the handlers, or in
/// `context.keep_alive`.

#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "http/router.h"

namespace atiende::retrieve {
class KnowledgeBase;
}
namespace atiende::ingest {
class IngestPipeline;
}

namespace atiende::app {

struct ChatRuntime;

/// Shared objects of a running server. All references outlive the server.
struct ServeContext {
  const Config& config;
  std::filesystem::path data_dir;
  /// The knowledge base (store + indexes); search() is thread-safe, mutations serialize inside.
  retrieve::KnowledgeBase& kb;
  /// Ingest for request bodies; writes go through `kb`, so indexes follow at once. Thread-safe.
  ingest::IngestPipeline& pipeline;
  /// Anything a route module needs kept alive until the server stops.
  std::vector<std::shared_ptr<void>> keep_alive;
  /// The conversation side (engine, agent, stores), opened once by the first route module that
  /// needs it: use shared_chat_runtime() (app/chat_runtime.h), never this field directly.
  std::shared_ptr<ChatRuntime> chat_runtime;
};

/// Adds a module's routes (and static assets) to `router`.
using RouteInstaller = std::function<Status(http::Router& router, ServeContext& context)>;

struct RouteRegistration {
  std::string name;
  RouteInstaller install;
};

/// Every registered installer, in registration order.
std::vector<RouteRegistration>& route_registry();

struct RouteRegistrar {
  RouteRegistrar(std::string name, RouteInstaller install);
};

}  // namespace atiende::app

#define ATIENDE_REGISTER_ROUTES(name, install) \
  static ::atiende::app::RouteRegistrar ATIENDE_CONCAT(atiende_routes_, __LINE__)(name, install)
