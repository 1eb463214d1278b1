// `atiende eval run`: every golden question through the full chat pipeline of each config
// (retrieval, agent routing, generation, grounding), scored with every metric of src/eval, written
// as report.json and a self-contained report.html, optionally gated by thresholds.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>
#include <set>

#include "app/chat_runtime.h"
#include "app/eval_subcommands.h"
#include "app/ingest_privacy.h"
#include "app/ingest_wiring.h"
#include "common/files.h"
#include "common/json.h"
#include "common/progress.h"
#include "common/strings.h"
#include "embed/local_embedder.h"
#include "eval/gate.h"
#include "eval/golden_qa.h"
#include "eval/report_html.h"
#include "eval/run_report.h"
#include "ingest/pipeline.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

namespace fs = std::filesystem;

struct RunArgs {
  std::string golden;
  std::vector<std::string> configs;
  std::string out;
  std::string gate;
  bool token_vectors = false;
};

/// A directory removed (with its contents) when the guard goes away.
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> create(const std::string& prefix) {
    std::string pattern = (fs::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      return Status::internal("cannot create a temporary directory under " +
                              fs::temp_directory_path().string());
    }
    return std::unique_ptr<TempDir>(new TempDir(pattern));
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path path) : path_(std::move(path)) {}
  fs::path path_;
};

/// One config ready to answer. Members are destroyed in reverse order: the runtime (engine,
/// conversation store) first, then the knowledge base, then the temporary directories.
struct PreparedConfig {
  std::string name;
  std::string path;
  Config config;
  std::unique_ptr<TempDir> kb_dir;       ///< set when the config re-ingests (eval.sources)
  std::unique_ptr<TempDir> runtime_dir;  ///< conversations of the run (never the real data dir)
  std::shared_ptr<retrieve::KnowledgeBase> kb;
  retrieve::SearchMode mode = retrieve::SearchMode::kHybrid;
  size_t top_k = 5;
  double price_prompt = 0;
  double price_completion = 0;
  std::map<std::string, std::string> settings;
  ChatRuntime runtime;
};

class NullSink final : public chat::TurnSink {
 public:
  void on_token(std::string_view) override {}
  void on_citations(const std::vector<chat::Citation>&) override {}
  void on_action(std::string_view, const std::string&) override {}
};

/// Config keys copied into the report's per-config "settings" when the config sets them.
constexpr const char* kReportedKeys[] = {
    "chat.search_mode", "chat.min_confidence", "chat.faq_match", "chat.prompt_dir",
    "chat.budget_context", "llm.model", "llm.base_url", "llm.temperature", "llm.max_tokens",
    "retrieve.lexical_weight", "retrieve.vector_weight", "retrieve.rrf_k", "retrieve.rerank",
    "rerank.model", "embed.provider", "embed.model", "ingest.chunk_tokens_max",
    "ingest.chunk_overlap_tokens"};

std::string now_iso8601() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  ::gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

/// Ingests `sources` into the config's (temporary) data dir with the config's ingest.* options.
Status ingest_sources(const Config& config, retrieve::KnowledgeBase& kb,
                      const std::vector<std::string>& sources, const std::string& name) {
  ATIENDE_ASSIGN_OR_RETURN(auto options, ingest::IngestOptions::from_config(config));
  ATIENDE_ASSIGN_OR_RETURN(options.transform, make_ingest_transform(config));
  KnowledgeBaseWriter writer(kb);
  ingest::IngestPipeline pipeline(writer, std::move(options));
  ATIENDE_ASSIGN_OR_RETURN(auto summary, pipeline.ingest_paths(sources));
  for (const auto& file : summary.files) {
    if (!file.status.ok()) {
      return file.status.with_context("config " + name + ": ingesting eval.sources");
    }
  }
  if (summary.documents_added + summary.documents_replaced + summary.documents_unchanged == 0) {
    return Status::invalid_argument("config " + name + ": eval.sources holds no documents");
  }
  return kb.save();
}

/// eval.sources paths: as given when they exist from the working directory, else relative to the
/// config file's directory.
Result<std::vector<std::string>> resolve_sources(const Config& config, const std::string& path) {
  ATIENDE_ASSIGN_OR_RETURN(auto sources, config.get_string_list("eval.sources", {}));
  for (auto& source : sources) {
    std::error_code ec;
    if (fs::exists(source, ec)) continue;
    const fs::path beside = fs::path(path).parent_path() / source;
    if (!path.empty() && fs::exists(beside, ec)) {
      source = beside.string();
      continue;
    }
    return Status::invalid_argument("config key 'eval.sources' in " + path + ": \"" + source +
                                    "\" does not exist");
  }
  return sources;
}

Result<std::unique_ptr<PreparedConfig>> prepare_config(const GlobalOptions& globals,
                                                       const std::string& path,
                                                       std::vector<std::string>& warnings) {
  auto prepared = std::make_unique<PreparedConfig>();
  PreparedConfig& p = *prepared;
  GlobalOptions options = globals;
  if (!path.empty()) options.config_file = path;
  p.path = path;
  p.name = path.empty() ? "default" : fs::path(path).stem().string();
  ATIENDE_ASSIGN_OR_RETURN(p.config, load_config(options));
  ATIENDE_ASSIGN_OR_RETURN(chat::ChatOptions chat_options, chat::chat_options_from_config(p.config));
  p.top_k = chat_options.top_k;
  p.mode = retrieve::parse_search_mode(chat_options.search_mode).value_or(retrieve::SearchMode::kHybrid);
  ATIENDE_ASSIGN_OR_RETURN(p.price_prompt, p.config.get_double("eval.price_per_1k_prompt", 0));
  ATIENDE_ASSIGN_OR_RETURN(p.price_completion, p.config.get_double("eval.price_per_1k_completion", 0));
  ATIENDE_ASSIGN_OR_RETURN(std::string provider, p.config.get_string("llm.provider", "builtin"));
  p.settings["llm.provider"] = provider;
  p.settings["chat.top_k"] = std::to_string(p.top_k);
  for (const char* key : kReportedKeys) {
    if (p.config.has(key)) {
      auto value = p.config.get_string(key, "");
      p.settings[key] = value.ok() ? *value : "(set)";
    }
  }

  ATIENDE_ASSIGN_OR_RETURN(auto sources, resolve_sources(p.config, path));
  if (!sources.empty()) {
    // The config changes how the knowledge base is built: index its sources into a fresh,
    // temporary data dir, so the real one is left alone.
    ATIENDE_ASSIGN_OR_RETURN(p.kb_dir, TempDir::create("atiende-eval-kb-" + p.name + "-"));
    p.config.set("data.dir", p.kb_dir->path().string());
    p.settings["eval.sources"] = join(sources, ", ");
    auto kb = retrieve::open_knowledge_base(p.config);
    if (!kb.ok()) return kb.status().with_context("config " + p.name);
    p.kb = std::move(*kb);
    ATIENDE_RETURN_IF_ERROR(ingest_sources(p.config, *p.kb, sources, p.name));
  } else {
    if (p.config.has("ingest.chunk_tokens_max") || p.config.has("ingest.chunk_overlap_tokens")) {
      warnings.push_back("config " + p.name +
                         " sets ingest.chunk_* but no eval.sources: it is evaluated on the chunks "
                         "already in its data dir");
    }
    auto kb = retrieve::open_knowledge_base(p.config);
    if (!kb.ok()) return kb.status().with_context("config " + p.name);
    p.kb = std::move(*kb);
    ATIENDE_ASSIGN_OR_RETURN(int64_t documents, p.kb->store().count_documents());
    if (documents == 0) {
      return Status::failed_precondition(
          "config " + p.name + ": the data dir " + p.config.get_string("data.dir", "").value_or("") +
          " has no documents; run `atiende ingest` first or set eval.sources");
    }
  }
  p.settings["data.dir"] = p.config.get_string("data.dir", "").value_or("");
  // Conversations of the run go to a scratch dir: evaluation must not show up in the KPIs.
  ATIENDE_ASSIGN_OR_RETURN(p.runtime_dir, TempDir::create("atiende-eval-run-" + p.name + "-"));
  auto runtime = open_chat_runtime(p.config, p.runtime_dir->path(), p.kb);
  if (!runtime.ok()) return runtime.status().with_context("config " + p.name);
  p.runtime = std::move(*runtime);
  return prepared;
}

/// One question through the config's chat engine, in a new session.
eval::RunAnswer answer_question(PreparedConfig& p, const eval::GoldenQuestion& q) {
  eval::RunAnswer answer;
  chat::NewSession request;
  request.channel = "cli";
  auto session = p.runtime.engine->create_session(request);
  if (!session.ok()) {
    answer.error = session.status().to_string();
    return answer;
  }
  NullSink sink;
  const auto start = std::chrono::steady_clock::now();
  auto turn = p.runtime.engine->turn(session->id, q.question, sink);
  answer.latency_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (!turn.ok()) {
    answer.error = turn.status().to_string();
    return answer;
  }
  answer.text = turn->text;
  answer.provider = turn->provider;
  answer.abstained = turn->abstained;
  answer.fallback = turn->fallback;
  answer.prompt_tokens = turn->prompt_tokens;
  answer.completion_tokens = turn->completion_tokens;
  // The engine retrieved chat.top_k chunks for turn->query; the same search again gives the
  // ranked documents it saw (TurnResult does not carry them).
  if (!turn->query.empty()) {
    if (auto hits = p.kb->search(turn->query, p.top_k, p.mode); hits.ok()) {
      std::set<std::string> seen;
      for (const auto& hit : *hits) {
        if (seen.insert(hit.doc_id).second) answer.retrieved.push_back(hit.doc_id);
      }
    }
  }
  std::vector<int64_t> chunk_ids;
  for (const auto& c : turn->citations) chunk_ids.push_back(c.chunk_id);
  std::map<int64_t, std::string> chunk_text;
  if (auto chunks = p.kb->store().get_chunks(chunk_ids); chunks.ok()) {
    for (const auto& chunk : *chunks) chunk_text[chunk.id] = retrieve::passage_text(chunk);
  }
  for (const auto& c : turn->citations) {
    auto it = chunk_text.find(c.chunk_id);
    answer.citations.push_back({c.number, c.doc_id, c.chunk_id, c.title,
                                it != chunk_text.end() ? it->second : c.title + "\n" + c.snippet});
  }
  return answer;
}

Json summary_json(const eval::RunReport& report, const fs::path& out) {
  Json configs = Json::array();
  for (const auto& c : report.configs) {
    Json metrics = Json::object();
    for (const auto& [name, value] : c.metrics) metrics[name] = value ? Json(*value) : Json(nullptr);
    configs.push_back({{"name", c.name},
                       {"metrics", std::move(metrics)},
                       {"latency_ms", {{"p50", c.latency_ms.p50}, {"p95", c.latency_ms.p95}}},
                       {"cost", c.cost}});
  }
  Json j = {{"report", (out / "report.json").string()},
            {"html", (out / "report.html").string()},
            {"questions", report.golden.size()},
            {"configs", std::move(configs)},
            {"warnings", report.warnings}};
  if (report.gate) {
    j["gate"] = {{"passed", report.gate->passed}, {"failures", report.gate->failures}};
  }
  return j;
}

void print_summary(const eval::RunReport& report, const fs::path& out) {
  auto show = [](const eval::MetricMap& m, const char* key, int decimals) {
    auto it = m.find(key);
    if (it == m.end() || !it->second) return std::string("-");
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.*f", decimals, *it->second);
    return std::string(buffer);
  };
  std::printf("%-12s %7s %6s %6s %8s %9s %7s %8s %8s %9s %9s\n", "config", "ROUGE-L", "BLEU",
              "chrF", "semantic", "recall@k", "MRR@k", "grounded", "abstain", "p50 ms", "p95 ms");
  for (const auto& c : report.configs) {
    std::printf("%-12s %7s %6s %6s %8s %9s %7s %8s %8s %9.2f %9.2f\n", c.name.c_str(),
                show(c.metrics, "rougeL_f", 3).c_str(), show(c.metrics, "bleu", 1).c_str(),
                show(c.metrics, "chrf", 1).c_str(), show(c.metrics, "semantic_f1", 3).c_str(),
                show(c.metrics, "retrieval_recall", 3).c_str(),
                show(c.metrics, "retrieval_mrr", 3).c_str(),
                show(c.metrics, "groundedness", 3).c_str(),
                show(c.metrics, "abstain_rate", 3).c_str(), c.latency_ms.p50, c.latency_ms.p95);
  }
  std::printf("\n%zu questions; report: %s, %s\n", report.golden.size(),
              (out / "report.json").c_str(), (out / "report.html").c_str());
}

int run_eval(const RunArgs& args, const GlobalOptions& globals) {
  auto text = read_file(args.golden);
  if (!text.ok()) return report_error(text.status(), globals);
  auto golden = eval::parse_golden_questions(*text, args.golden);
  if (!golden.ok()) return report_error(golden.status(), globals);

  std::vector<std::string> paths = args.configs;
  if (paths.empty()) paths.push_back("");
  std::vector<std::string> names;
  for (const auto& path : paths) {
    names.push_back(path.empty() ? "default" : fs::path(path).stem().string());
  }
  std::optional<eval::Gate> gate;
  if (!args.gate.empty()) {
    auto gate_text = read_file(args.gate);
    if (!gate_text.ok()) return report_error(gate_text.status(), globals);
    auto parsed = eval::parse_gate(*gate_text, args.gate);
    if (!parsed.ok()) return report_error(parsed.status(), globals);
    Status valid = eval::validate_gate(*parsed, eval::gate_metric_names(), names);
    if (!valid.ok()) return report_error(valid.with_context(args.gate), globals);
    gate = std::move(*parsed);
  }
  const fs::path out = args.out;
  if (Status made = ensure_directory(out); !made.ok()) return report_error(made, globals);

  // The semantic metric uses one embedder for every config (the base config's local embedder),
  // so that its scores compare across configs.
  auto base_config = load_config(globals);
  if (!base_config.ok()) return report_error(base_config.status(), globals);
  auto embedder = embed::make_local_embedder(*base_config);
  if (!embedder.ok()) return report_error(embedder.status(), globals);

  std::vector<std::string> warnings;
  std::vector<std::unique_ptr<PreparedConfig>> prepared;
  std::set<std::string> checked_data_dirs;
  for (const auto& path : paths) {
    auto p = prepare_config(globals, path, warnings);
    if (!p.ok()) return report_error(p.status(), globals);
    // Unknown relevant doc ids: once per knowledge base.
    const std::string data_dir = (*p)->config.get_string("data.dir", "").value_or("");
    if (checked_data_dirs.insert(data_dir).second) {
      auto& store = (*p)->kb->store();
      for (auto& w : eval::unknown_document_warnings(*golden, args.golden, [&](const std::string& id) {
             auto document = store.get_document(id);
             return document.ok() && document->has_value();
           })) {
        warnings.push_back(paths.size() > 1 ? w + " (config " + (*p)->name + ")" : w);
      }
    }
    prepared.push_back(std::move(*p));
  }
  for (const auto& w : warnings) std::cerr << "warning: " << w << "\n";

  ProgressBar bar(golden->size() * prepared.size(), "eval run", !globals.json && stderr_is_tty());
  std::vector<eval::ConfigRun> runs;
  for (auto& p : prepared) {
    eval::ConfigRun run;
    run.name = p->name;
    run.path = p->path;
    run.k = p->top_k;
    run.price_prompt_per_1k = p->price_prompt;
    run.price_completion_per_1k = p->price_completion;
    run.settings = p->settings;
    for (const auto& q : *golden) {
      run.answers.push_back(answer_question(*p, q));
      bar.advance(1, p->name + " " + q.id);
    }
    runs.push_back(std::move(run));
  }
  bar.finish();
  prepared.clear();  // close the engines and remove the temporary data dirs

  eval::RunScoringOptions scoring;
  scoring.embedder = embedder->get();
  if (args.token_vectors) scoring.token_embed = eval::word_vectors_from(**embedder);
  auto report = eval::score_run(std::move(*golden), args.golden, std::move(runs), scoring);
  if (!report.ok()) return report_error(report.status(), globals);
  report->created_at = now_iso8601();
  report->warnings = warnings;
  if (gate) {
    eval::GateSummary summary;
    summary.file = args.gate;
    summary.failures = eval::check_gate(*gate, eval::gate_values(*report));
    summary.passed = summary.failures.empty();
    report->gate = std::move(summary);
  }
  const std::string json = eval::run_report_json(*report);
  if (Status s = write_file_atomic(out / "report.json", json); !s.ok()) return report_error(s, globals);
  auto html = eval::render_report_html(json);
  if (!html.ok()) return report_error(html.status(), globals);
  if (Status s = write_file_atomic(out / "report.html", *html); !s.ok()) return report_error(s, globals);

  if (globals.json) {
    std::cout << dump_json(summary_json(*report, out)) << "\n";
  } else {
    print_summary(*report, out);
  }
  if (report->gate && !report->gate->passed) {
    for (const auto& f : report->gate->failures) std::cerr << "gate: " << f << "\n";
    std::cerr << "gate failed: " << report->gate->failures.size() << " threshold"
              << (report->gate->failures.size() == 1 ? "" : "s") << " missed (" << args.gate
              << ")\n";
    return kExitFailure;
  }
  if (report->gate && !globals.json) std::cout << "gate passed (" << args.gate << ")\n";
  return kExitOk;
}

std::function<int()> setup_run(CLI::App& app, GlobalOptions& globals) {
  auto args = std::make_shared<RunArgs>();
  app.description(
      "Answer a golden question set with the full chat pipeline of one or more configs and score\n"
      "every answer (BLEU, chrF, ROUGE, semantic, retrieval, groundedness, latency, tokens, cost).\n"
      "  atiende eval run --golden data/demo/golden/qa.jsonl \\\n"
      "      --config data/demo/configs/a.toml --config data/demo/configs/b.toml --out eval-out\n"
      "Golden lines: {\"id\",\"question\",\"reference_answer\",\"relevant\":[doc ids]}. Each config\n"
      "is named after its file stem (\"default\" without --config). A config with eval.sources is\n"
      "indexed into a temporary data dir first (to compare chunking). Writes DIR/report.json and a\n"
      "self-contained DIR/report.html. --gate FILE holds thresholds ([gate] rougeL_f = \">= 0.3\");\n"
      "a missed one is named on stderr and the exit code is 1. Schema: docs/API.md.");
  app.add_option("--golden", args->golden, "Golden QA file (JSONL)")->required();
  app.add_option("--config", args->configs, "Config TOML to evaluate (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--out", args->out, "Output directory for report.json and report.html")->required();
  app.add_option("--gate", args->gate, "Thresholds file (TOML, or JSON with .json)");
  app.add_flag("--token-vectors", args->token_vectors,
               "semantic: greedy matching of per-word vectors (BERTScore-style) instead of "
               "sentence cosine");
  return [args, &globals]() { return run_eval(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_EVAL_SUBCOMMAND("run", setup_run);
}  // namespace atiende::app
