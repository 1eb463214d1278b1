// `atiende documents list|show`: what the knowledge base holds.

#include <filesystem>
#include <iostream>

#include "app/command.h"
#include "common/clock.h"
#include "common/json.h"
#include "store/sqlite_store.h"

namespace atiende::app {
namespace {

struct DocumentsArgs {
  std::string type;
  int64_t limit = 100;
  int64_t offset = 0;
  std::string id;
  bool chunks = false;
};

Json document_json(const store::Document& d) {
  Json metadata = Json::object();
  if (auto parsed = parse_json(d.metadata_json); parsed.ok()) metadata = *parsed;
  return {{"id", d.id},           {"title", d.title},
          {"type", d.type},       {"language", d.language},
          {"source", d.source},   {"metadata", metadata},
          {"chunks", d.chunk_count}, {"content_hash", d.content_hash},
          {"created", format_iso8601(std::chrono::system_clock::time_point(
                          std::chrono::milliseconds(d.created_ms)))},
          {"updated", format_iso8601(std::chrono::system_clock::time_point(
                          std::chrono::milliseconds(d.updated_ms)))}};
}

Result<std::unique_ptr<store::Store>> open_store(const GlobalOptions& globals) {
  ATIENDE_ASSIGN_OR_RETURN(Config config, load_config(globals));
  const std::filesystem::path data_dir =
      config.get_string("data.dir", "./atiende-data").value_or("");
  const auto db_path = data_dir / "atiende.db";
  if (!std::filesystem::exists(db_path)) {
    return Status::not_found("no knowledge base at " + db_path.string() +
                             " (run `atiende ingest PATH` first, or pass --data)");
  }
  return store::open_sqlite_store(db_path.string());
}

int run_list(const DocumentsArgs& args, const GlobalOptions& globals) {
  auto store = open_store(globals);
  if (!store.ok()) return report_error(store.status(), globals);
  auto docs = (*store)->list_documents({.type = args.type, .offset = args.offset,
                                        .limit = args.limit});
  if (!docs.ok()) return report_error(docs.status(), globals);
  auto total = (*store)->count_documents();
  if (globals.json) {
    Json list = Json::array();
    for (const auto& d : *docs) list.push_back(document_json(d));
    std::cout << dump_json({{"documents", list}, {"total", total.value_or(0)}}) << "\n";
    return kExitOk;
  }
  for (const auto& d : *docs) {
    std::cout << d.id << "\t" << d.type << "\t" << d.language << "\t" << d.chunk_count
              << " chunks\t" << d.title << "\n";
  }
  std::cout << docs->size() << " shown of " << total.value_or(0) << " documents\n";
  return kExitOk;
}

int run_show(const DocumentsArgs& args, const GlobalOptions& globals) {
  auto store = open_store(globals);
  if (!store.ok()) return report_error(store.status(), globals);
  auto doc = (*store)->get_document(args.id);
  if (!doc.ok()) return report_error(doc.status(), globals);
  if (!doc->has_value()) {
    return report_error(Status::not_found("document '" + args.id + "' not found"), globals);
  }
  std::vector<store::Chunk> chunks;
  if (args.chunks) {
    auto got = (*store)->chunks_of(args.id);
    if (!got.ok()) return report_error(got.status(), globals);
    chunks = std::move(*got);
  }
  if (globals.json) {
    Json out = document_json(**doc);
    if (args.chunks) {
      Json list = Json::array();
      for (const auto& c : chunks) {
        list.push_back({{"chunk_id", c.id}, {"ordinal", c.ordinal}, {"start", c.start},
                        {"end", c.end}, {"page", c.page}, {"title", c.title}, {"text", c.text}});
      }
      out["chunk_list"] = list;
    }
    std::cout << dump_json(out) << "\n";
    return kExitOk;
  }
  std::cout << dump_json(document_json(**doc), 2) << "\n";
  for (const auto& c : chunks) {
    std::cout << "--- chunk " << c.id << " [" << c.start << "," << c.end << ")"
              << (c.page ? " page " + std::to_string(c.page) : std::string()) << "\n"
              << c.text << "\n";
  }
  return kExitOk;
}

std::function<int()> setup_documents(CLI::App& app, GlobalOptions& globals) {
  app.description("List or show the documents of the knowledge base");
  app.require_subcommand(1);
  auto args = std::make_shared<DocumentsArgs>();
  auto* list = app.add_subcommand("list", "List documents (id, type, language, chunks, title)");
  list->add_option("--type", args->type, "Only this type (doc|faq|ticket|chat|transcript)");
  list->add_option("--limit", args->limit, "At most N documents (default 100)")
      ->check(CLI::Range(int64_t{0}, int64_t{100000}));
  list->add_option("--offset", args->offset, "Skip the first N")
      ->check(CLI::NonNegativeNumber);
  auto* show = app.add_subcommand("show", "Show one document's metadata (and its chunks)");
  show->add_option("id", args->id, "Document id")->required();
  show->add_flag("--chunks", args->chunks, "Also print the chunks with their offsets and pages");
  list->fallthrough();
  show->fallthrough();
  return [&globals, args, list]() {
    return list->parsed() ? run_list(*args, globals) : run_show(*args, globals);
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("documents", setup_documents);
}  // namespace atiende::app
