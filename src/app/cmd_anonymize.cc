// `atiende anonymize`: detects and anonymizes PII in text, JSONL and CSV files (issue 3).

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/command.h"
#include "common/files.h"
#include "common/json.h"
#include "common/strings.h"
#include "privacy/anonymizer.h"
#include "privacy/batch.h"
#include "privacy/eval.h"
#include "privacy/operators.h"

namespace atiende::app {
namespace {

struct AnonymizeArgs {
  std::string in;
  std::string out;
  std::string format;
  std::string lang;
  std::string fields;
  std::vector<std::string> operators;
  std::string spans_out;
  std::string report;
  std::string eval;
  bool detect_only = false;
  bool skip_bad = false;
};

constexpr const char* kHelp = R"(Detect and anonymize PII (names, phones, emails, IDs, cards, IBANs,
addresses, ...) in Spanish/English support text before it is stored or shared.

Examples:
  atiende anonymize --in tickets.jsonl --out tickets.anon.jsonl --report report.json
  atiende anonymize --in notes.txt --out - --operator CREDIT_CARD=mask:4 --operator PERSON=encrypt
  atiende anonymize --in crm.csv --out crm.anon.csv --fields notes,customer_name=PERSON,phone=PHONE
  atiende anonymize --in tickets.jsonl --detect-only --spans-out spans.jsonl
  atiende anonymize --eval data/demo/golden/pii_gold.jsonl

Operators (per entity type, default replace): replace (<PERSON_1>), redact, mask[:N] (keep last N),
hash (HMAC-SHA256, key in ATIENDE_PRIVACY_HMAC_KEY), encrypt (AES-256-GCM, key in
ATIENDE_PRIVACY_ENCRYPTION_KEY = 64 hex chars; reverse with `atiende deanonymize`), keep.
Set ATIENDE_PRIVACY_CORPUS_KEY for pseudonyms that are stable across files (<PERSON_3fa94c1b>).
Config [privacy]: threshold, phone_regions, custom recognizers, operators, fields (see
src/privacy/README.md).)";

Status apply_cli_overrides(const AnonymizeArgs& args, privacy::AnonymizerOptions& options) {
  if (!args.lang.empty()) {
    if (args.lang != "es" && args.lang != "en") {
      return Status::invalid_argument("--lang must be es or en, got '" + args.lang + "'");
    }
    options.lang = args.lang;
  }
  for (const auto& entry : args.operators) {
    const auto eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Status::invalid_argument("--operator expects TYPE=OP (e.g. PHONE=mask:4), got '" +
                                      entry + "'");
    }
    const std::string type = entry.substr(0, eq);
    auto op = privacy::parse_operator(entry.substr(eq + 1));
    if (!op.ok()) return op.status().with_context("--operator " + entry);
    if (type == "*" || type == "default" || type == "DEFAULT") {
      options.default_operator = *op;
    } else {
      options.operators[type] = *op;
    }
  }
  if (!args.fields.empty()) {
    options.text_fields.clear();
    for (std::string_view item : split(args.fields, ',')) {
      item = trim(item);
      if (item.empty()) continue;
      const auto eq = item.find('=');
      if (eq == std::string_view::npos) {
        options.text_fields.emplace_back(item);
      } else {
        options.pii_fields[std::string(trim(item.substr(0, eq)))] =
            std::string(trim(item.substr(eq + 1)));
      }
    }
    // Only declared fields given: still scan every other string field.
  }
  return {};
}

int run_eval(const AnonymizeArgs& args, const GlobalOptions& globals,
             const privacy::AnonymizerOptions& options) {
  auto gold = read_file(args.eval);
  if (!gold.ok()) return report_error(gold.status(), globals);
  auto analyzer = privacy::Analyzer::create(options.analyzer);
  if (!analyzer.ok()) return report_error(analyzer.status(), globals);
  auto report = privacy::evaluate_gold(**analyzer, *gold, options.lang);
  if (!report.ok()) return report_error(report.status().with_context(args.eval), globals);
  if (!args.report.empty()) {
    Status written = write_file_atomic(args.report, report->to_json() + "\n");
    if (!written.ok()) return report_error(written, globals);
  }
  std::cout << (globals.json ? report->to_json() + "\n" : report->to_text());
  return kExitOk;
}

int run_anonymize(const AnonymizeArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  auto options = privacy::anonymizer_options_from_config(*config);
  if (!options.ok()) return report_error(options.status(), globals);
  Status overrides = apply_cli_overrides(args, *options);
  if (!overrides.ok()) return report_error(overrides, globals);
  if (!args.eval.empty()) return run_eval(args, globals, *options);

  if (args.in.empty()) {
    return report_error(Status::invalid_argument("--in FILE is required (or --eval GOLD.jsonl)"),
                        globals);
  }
  if (args.out.empty() && !args.detect_only) {
    return report_error(Status::invalid_argument("--out FILE is required (use - for stdout)"),
                        globals);
  }
  privacy::BatchOptions batch;
  batch.detect_only = args.detect_only;
  batch.skip_bad = args.skip_bad;
  batch.format = privacy::batch_format_for_path(args.in);
  if (!args.format.empty()) {
    auto format = privacy::parse_batch_format(args.format);
    if (!format.ok()) return report_error(format.status(), globals);
    batch.format = *format;
  }
  auto max_line = config->get_int("privacy.max_line_bytes", 8 << 20);
  if (!max_line.ok()) return report_error(max_line.status(), globals);
  if (*max_line <= 0) {
    return report_error(Status::invalid_argument("privacy.max_line_bytes must be positive"), globals);
  }
  batch.max_line_bytes = static_cast<size_t>(*max_line);
  if (auto key = config->env()(privacy::kHmacKeyEnv)) batch.text_hash_key = *key;

  // Missing keys fail here, before any input is read.
  auto anonymizer = privacy::Anonymizer::create(*options, config->env());
  if (!anonymizer.ok()) return report_error(anonymizer.status(), globals);

  std::ifstream in_file;
  std::istream* in = &std::cin;
  if (args.in != "-") {
    in_file.open(args.in, std::ios::binary);
    if (!in_file) return report_error(Status::not_found("cannot open --in " + args.in), globals);
    in = &in_file;
  }
  // Outputs go to "<path>.tmp" and are renamed only on success: a failed run leaves nothing
  // half-anonymized behind.
  std::ofstream out_file, spans_file;
  std::ostream* out = nullptr;
  std::ostream* spans = nullptr;
  const bool out_is_stdout = args.out == "-";
  const std::string out_tmp = args.out + ".tmp";
  const std::string spans_target = !args.spans_out.empty() ? args.spans_out
                                   : (args.detect_only ? args.out : std::string());
  const std::string spans_tmp = spans_target + ".tmp";
  const bool spans_is_stdout = spans_target == "-" || (args.detect_only && spans_target.empty());
  if (!args.detect_only) {
    if (out_is_stdout) {
      out = &std::cout;
    } else {
      out_file.open(out_tmp, std::ios::binary | std::ios::trunc);
      if (!out_file) return report_error(Status::unavailable("cannot write --out " + args.out), globals);
      out = &out_file;
    }
  }
  if (spans_is_stdout) {
    spans = &std::cout;
  } else if (!spans_target.empty()) {
    spans_file.open(spans_tmp, std::ios::binary | std::ios::trunc);
    if (!spans_file) return report_error(Status::unavailable("cannot write " + spans_target), globals);
    spans = &spans_file;
  }
  privacy::BatchStats stats;
  Status status = privacy::run_batch(**anonymizer, batch, *in, out, spans, stats);
  if (out_file.is_open()) out_file.close();
  if (spans_file.is_open()) spans_file.close();
  auto finish = [&](const std::string& tmp, const std::string& target) {
    std::error_code ec;
    if (!status.ok()) {
      std::filesystem::remove(tmp, ec);
    } else {
      std::filesystem::rename(tmp, target, ec);
      if (ec) status = Status::unavailable("cannot write " + target + ": " + ec.message());
    }
  };
  if (!args.detect_only && !out_is_stdout) finish(out_tmp, args.out);
  if (!spans_is_stdout && !spans_target.empty()) finish(spans_tmp, spans_target);
  if (!status.ok()) {
    // Bad input data is a failure (exit 1), not a usage error.
    report_error(Status(StatusCode::kFailedPrecondition, args.in + ": " + status.message()),
                 globals);
    return kExitFailure;
  }
  if (!args.report.empty()) {
    Status written = write_file_atomic(args.report, stats.to_json() + "\n");
    if (!written.ok()) return report_error(written, globals);
  }
  if (globals.json && !out_is_stdout && !spans_is_stdout) {
    std::cout << stats.to_json() << "\n";
  } else if (!globals.json && !out_is_stdout && !spans_is_stdout) {
    uint64_t total = 0;
    for (const auto& [type, n] : stats.counts) total += n;
    std::cerr << "anonymize: " << stats.records << " records, " << total << " PII spans"
              << (stats.skipped ? ", " + std::to_string(stats.skipped) + " bad records skipped" : "")
              << "\n";
  }
  return kExitOk;
}

std::function<int()> setup_anonymize(CLI::App& app, GlobalOptions& globals) {
  app.description("Detect and anonymize PII in text, JSONL or CSV files");
  app.footer(kHelp);
  auto args = std::make_shared<AnonymizeArgs>();
  app.add_option("--in", args->in, "Input file (- for stdin)");
  app.add_option("--out", args->out, "Output file (- for stdout)");
  app.add_option("--format", args->format, "text | jsonl | csv (default: from the extension)");
  app.add_option("--lang", args->lang, "es | en (default: privacy.lang, es)");
  app.add_option("--fields", args->fields,
                 "Fields to scan (f1,f2) and declared PII fields (customer_name=PERSON)");
  app.add_option("--operator", args->operators, "TYPE=OP, repeatable (PHONE=mask:4, *=redact)");
  app.add_option("--spans-out", args->spans_out, "Write detected spans (JSONL, no raw text)");
  app.add_option("--report", args->report, "Write counts per entity type (JSON)");
  app.add_flag("--detect-only", args->detect_only, "Only detect; write spans, not text");
  app.add_option("--eval", args->eval, "Evaluate against gold spans (JSONL with text)");
  app.add_flag("--skip-bad", args->skip_bad, "Skip (and count) bad records instead of failing");
  return [args, &globals]() { return run_anonymize(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("anonymize", setup_anonymize);
}  // namespace atiende::app
