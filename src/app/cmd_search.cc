// `atiende search`: one query (human or --json output) or a batch of queries from JSON Lines.

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/command.h"
#include "common/json.h"
#include "common/progress.h"
#include "retrieve/batch_search.h"
#include "retrieve/filter.h"
#include "retrieve/hit_json.h"
#include "retrieve/knowledge_base.h"
#include "text/utf8.h"

namespace atiende::app {
namespace {

constexpr size_t kSnippetCodePoints = 160;

struct SearchArgs {
  size_t k = 10;
  std::string mode = "hybrid";
  std::vector<std::string> filters;
  std::string queries_file;
  size_t threads = 0;
  bool stats = false;
  std::vector<std::string> query_words;
};

/// One line, at most kSnippetCodePoints code points, whitespace collapsed.
std::string snippet(std::string_view text) {
  std::string flat;
  flat.reserve(std::min(text.size(), kSnippetCodePoints * 4));
  bool space = false;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !flat.empty();
      continue;
    }
    if (space) flat += ' ';
    space = false;
    flat += c;
    if (flat.size() > kSnippetCodePoints * 4) break;
  }
  if (text::count_code_points(flat) <= kSnippetCodePoints) return flat;
  return text::sanitize_utf8(flat.substr(0, text::code_point_to_byte(flat, kSnippetCodePoints))) +
         "…";
}

void print_human(const std::vector<retrieve::Hit>& hits) {
  if (hits.empty()) {
    std::cout << "no results\n";
    return;
  }
  for (size_t i = 0; i < hits.size(); ++i) {
    const auto& h = hits[i];
    std::ostringstream score;
    score << std::setprecision(4) << h.score;
    std::cout << i + 1 << ". [" << score.str() << "] " << h.doc_id << " — " << h.title << "\n";
    std::cout << "   " << snippet(h.text) << "\n";
    std::cout << "   chunk " << h.chunk_id << ", code points " << h.start << "–" << h.end;
    if (h.page > 0) std::cout << ", page " << h.page;
    std::cout << ", " << h.type << "/" << h.language << ", " << h.source << "\n";
  }
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = p / 100.0 * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const auto hi = static_cast<size_t>(std::ceil(rank));
  return values[lo] + (values[hi] - values[lo]) * (rank - static_cast<double>(lo));
}

std::unique_ptr<ProgressBar> open_progress(const GlobalOptions& globals, const std::string& label,
                                           uint64_t total) {
  return std::make_unique<ProgressBar>(total, label, !globals.json && stderr_is_tty());
}

Result<std::unique_ptr<retrieve::KnowledgeBase>> open_kb(const Config& config,
                                                         const GlobalOptions& globals) {
  std::unique_ptr<ProgressBar> bar;
  uint64_t shown = 0;
  auto kb = retrieve::open_knowledge_base(
      config, {}, [&](uint64_t done, uint64_t total) {
        if (!bar) bar = open_progress(globals, "indexing", total);
        bar->advance(done - shown);
        shown = done;
      });
  if (bar) bar->finish();
  return kb;
}

int run_search(const SearchArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  const auto mode = retrieve::parse_search_mode(args.mode);
  if (!mode) {
    return report_error(Status::invalid_argument("--mode must be bm25, vector or hybrid, got \"" +
                                                 args.mode + "\""),
                        globals);
  }
  if (args.k < 1 || args.k > 1000) {
    return report_error(Status::invalid_argument("--k must be between 1 and 1000"), globals);
  }
  auto filter = retrieve::parse_filter_args(args.filters);
  if (!filter.ok()) return report_error(filter.status(), globals);

  const bool batch = !args.queries_file.empty();
  std::string query;
  for (const auto& w : args.query_words) query += (query.empty() ? "" : " ") + w;
  if (batch && !query.empty()) {
    return report_error(Status::invalid_argument("give either QUERY or --queries FILE, not both"),
                        globals);
  }
  if (!batch && query.empty()) {
    return report_error(Status::invalid_argument("missing QUERY (or --queries FILE.jsonl)"),
                        globals);
  }

  retrieve::BatchOptions options;
  options.k = args.k;
  options.mode = *mode;
  options.filter = *filter;
  options.threads = args.threads;
  std::vector<retrieve::BatchQuery> queries;
  if (batch) {
    // Validate the whole file before opening (and maybe rebuilding) the knowledge base.
    std::ifstream file;
    std::istream* in = &std::cin;
    if (args.queries_file != "-") {
      file.open(args.queries_file);
      if (!file) {
        return report_error(Status::not_found(args.queries_file + ": cannot open"), globals);
      }
      in = &file;
    }
    auto parsed = retrieve::parse_batch_queries(*in, options);
    if (!parsed.ok()) {
      return report_error(parsed.status().with_context(args.queries_file), globals);
    }
    queries = std::move(parsed).value();
  }

  auto kb = open_kb(*config, globals);
  if (!kb.ok()) return report_error(kb.status(), globals);

  if (!batch) {
    auto hits = (*kb)->search(query, args.k, *mode, *filter);
    if (!hits.ok()) return report_error(hits.status(), globals);
    if (globals.json) {
      std::cout << dump_json({{"query", query},
                              {"mode", std::string(retrieve::search_mode_name(*mode))},
                              {"hits", Json(*hits)}})
                << "\n";
    } else {
      print_human(*hits);
    }
    return kExitOk;
  }

  auto bar = open_progress(globals, "searching", queries.size());
  options.progress = [&](uint64_t, uint64_t) { bar->advance(1); };
  std::ios::sync_with_stdio(false);
  auto stats = retrieve::run_batch_search((*kb)->retriever(), queries, std::cout, options);
  bar->finish();
  if (!stats.ok()) return report_error(stats.status(), globals);
  if (args.stats) {
    const double qps = stats->seconds > 0 ? static_cast<double>(stats->queries) / stats->seconds : 0;
    std::cerr << dump_json({{"queries", stats->queries},
                            {"seconds", stats->seconds},
                            {"qps", qps},
                            {"p50_ms", percentile(stats->latencies_ms, 50)},
                            {"p99_ms", percentile(stats->latencies_ms, 99)},
                            {"threads", options.threads != 0
                                            ? options.threads
                                            : std::max(1u, std::thread::hardware_concurrency())}})
              << "\n";
  }
  return kExitOk;
}

std::function<int()> setup_search(CLI::App& app, GlobalOptions& globals) {
  auto args = std::make_shared<SearchArgs>();
  app.description(
      "Search the knowledge base.\n"
      "  atiende search \"¿cómo activo el roaming?\"\n"
      "  atiende search --mode bm25 --k 5 --filter type=faq --filter metadata.category=billing,"
      "roaming \"cobro doble\"\n"
      "  atiende search --queries queries.jsonl --k 10 --json > results.jsonl\n"
      "Batch input lines: {\"id\": ..., \"query\": \"...\"} (optional \"k\", \"mode\", "
      "\"filter\"); output: one {\"id\": ..., \"hits\": [...]} line per query, in input order.\n"
      "Hits carry doc_id, chunk_id, score, title, text, start/end (code points), page, type, "
      "language, source.");
  app.add_option("--k", args->k, "Number of hits (1-1000, default 10)");
  app.add_option("--mode", args->mode, "bm25 | vector | hybrid (default hybrid)");
  app.add_option("--filter", args->filters,
                 "Repeatable. field=value or field=v1,v2 (IN); fields: type, language, doc_id, "
                 "metadata.<key>. All filters must hold.")
      ->allow_extra_args(false);  // one value per --filter, so QUERY can follow
  app.add_option("--queries", args->queries_file,
                 "Batch mode: JSON Lines file of {\"id\",\"query\"} ('-' = stdin); writes JSON "
                 "Lines");
  app.add_option("--threads", args->threads, "Batch mode: search threads (default: all cores)");
  app.add_flag("--stats", args->stats,
               "Batch mode: print queries, seconds, QPS and p50/p99 latency (ms) as JSON to "
               "stderr");
  app.add_option("query", args->query_words, "The query text (words are joined)");
  return [args, &globals]() { return run_search(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("search", setup_search);
}  // namespace atiende::app
