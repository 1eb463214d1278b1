// `atiende ingest PATH... [--delete ID]... [--json]`: loads files and directories into the
// knowledge base, one transaction per file; bad files fail alone (exit 1) and the rest is stored.

#include <filesystem>
#include <iostream>

#include "app/command.h"
#include "app/ingest_privacy.h"
#include "app/ingest_wiring.h"
#include "common/files.h"
#include "common/json.h"
#include "common/progress.h"
#include "ingest/pipeline.h"
#include "store/sqlite_store.h"

namespace atiende::app {
namespace {

struct IngestArgs {
  std::vector<std::string> paths;
  std::vector<std::string> deletes;
};

Json file_json(const ingest::FileResult& f) {
  Json j = {{"path", f.path},
            {"format", f.format},
            {"ok", f.status.ok()},
            {"bytes", f.bytes},
            {"documents_added", f.documents_added},
            {"documents_replaced", f.documents_replaced},
            {"documents_unchanged", f.documents_unchanged},
            {"documents_pruned", f.documents_pruned},
            {"chunks", f.chunks},
            {"duplicates_dropped", f.duplicates_dropped}};
  if (!f.status.ok()) {
    j["error"] = {{"code", std::string(status_code_name(f.status.code()))},
                  {"message", f.status.message()}};
  }
  return j;
}

std::string megabytes(uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f MB", static_cast<double>(bytes) / 1e6);
  return buffer;
}

int run_ingest(const IngestArgs& args, const GlobalOptions& globals) {
  if (args.paths.empty() && args.deletes.empty()) {
    return report_error(Status::invalid_argument(
                            "nothing to do: give at least one PATH or --delete ID "
                            "(see `atiende ingest --help`)"),
                        globals);
  }
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  auto options = ingest::IngestOptions::from_config(*config);
  if (!options.ok()) return report_error(options.status(), globals);
  // Records of type ticket/chat/transcript are anonymized before anything is stored or logged.
  auto transform = make_ingest_transform(*config);
  if (!transform.ok()) return report_error(transform.status(), globals);
  options->transform = std::move(*transform);

  const std::filesystem::path data_dir = config->get_string("data.dir", "./atiende-data").value_or("");
  Status made = ensure_directory(data_dir);
  if (!made.ok()) return report_error(made, globals);
  auto db = store::SqliteDatabase::open((data_dir / "atiende.db").string());
  if (!db.ok()) return report_error(db.status(), globals);
  auto store = store::open_sqlite_store(*db);
  if (!store.ok()) return report_error(store.status(), globals);
  // The knowledge base loads its persisted indexes (or rebuilds stale ones, with a progress bar),
  // then every file's outcome updates them incrementally; they are saved at the end.
  std::unique_ptr<ProgressBar> open_bar;
  uint64_t shown = 0;
  auto open_progress = [&](uint64_t done, uint64_t total) {
    if (!open_bar) {
      open_bar = std::make_unique<ProgressBar>(total, "indexes", !globals.json && stderr_is_tty());
    }
    open_bar->advance(done - shown);
    shown = done;
  };
  retrieve::KnowledgeBaseDeps deps;
  deps.store = std::shared_ptr<store::Store>(std::move(*store));
  auto kb = retrieve::open_knowledge_base(*config, std::move(deps), open_progress);
  if (!kb.ok()) return report_error(kb.status(), globals);
  if (open_bar) open_bar->finish();
  KnowledgeBaseWriter writer(**kb);
  ingest::IngestPipeline pipeline(writer, std::move(*options));

  ingest::IngestSummary summary;
  std::vector<Json> deleted;
  bool failed = false;
  for (const auto& id : args.deletes) {
    auto removed = pipeline.delete_document(id);
    Json entry = {{"id", id}, {"ok", removed.ok()}};
    if (removed.ok()) {
      ++summary.documents_deleted;
      entry["chunks_removed"] = removed->size();
    } else {
      failed = true;
      entry["error"] = {{"code", std::string(status_code_name(removed.status().code()))},
                        {"message", removed.status().message()}};
      if (!globals.json) std::cerr << "error: --delete " << id << ": " << removed.status().message() << "\n";
    }
    deleted.push_back(std::move(entry));
  }

  // Collect per argument, so that one missing path does not stop the others.
  std::vector<ingest::InputFile> files;
  uint64_t total_bytes = 0;
  for (const auto& path : args.paths) {
    std::vector<std::string> one = {path};
    auto found = ingest::collect_files(one);
    if (!found.ok()) {
      ingest::FileResult missing;
      missing.path = path;
      missing.status = found.status();
      summary.add(missing);
      if (!globals.json) std::cerr << "error: " << found.status().message() << "\n";
      continue;
    }
    for (auto& f : *found) {
      std::error_code ec;
      const auto size = std::filesystem::file_size(f.path, ec);
      if (!ec) total_bytes += size;
      files.push_back(std::move(f));
    }
  }

  ProgressBar progress(total_bytes, "ingest", stderr_is_tty() && !globals.json);
  const auto start = std::chrono::steady_clock::now();
  for (const auto& file : files) {
    ingest::FileResult result = pipeline.ingest_file(file);
    if (!result.status.ok() && !globals.json) {
      std::cerr << "\rerror: " << result.status.message() << "\n";
    }
    std::error_code ec;
    const auto size = std::filesystem::file_size(file.path, ec);
    progress.advance(ec ? 0 : size, file.doc_id);
    summary.add(result);
  }
  progress.finish();
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  failed = failed || summary.files_failed > 0;
  if (Status saved = (*kb)->save(); !saved.ok()) {
    if (!globals.json) std::cerr << "error: saving the indexes: " << saved.message() << "\n";
    failed = true;
  }

  if (globals.json) {
    Json files_json = Json::array();
    for (const auto& f : summary.files) files_json.push_back(file_json(f));
    Json out = {{"ok", !failed},
                {"files_ok", summary.files_ok},
                {"files_failed", summary.files_failed},
                {"documents",
                 {{"added", summary.documents_added},
                  {"replaced", summary.documents_replaced},
                  {"unchanged", summary.documents_unchanged},
                  {"pruned", summary.documents_pruned},
                  {"deleted", summary.documents_deleted}}},
                {"chunks", summary.chunks},
                {"duplicates_dropped", summary.duplicates_dropped},
                {"bytes", summary.bytes},
                {"seconds", summary.seconds},
                {"mb_per_s", summary.megabytes_per_second()},
                {"files", files_json},
                {"deleted", deleted}};
    std::cout << dump_json(out) << "\n";
  } else {
    char rate[64];
    std::snprintf(rate, sizeof rate, "%.2f s, %.2f MB/s", summary.seconds,
                  summary.megabytes_per_second());
    std::cout << "files: " << summary.files_ok << " ok, " << summary.files_failed << " failed\n"
              << "documents: " << summary.documents_added << " added, "
              << summary.documents_replaced << " replaced, " << summary.documents_unchanged
              << " unchanged, " << summary.documents_pruned << " pruned, "
              << summary.documents_deleted << " deleted\n"
              << "chunks: " << summary.chunks << " written, " << summary.duplicates_dropped
              << " duplicate blocks dropped\n"
              << "read " << megabytes(summary.bytes) << " in " << rate << "\n";
  }
  return failed ? kExitFailure : kExitOk;
}

std::function<int()> setup_ingest(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Load files or directories into the knowledge base.\n"
      "Formats: .md .txt .html .pdf, .csv FAQ (columns question,answer[,category][,id]),\n"
      ".jsonl/.json records {\"id\",\"title\",\"text\",\"type\":\"doc|faq|ticket|chat|transcript\","
      "\"metadata\":{...}}.\n"
      "Directories are read recursively. Each file is one transaction: a bad file is reported\n"
      "with its name and line, every other file is still ingested, and the exit code is 1.\n"
      "Re-ingesting is idempotent (unchanged documents are skipped; an edited one replaces the\n"
      "old version). Records of type ticket/chat/transcript are anonymized before storage.\n"
      "Config: ingest.chunk_tokens_max, ingest.chunk_overlap_tokens, ingest.dedup*.\n"
      "Examples:\n"
      "  atiende ingest data/demo\n"
      "  atiende ingest manual.pdf faq.csv --json\n"
      "  atiende ingest --delete faq-esim");
  auto args = std::make_shared<IngestArgs>();
  app.add_option("paths", args->paths, "Files or directories to ingest");
  app.add_option("--delete", args->deletes, "Remove the document with this id (repeatable)")
      ->type_name("ID")
      ->allow_extra_args(false);
  return [&globals, args]() { return run_ingest(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("ingest", setup_ingest);
}  // namespace atiende::app
