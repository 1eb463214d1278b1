// `atiende kpis [--from D] [--to D] [--json]`: the assistant's business KPIs from the local data
// dir (deflection vs the 70 % target, CSAT vs 4/5, thumbs, containment, knowledge gaps, latency).

#include <iomanip>
#include <iostream>

#include "app/command.h"
#include "common/clock.h"
#include "common/json.h"
#include "insights/kpis.h"
#include "store/conversations.h"
#include "store/sqlite_database.h"

namespace atiende::app {
namespace {

void print_human(const insights::Kpis& k) {
  std::cout << std::fixed << std::setprecision(1);
  std::cout << "conversations        " << k.conversations << "\n"
            << "deflection           " << 100 * k.deflection_rate << " %  (target "
            << 100 * insights::kDeflectionTarget << " %; " << k.escalated << " escalated)\n"
            << std::setprecision(2) << "CSAT                 " << k.csat_average << " / 5  (target "
            << insights::kCsatTarget << "; " << k.surveys << " responses, "
            << std::setprecision(1) << 100 * k.survey_response_rate << " % response rate)\n"
            << "thumbs up            " << 100 * k.thumbs_up_ratio << " %  (" << k.thumbs_up
            << " up, " << k.thumbs_down << " down)\n"
            << "answers              " << k.answers << " (" << k.abstained << " abstained, "
            << k.fallbacks << " provider fallbacks)\n"
            << "latency p50/p95/p99  " << k.latency_p50_ms << " / " << k.latency_p95_ms << " / "
            << k.latency_p99_ms << " ms\n";
  if (!k.intents.empty()) {
    std::cout << "\ncontainment by intent\n";
    for (const auto& c : k.intents) {
      std::cout << "  " << std::left << std::setw(28) << c.intent << std::right << std::setw(6)
                << 100 * c.rate << " %  of " << c.conversations << "\n";
    }
  }
  if (!k.gaps.empty()) {
    std::cout << "\nknowledge gaps (questions answered \"I don't know\")\n";
    for (const auto& g : k.gaps) std::cout << "  " << g.count << "×  " << g.text << "\n";
  }
}

std::function<int()> setup_kpis(CLI::App& app, GlobalOptions& globals) {
  auto from = std::make_shared<std::string>();
  auto to = std::make_shared<std::string>();
  app.description(
      "Business KPIs from the local data dir: deflection (target 70 %), CSAT (target 4/5) and\n"
      "response rate, thumbs, containment per intent, knowledge gaps, answer latency and provider\n"
      "fallbacks. Same numbers as GET /v1/admin/kpis.\n"
      "  atiende kpis                                   # the last 30 days\n"
      "  atiende kpis --from 2026-11-01 --to 2026-11-30 --json");
  app.add_option("--from", *from, "First day, YYYY-MM-DD (UTC) or Unix ms (default: 30 days ago)");
  app.add_option("--to", *to, "Last day, YYYY-MM-DD (inclusive) or Unix ms (default: now)");
  return [&globals, from, to]() {
    auto config = load_config(globals);
    if (!config.ok()) return report_error(config.status(), globals);
    auto range = insights::kpi_range_from(*from, *to, system_clock().unix_millis());
    if (!range.ok()) return report_error(range.status(), globals);
    const std::string data_dir = config->get_string("data.dir", "./atiende-data").value_or("");
    auto db = store::SqliteDatabase::open((std::filesystem::path(data_dir) / "atiende.db").string());
    if (!db.ok()) return report_error(db.status(), globals);
    auto conversations = store::open_sqlite_conversations(*db);
    if (!conversations.ok()) return report_error(conversations.status(), globals);
    auto kpis = insights::compute_kpis(**conversations, *range);
    if (!kpis.ok()) return report_error(kpis.status(), globals);
    if (globals.json) {
      std::cout << insights::kpis_to_json(*kpis) << "\n";
    } else {
      print_human(*kpis);
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("kpis", setup_kpis);
}  // namespace atiende::app
