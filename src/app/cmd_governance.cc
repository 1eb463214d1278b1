// `atiende retention apply --days N [--anonymize]` and `atiende erase --customer ID`: data
// governance of the local data dir (governance/governance.h), both recorded in the audit log.

#include <iostream>

#include "app/chat_runtime.h"
#include "app/command.h"
#include "common/json.h"
#include "governance/governance.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

/// Opens the conversation side of the data dir (store, audit, agent) for a governance command.
Result<ChatRuntime> open_runtime(const Config& config) {
  const std::string data_dir = config.get_string("data.dir", "./atiende-data").value_or("");
  ATIENDE_ASSIGN_OR_RETURN(auto kb, retrieve::open_knowledge_base(config));
  return open_chat_runtime(config, data_dir, std::shared_ptr<retrieve::KnowledgeBase>(std::move(kb)));
}

governance::GovernanceDeps deps_of(const ChatRuntime& rt) {
  return {rt.conversations.get(), rt.audit.get(), rt.agent.get(), &system_clock()};
}

std::function<int()> setup_retention(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Retention of conversations (messages, ratings, surveys, handoff tickets, agent state).\n"
      "  atiende retention apply --days 365              # delete conversations quiet for a year\n"
      "  atiende retention apply --days 90 --anonymize   # keep anonymized texts, drop the customer\n"
      "Texts are anonymized when stored; --anonymize also clears rating and survey comments.\n"
      "Each run is recorded in the audit log.");
  app.require_subcommand(1);
  CLI::App* apply = app.add_subcommand("apply", "Apply the retention policy now");
  auto days = std::make_shared<int64_t>(0);
  auto anonymize = std::make_shared<bool>(false);
  apply->add_option("--days", *days, "Conversations not updated for this many days (1-36500)")
      ->required();
  apply->add_flag("--anonymize", *anonymize,
                  "Detach old conversations from their customer instead of deleting them");
  return [&globals, days, anonymize]() {
    auto config = load_config(globals);
    if (!config.ok()) return report_error(config.status(), globals);
    auto rt = open_runtime(*config);
    if (!rt.ok()) return report_error(rt.status(), globals);
    const auto mode = *anonymize ? governance::RetentionMode::kDetach : governance::RetentionMode::kDelete;
    auto report = governance::apply_retention(deps_of(*rt), *days, mode, "cli");
    if (!report.ok()) return report_error(report.status(), globals);
    if (globals.json) {
      std::cout << dump_json({{"mode", *anonymize ? "anonymize" : "delete"},
                              {"cutoff_ms", report->cutoff_ms},
                              {"sessions", report->sessions},
                              {"tickets_removed", report->tickets_removed}})
                << "\n";
    } else {
      std::cout << (*anonymize ? "anonymized " : "deleted ") << report->sessions
                << " conversation(s) older than " << *days << " days";
      if (!*anonymize) std::cout << " and " << report->tickets_removed << " ticket(s)";
      std::cout << "\n";
    }
    return kExitOk;
  };
}

std::function<int()> setup_erase(CLI::App& app, GlobalOptions& globals) {
  app.description(
      "Erase a customer's data (right to erasure): every conversation, rating, survey, handoff\n"
      "ticket and agent state of the customer. The audit log records the erasure with a keyed\n"
      "hash of the id, never the id.\n"
      "  atiende erase --customer CUST-1001");
  auto customer = std::make_shared<std::string>();
  app.add_option("--customer", *customer, "The customer id (as in the website's tokens)")->required();
  return [&globals, customer]() {
    auto config = load_config(globals);
    if (!config.ok()) return report_error(config.status(), globals);
    auto rt = open_runtime(*config);
    if (!rt.ok()) return report_error(rt.status(), globals);
    auto report = governance::erase_customer(deps_of(*rt), *customer, "cli");
    if (!report.ok()) return report_error(report.status(), globals);
    if (globals.json) {
      std::cout << dump_json({{"customer_ref", report->customer_ref},
                              {"sessions", report->sessions},
                              {"tickets_removed", report->tickets_removed}})
                << "\n";
    } else {
      std::cout << "erased " << report->sessions << " conversation(s) and "
                << report->tickets_removed << " ticket(s); audit reference "
                << report->customer_ref.substr(0, 16) << "…\n";
    }
    return kExitOk;
  };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("retention", setup_retention);
ATIENDE_REGISTER_COMMAND("erase", setup_erase);
}  // namespace atiende::app
