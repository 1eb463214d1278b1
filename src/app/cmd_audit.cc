// `atiende audit verify|export`: checks the hash chain of the audit log, or exports it as JSONL.

#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/command.h"
#include "audit/audit_log.h"
#include "common/json.h"

namespace atiende::app {
namespace {

Result<std::unique_ptr<audit::AuditLog>> open_audit(const GlobalOptions& globals) {
  ATIENDE_ASSIGN_OR_RETURN(Config config, load_config(globals));
  const std::string data_dir = config.get_string("data.dir", "./atiende-data").value_or("");
  const std::filesystem::path db_path = std::filesystem::path(data_dir) / "atiende.db";
  if (!std::filesystem::exists(db_path)) {
    return Status::not_found("no database at " + db_path.string() +
                             " (run `atiende ingest` or `atiende serve` first, or pass --data)");
  }
  ATIENDE_ASSIGN_OR_RETURN(auto db, store::SqliteDatabase::open(db_path.string()));
  ATIENDE_ASSIGN_OR_RETURN(std::string key,
                           audit::load_or_create_audit_key(data_dir, config.env()));
  return audit::AuditLog::open(db, key, system_clock());
}

std::function<int()> setup_audit(CLI::App& app, GlobalOptions& globals) {
  app.description("Verify or export the hash-chained audit log of agent actions");
  app.require_subcommand(1);
  auto* verify = app.add_subcommand(
      "verify", "Check every record's hash, HMAC and chain; names the first bad record (exit 1)");
  auto* exporter = app.add_subcommand("export", "Write every record as one JSON line");
  auto out = std::make_shared<std::string>();
  exporter->add_option("--out", *out, "Output file (default: stdout)");
  return [&globals, verify, exporter, out]() {
    auto log = open_audit(globals);
    if (!log.ok()) return report_error(log.status(), globals);
    if (verify->parsed()) {
      auto report = (*log)->verify();
      if (!report.ok()) return report_error(report.status(), globals);
      if (globals.json) {
        std::cout << dump_json({{"ok", report->ok},
                                {"records", report->records},
                                {"first_bad_seq", report->first_bad_seq},
                                {"problem", report->problem}})
                  << "\n";
      } else if (report->ok) {
        std::cout << "audit log OK: " << report->records << " records, chain and HMACs valid\n";
      } else {
        std::cout << "audit log TAMPERED at record " << report->first_bad_seq << ": "
                  << report->problem << "\n";
      }
      return report->ok ? kExitOk : kExitFailure;
    }
    if (exporter->parsed()) {
      std::ofstream file;
      if (!out->empty()) {
        file.open(*out, std::ios::trunc);
        if (!file) return report_error(Status::unavailable("cannot write " + *out), globals);
      }
      std::ostream& sink = out->empty() ? std::cout : file;
      int64_t count = 0;
      Status status = (*log)->for_each([&](const audit::AuditRecord& record) -> Status {
        sink << audit::audit_record_to_json(record) << "\n";
        ++count;
        return {};
      });
      if (!status.ok()) return report_error(status, globals);
      if (!out->empty()) std::cerr << "exported " << count << " audit records to " << *out << "\n";
      return kExitOk;
    }
    return kExitUsage;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("audit", setup_audit);
}  // namespace atiende::app
