// `atiende eval ab import|list|summary`: human side-by-side evaluation studies built from an
// `atiende eval run` report.json; raters vote on /admin/ab.html (insights/ab_store.h).

#include <iomanip>
#include <iostream>
#include <memory>

#include "app/eval_subcommands.h"
#include "common/clock.h"
#include "common/files.h"
#include "insights/ab_import.h"
#include "insights/ab_summary.h"
#include "store/sqlite_database.h"

namespace atiende::app {
namespace {

Result<std::unique_ptr<insights::AbStore>> open_ab_store(const GlobalOptions& globals) {
  ATIENDE_ASSIGN_OR_RETURN(Config config, load_config(globals));
  const std::filesystem::path data_dir =
      config.get_string("data.dir", "./atiende-data").value_or("./atiende-data");
  ATIENDE_RETURN_IF_ERROR(ensure_directory(data_dir));
  ATIENDE_ASSIGN_OR_RETURN(auto db, store::SqliteDatabase::open((data_dir / "atiende.db").string()));
  return insights::open_sqlite_ab_store(db);
}

void print_summary(const insights::AbSummary& s) {
  std::cout << "study " << s.study.id << "  " << s.study.name << "\n"
            << s.votes << " vote(s) on " << s.items_rated << " of " << s.study.items
            << " item(s) by " << s.raters.size() << " rater(s)\n\n"
            << std::fixed << std::setprecision(1);
  for (const auto& c : s.configs) {
    std::cout << "  " << std::left << std::setw(24) << c.name << std::right << std::setw(6)
              << 100 * c.win_rate << " % wins  (" << c.wins << " won, " << c.losses << " lost, "
              << c.ties << " tied; score " << std::setprecision(3) << c.score
              << std::setprecision(1) << ")\n";
  }
  std::cout << std::setprecision(3);
  for (const auto& p : s.agreement) {
    std::cout << "  agreement " << p.rater_a << " / " << p.rater_b << ": " << p.items
              << " shared item(s), observed " << p.observed << ", kappa ";
    if (p.kappa) std::cout << *p.kappa; else std::cout << "undefined";
    std::cout << "\n";
  }
  if (s.kappa) std::cout << "Cohen's kappa " << *s.kappa << "\n";
}

std::function<int()> setup_ab(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Human side-by-side (A/B) evaluation of two configs from an `eval run` report. Raters vote\n"
      "blind (sides and order randomized per rater) at /admin/ab.html.\n"
      "  atiende eval ab import --report runs/demo/report.json [--a bm25 --b hybrid]\n"
      "  atiende eval ab list\n"
      "  atiende eval ab summary [--study ID] [--json]     # win rates and Cohen's kappa");
  app.require_subcommand(1);
  struct Options {
    std::string report, name, first, second, study;
    int64_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  CLI::App* import = app.add_subcommand("import", "Create a study from report.json");
  import->add_option("--report", o->report, "The report.json written by `atiende eval run`")
      ->required();
  import->add_option("--name", o->name, "Study label (default: '<a> vs <b>')");
  import->add_option("--a", o->first, "First config name (default: the report's first)");
  import->add_option("--b", o->second, "Second config name (default: the report's second)");
  import->add_option("--limit", o->limit, "At most this many questions (default: all)");
  CLI::App* list = app.add_subcommand("list", "List the studies with their vote counts");
  CLI::App* summary = app.add_subcommand("summary", "Win rates and inter-rater agreement");
  summary->add_option("--study", o->study, "Study id (default: the newest study)");
  for (CLI::App* sub : {import, list, summary}) sub->fallthrough();

  return [&globals, o, import, list]() -> int {
    auto store = open_ab_store(globals);
    if (!store.ok()) return report_error(store.status(), globals);
    insights::AbStore& ab = **store;
    if (import->parsed()) {
      auto text = read_file(o->report);
      if (!text.ok()) return report_error(text.status(), globals);
      insights::AbImportOptions options;
      options.name = o->name;
      options.source = o->report;
      options.config_first = o->first;
      options.config_second = o->second;
      options.max_items = o->limit;
      auto result = insights::import_ab_report(ab, *text, options, system_clock(), system_random());
      if (!result.ok()) return report_error(result.status().with_context(o->report), globals);
      if (globals.json) {
        std::cout << insights::ab_studies_to_json({result->study}) << "\n";
      } else {
        std::cout << "study " << result->study.id << " (" << result->study.name << "): "
                  << result->items << " item(s); skipped " << result->skipped_missing
                  << " without both answers and " << result->skipped_identical
                  << " with identical answers\nraters vote at /admin/ab.html\n";
      }
      return kExitOk;
    }
    auto studies = ab.list_studies();
    if (!studies.ok()) return report_error(studies.status(), globals);
    if (list->parsed()) {
      if (globals.json) {
        std::cout << insights::ab_studies_to_json(*studies) << "\n";
      } else if (studies->empty()) {
        std::cout << "no A/B study yet (atiende eval ab import --report FILE)\n";
      } else {
        for (const auto& s : *studies) {
          std::cout << s.id << "  " << s.name << "  " << s.items << " item(s), " << s.votes
                    << " vote(s)\n";
        }
      }
      return kExitOk;
    }
    std::string id = o->study;
    if (id.empty()) {
      if (studies->empty()) {
        return report_error(Status::not_found("no A/B study yet (atiende eval ab import)"), globals);
      }
      id = studies->front().id;
    }
    auto result = insights::summarize_ab(ab, id);
    if (!result.ok()) return report_error(result.status(), globals);
    if (globals.json) {
      std::cout << insights::ab_summary_to_json(*result) << "\n";
    } else {
      print_summary(*result);
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_EVAL_SUBCOMMAND("ab", setup_ab);
}  // namespace atiende::app
