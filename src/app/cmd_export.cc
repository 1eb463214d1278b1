// `atiende export sft|preferences --out FILE.jsonl`: fine-tuning (SFT) and preference (RLHF/DPO)
// datasets from the stored conversations, anonymized, deduplicated and limited to customers who
// consented (exports/exports.h). Each export is recorded in the audit log.

#include <cstdio>
#include <fstream>
#include <iostream>

#include "app/command.h"
#include "audit/audit_log.h"
#include "common/clock.h"
#include "common/files.h"
#include "common/json.h"
#include "exports/exports.h"
#include "insights/kpis.h"
#include "privacy/anonymizer.h"
#include "store/conversations.h"
#include "store/sqlite_database.h"

namespace atiende::app {
namespace {

struct ExportCli {
  std::string out, from, to, system_prompt;
  int64_t min_csat = 4;
};

Result<exports::ExportOptions> options_of(const ExportCli& cli) {
  exports::ExportOptions options;
  options.min_csat = cli.min_csat;
  options.system_prompt = cli.system_prompt;
  if (!cli.from.empty() || !cli.to.empty()) {
    ATIENDE_ASSIGN_OR_RETURN(insights::KpiRange range,
                             insights::kpi_range_from(cli.from, cli.to, system_clock().unix_millis()));
    options.from_ms = cli.from.empty() ? 0 : range.from_ms;
    options.to_ms = cli.to.empty() ? INT64_MAX : range.to_ms;
  }
  return options;
}

/// Runs one export into `cli.out` (written to a temporary file, renamed when complete).
Result<exports::ExportReport> run_export(const GlobalOptions& globals, const ExportCli& cli,
                                         const std::string& kind) {
  ATIENDE_ASSIGN_OR_RETURN(Config config, load_config(globals));
  ATIENDE_ASSIGN_OR_RETURN(exports::ExportOptions options, options_of(cli));
  const std::filesystem::path data_dir =
      config.get_string("data.dir", "./atiende-data").value_or("./atiende-data");
  ATIENDE_ASSIGN_OR_RETURN(auto db, store::SqliteDatabase::open((data_dir / "atiende.db").string()));
  ATIENDE_ASSIGN_OR_RETURN(auto conversations, store::open_sqlite_conversations(db));
  auto anonymizer = privacy::Anonymizer::from_config(config);
  if (!anonymizer.ok()) return anonymizer.status().with_context("privacy");

  const std::string partial = cli.out + ".partial";
  std::ofstream file(partial, std::ios::binary | std::ios::trunc);
  if (!file) return Status::unavailable("cannot write '" + partial + "'");
  auto sink = [&](const std::string& line) -> Status {
    file << line << '\n';
    if (!file) return Status::unavailable("cannot write '" + partial + "' (disk full?)");
    return {};
  };
  exports::ExportDeps deps{conversations.get(), anonymizer->get(), &system_clock()};
  auto report = kind == "sft" ? exports::export_sft(deps, options, sink)
                              : exports::export_preferences(deps, options, sink);
  file.close();
  if (!report.ok() || !file) {
    std::remove(partial.c_str());
    if (!report.ok()) return report.status();
    return Status::unavailable("cannot write '" + partial + "'");
  }
  std::error_code error;
  std::filesystem::rename(partial, cli.out, error);
  if (error) return Status::unavailable("cannot move the export to '" + cli.out + "': " + error.message());

  ATIENDE_ASSIGN_OR_RETURN(std::string audit_key,
                           audit::load_or_create_audit_key(data_dir.string(), config.env()));
  ATIENDE_ASSIGN_OR_RETURN(auto audit_log, audit::AuditLog::open(db, audit_key, system_clock()));
  audit::AuditEvent event;
  event.action = "export";
  event.actor = "cli";
  event.decision = kind;
  event.reason_code = "ok";
  event.details_json = dump_json({{"kind", kind},
                                  {"records", report->written},
                                  {"sessions", report->sessions},
                                  {"no_consent", report->no_consent}});
  ATIENDE_RETURN_IF_ERROR(audit_log->append(event).status());
  return report;
}

std::function<int()> setup_export(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Datasets for fine-tuning from the stored conversations: anonymized, deduplicated, only\n"
      "customers who consented, one JSON object per line with its provenance (schemas in\n"
      "docs/schemas/). Each export is recorded in the audit log.\n"
      "  atiende export sft --min-csat 4 --out sft.jsonl         # {\"messages\":[...]}\n"
      "  atiende export preferences --out prefs.jsonl            # {\"prompt\",\"chosen\",\"rejected\"}");
  app.require_subcommand(1);
  auto cli = std::make_shared<ExportCli>();
  CLI::App* sft = app.add_subcommand(
      "sft", "Chat records of resolved conversations rated CSAT >= --min-csat, never escalated");
  sft->add_option("--min-csat", cli->min_csat, "Lowest survey score kept, 1-5 (default 4)");
  sft->add_option("--system", cli->system_prompt, "A system message to put first in every record");
  CLI::App* preferences = app.add_subcommand(
      "preferences",
      "Pairs from thumbs-down answers corrected by a human agent or re-asked and rated thumbs-up");
  for (CLI::App* sub : {sft, preferences}) {
    sub->add_option("--out", cli->out, "Output file (.jsonl)")->required();
    sub->add_option("--from", cli->from, "Conversations from this day, YYYY-MM-DD (default: all)");
    sub->add_option("--to", cli->to, "Conversations up to this day, inclusive (default: all)");
    sub->fallthrough();
  }
  return [&globals, cli, sft]() -> int {
    const std::string kind = sft->parsed() ? "sft" : "preferences";
    auto report = run_export(globals, *cli, kind);
    if (!report.ok()) return report_error(report.status(), globals);
    const auto& r = *report;
    if (globals.json) {
      std::cout << dump_json({{"kind", kind},
                              {"out", cli->out},
                              {"written", r.written},
                              {"sessions", r.sessions},
                              {"no_consent", r.no_consent},
                              {"not_eligible", r.not_eligible},
                              {"duplicates", r.duplicates},
                              {"withheld", r.withheld}})
                << "\n";
    } else {
      std::cout << "wrote " << r.written << " " << (kind == "sft" ? "conversation(s)" : "pair(s)")
                << " to " << cli->out << " from " << r.sessions << " conversation(s): "
                << r.no_consent << " without consent, " << r.not_eligible << " not eligible, "
                << r.duplicates << " duplicate(s), " << r.withheld << " withheld\n";
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("export", setup_export);
}  // namespace atiende::app
