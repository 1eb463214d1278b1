// `atiende serve [--port N] [--host H]`: the HTTP server (API, web chat, /healthz, /metrics).
// Routes come from the route modules registered with ATIENDE_REGISTER_ROUTES (see serve.h).

#include <iostream>

#include "app/command.h"
#include "app/ingest_privacy.h"
#include "app/ingest_wiring.h"
#include "app/serve.h"
#include "app/web_assets.h"
#include "common/files.h"
#include "common/progress.h"
#include "http/server.h"
#include "ingest/pipeline.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {

std::vector<RouteRegistration>& route_registry() {
  static std::vector<RouteRegistration> registry;
  return registry;
}

RouteRegistrar::RouteRegistrar(std::string name, RouteInstaller install) {
  route_registry().push_back({std::move(name), std::move(install)});
}

namespace {

struct ServeArgs {
  int port = -1;  ///< -1 = from config
  std::string host;
};

int run_serve(const ServeArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  if (args.port >= 0) config->set("http.port", std::to_string(args.port));
  if (!args.host.empty()) config->set("http.host", args.host);
  auto options = http::server_options_from_config(*config);
  if (!options.ok()) return report_error(options.status(), globals);

  const std::filesystem::path data_dir =
      config->get_string("data.dir", "./atiende-data").value_or("./atiende-data");
  if (Status made = ensure_directory(data_dir); !made.ok()) return report_error(made, globals);

  std::unique_ptr<ProgressBar> bar;
  uint64_t shown = 0;
  auto kb = retrieve::open_knowledge_base(*config, {}, [&](uint64_t done, uint64_t total) {
    if (!bar) bar = std::make_unique<ProgressBar>(total, "index", stderr_is_tty());
    bar->advance(done - shown);
    shown = done;
  });
  if (bar) bar->finish();
  if (!kb.ok()) return report_error(kb.status(), globals);

  auto ingest_options = ingest::IngestOptions::from_config(*config);
  if (!ingest_options.ok()) return report_error(ingest_options.status(), globals);
  // Records of type ticket/chat/transcript are anonymized before anything is stored or logged.
  auto transform = make_ingest_transform(*config);
  if (!transform.ok()) return report_error(transform.status(), globals);
  ingest_options->transform = std::move(*transform);
  KnowledgeBaseWriter writer(**kb);  // ingest writes through the KB: indexes follow at once
  ingest::IngestPipeline pipeline(writer, std::move(*ingest_options));

  http::Server server(*options);
  for (const auto& asset : web_assets()) {
    server.router().add_static(asset.path, asset.content_type,
                               std::string(reinterpret_cast<const char*>(asset.data), asset.size));
  }
  ServeContext context{*config, data_dir, **kb, pipeline, {}, nullptr};
  for (const auto& registration : route_registry()) {
    Status installed = registration.install(server.router(), context);
    if (!installed.ok()) {
      return report_error(installed.with_context("routes '" + registration.name + "'"), globals);
    }
  }
  if (Status started = server.start(); !started.ok()) return report_error(started, globals);
  // First line of stdout: scripts and e2e tests read the bound port from it (with --port 0).
  std::cout << "listening on " << server.url() << std::endl;
  server.run_until_signal();
  if (Status saved = (*kb)->save(); !saved.ok()) {
    std::cerr << "warning: saving the indexes failed: " << saved.message() << "\n";
  }
  return kExitOk;
}

std::function<int()> setup_serve(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Run the HTTP server: the JSON API under /v1/, the web chat at /, GET /healthz and\n"
      "GET /metrics (Prometheus). Prints \"listening on http://HOST:PORT\" as its first line\n"
      "and runs until SIGINT/SIGTERM (then finishes in-flight requests and exits 0).\n"
      "API (JSON; errors are {\"error\":{\"code\",\"message\"}}):\n"
      "  POST   /v1/search          {\"query\",\"k\",\"mode\":\"bm25|vector|hybrid\",\"filter\":{...}}\n"
      "  POST   /v1/documents       a record {\"id\",\"title\",\"text\",\"type\",\"metadata\"}, an\n"
      "                             array of them, or JSON Lines (same shape as `atiende ingest`)\n"
      "  GET    /v1/documents       ?offset=0&limit=100&type=faq\n"
      "  GET    /v1/documents/{id}  ?chunks=false to omit the chunks\n"
      "  DELETE /v1/documents/{id}\n"
      "Config (env ATIENDE_HTTP_*): http.host (127.0.0.1), http.port (8080), http.threads (2 I/O\n"
      "threads), http.worker_threads (4), http.worker_nice (10: per-turn work yields the CPUs\n"
      "to streamed tokens), http.max_body_bytes, http.max_header_bytes, http.max_json_depth,\n"
      "http.request_timeout_ms, http.idle_timeout_ms, http.rate_limit_rps (20 requests/s per\n"
      "client; local clients exempt unless http.rate_limit_loopback), http.rate_limit_burst (60),\n"
      "http.trusted_proxies (127.0.0.1, ::1: their X-Forwarded-For names the client),\n"
      "http.cors_origins, http.max_connections, http.sse_keepalive_ms.\n"
      "Examples:\n"
      "  atiende serve\n"
      "  atiende serve --port 0 --data /tmp/kb\n"
      "  curl -s localhost:8080/v1/search -d '{\"query\":\"¿Cómo activo la eSIM?\",\"k\":3}'");
  auto args = std::make_shared<ServeArgs>();
  app.add_option("--port", args->port, "TCP port (0 = any free port; default http.port = 8080)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--host", args->host, "Address to bind (default http.host = 127.0.0.1)");
  return [&globals, args]() { return run_serve(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("serve", setup_serve);
}  // namespace atiende::app
