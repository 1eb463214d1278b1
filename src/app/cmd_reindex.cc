// `atiende reindex`: rebuilds the lexical and vector indexes from the store.

#include <chrono>
#include <iostream>

#include "app/command.h"
#include "common/json.h"
#include "common/progress.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

int run_reindex(const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<ProgressBar> bar;
  uint64_t shown = 0;
  auto progress = [&](uint64_t done, uint64_t total) {
    if (!bar) {
      bar = std::make_unique<ProgressBar>(total, "reindex", !globals.json && stderr_is_tty());
    }
    bar->advance(done - shown);
    shown = done;
  };
  auto kb = retrieve::open_knowledge_base(*config, {}, progress);
  if (!kb.ok()) return report_error(kb.status(), globals);
  // Opening already rebuilt both indexes when they were missing or stale: do not do it twice.
  const auto opened = (*kb)->stats();
  if (!(opened.lexical_rebuilt && opened.vector_rebuilt)) {
    bar.reset();
    shown = 0;
    if (Status status = (*kb)->reindex(progress); !status.ok()) {
      return report_error(status, globals);
    }
  }
  if (bar) bar->finish();
  if (Status status = (*kb)->check_integrity(); !status.ok()) return report_error(status, globals);
  const auto stats = (*kb)->stats();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (globals.json) {
    std::cout << dump_json({{"chunks", stats.lexical_size},
                            {"generation", stats.indexed_generation},
                            {"embedder", stats.embedder},
                            {"vector_backend", stats.vector_backend},
                            {"seconds", seconds}})
              << "\n";
  } else {
    std::cout << "reindexed " << stats.lexical_size << " chunks (embedder " << stats.embedder
              << ", vector index " << stats.vector_backend << ") in " << seconds << " s\n";
  }
  return kExitOk;
}

std::function<int()> setup_reindex(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Rebuild the lexical (BM25) and vector indexes from the store and save them under "
      "<data>/index/.\nUse after changing the embedder or index settings (index.vector, "
      "index.hnsw_*), or to repair indexes. Shows a progress bar on a TTY.");
  return [&globals]() { return run_reindex(globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("reindex", setup_reindex);
}  // namespace atiende::app
