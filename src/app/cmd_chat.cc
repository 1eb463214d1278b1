// `atiende chat`: a terminal chat against the local data dir, the same engine the web chat uses.
// Answers stream as they are generated, followed by their numbered sources. Handy for support
// staff testing the knowledge base; works piped too (one message per input line).

#include <unistd.h>

#include <iostream>
#include <optional>
#include <string>

#include "agent/identity.h"
#include "app/chat_runtime.h"
#include "app/command.h"
#include "common/json.h"
#include "common/strings.h"
#include "retrieve/knowledge_base.h"

namespace atiende::app {
namespace {

struct ChatArgs {
  std::string customer_token;
  std::string customer;
  std::string language;
  bool no_sources = false;
};

/// Prints a turn as it happens: tokens inline, then sources and account-task events.
class TerminalSink final : public chat::TurnSink {
 public:
  TerminalSink(std::ostream& out, bool show_sources) : out_(out), show_sources_(show_sources) {}

  void on_token(std::string_view text) override { out_ << text << std::flush; }

  void on_citations(const std::vector<chat::Citation>& citations) override {
    out_ << "\n";
    if (!show_sources_ || citations.empty()) return;
    out_ << "Fuentes:\n";
    for (const auto& c : citations) {
      out_ << "  [" << c.number << "] " << c.title << " (" << c.doc_id;
      if (c.page > 0) out_ << ", p. " << c.page;
      out_ << ")";
      if (!c.source.empty()) out_ << " " << c.source;
      out_ << "\n";
    }
  }

  void on_action(std::string_view event, const std::string& json) override {
    auto parsed = parse_json(json);
    if (!parsed.ok()) return;
    if (event == "action_preview") {
      pending_token_ = parsed->value("token", "");
      out_ << "[vista previa] " << parsed->value("summary", "") << "\n"
           << "  Escribe \"sí\" o /confirmar para confirmar, \"no\" o /cancelar para cancelar.\n";
    } else if (event == "handoff") {
      out_ << "[traspaso a un agente] ticket " << parsed->value("ticket_id", "") << "\n";
    } else if (event == "action_result") {
      pending_token_.clear();
      out_ << "[hecho] " << parsed->value("tool", "") << "\n";
    } else {
      out_ << "[rechazado] " << parsed->value("reason_code", "") << "\n";
    }
  }

  /// The confirmation token of the latest preview ("" when none is pending).
  const std::string& pending_token() const { return pending_token_; }
  void clear_pending() { pending_token_.clear(); }

 private:
  std::ostream& out_;
  bool show_sources_;
  std::string pending_token_;
};

constexpr std::string_view kHelp =
    "Comandos: /nueva (nueva conversación), /confirmar, /cancelar (la última vista previa),\n"
    "/ayuda, /salir. Cualquier otra línea es un mensaje para el asistente.\n";

/// The token to open sessions with: --customer-token, or one signed for --customer.
Result<std::string> session_token(const ChatArgs& args, const Config& config) {
  if (!args.customer_token.empty()) return args.customer_token;
  if (args.customer.empty()) return std::string();
  const std::string data_dir = config.get_string("data.dir", "./atiende-data").value_or("");
  ATIENDE_ASSIGN_OR_RETURN(auto options, agent::jwt_options_from_config(config, data_dir, true));
  return agent::issue_hs256_token(args.customer, 3600, options, system_clock());
}

int run_chat(const ChatArgs& args, const GlobalOptions& globals) {
  auto config = load_config(globals);
  if (!config.ok()) return report_error(config.status(), globals);
  if (!args.language.empty() && args.language != "es" && args.language != "en") {
    return report_error(Status::invalid_argument("--lang must be es or en"), globals);
  }
  auto token = session_token(args, *config);
  if (!token.ok()) return report_error(token.status(), globals);
  auto kb = retrieve::open_knowledge_base(*config);
  if (!kb.ok()) return report_error(kb.status(), globals);
  std::shared_ptr<retrieve::KnowledgeBase> shared_kb(std::move(*kb));
  const std::string data_dir = config->get_string("data.dir", "./atiende-data").value_or("");
  auto runtime = open_chat_runtime(*config, data_dir, shared_kb);
  if (!runtime.ok()) return report_error(runtime.status(), globals);
  chat::ChatEngine& engine = *runtime->engine;

  const bool interactive = ::isatty(STDIN_FILENO) != 0;
  auto open_session = [&]() -> Result<std::string> {
    ATIENDE_ASSIGN_OR_RETURN(store::Session session,
                             engine.create_session({*token, args.language, false, "cli"}));
    std::cerr << "sesión " << session.id
              << (session.customer_ref.empty() ? " (anónima)" : " (cliente identificado)") << "\n";
    return session.id;
  };
  auto session = open_session();
  if (!session.ok()) return report_error(session.status(), globals);
  if (interactive) std::cerr << kHelp;

  TerminalSink sink(std::cout, !args.no_sources);
  std::string line;
  int failures = 0;
  while (true) {
    if (interactive) std::cout << "\ntú> " << std::flush;
    if (!std::getline(std::cin, line)) break;
    const std::string text(trim(line));
    if (text.empty()) continue;
    if (text == "/salir" || text == "/quit" || text == "/exit") break;
    if (text == "/ayuda" || text == "/help") {
      std::cout << kHelp;
      continue;
    }
    if (text == "/nueva" || text == "/new") {
      session = open_session();
      if (!session.ok()) return report_error(session.status(), globals);
      sink.clear_pending();
      continue;
    }
    if (text == "/confirmar" || text == "/confirm" || text == "/cancelar" || text == "/cancel") {
      if (sink.pending_token().empty()) {
        std::cout << "No hay ninguna acción pendiente de confirmar.\n";
        continue;
      }
      const bool confirm = text == "/confirmar" || text == "/confirm";
      auto outcome = engine.confirm(*session, sink.pending_token(), confirm ? "confirm" : "cancel");
      sink.clear_pending();
      if (!outcome.ok()) {
        std::cerr << "error: " << outcome.status().to_string() << "\n";
        ++failures;
        continue;
      }
      auto parsed = parse_json(*outcome);
      std::cout << "asistente> " << (parsed.ok() ? parsed->value("message", *outcome) : *outcome)
                << "\n";
      continue;
    }
    std::cout << "asistente> " << std::flush;
    auto result = engine.turn(*session, text, sink);
    if (!result.ok()) {
      // A bad message (too long, invalid UTF-8) is reported; the session stays usable.
      std::cerr << "\nerror: " << result.status().to_string() << "\n";
      ++failures;
    }
  }
  return failures == 0 ? kExitOk : kExitFailure;
}

std::function<int()> setup_chat(CLI::App& app, GlobalOptions& globals) {
  auto args = std::make_shared<ChatArgs>();
  app.description(
      "Chat with the assistant in the terminal, against the local data dir (the same engine,\n"
      "providers and knowledge base as `atiende serve`). Answers stream, then their sources.\n"
      "  atiende chat                          # anonymous customer\n"
      "  atiende chat --customer CUST-1001     # act as a demo customer (account tasks)\n"
      "  printf '¿Cómo activo la eSIM?\\n' | atiende chat   # one message per input line\n"
      "Commands: /nueva, /confirmar, /cancelar, /ayuda, /salir. Exit code 1 when a message failed.");
  app.add_option("--customer-token", args->customer_token,
                 "A customer JWT (as the website would send); see `atiende token`");
  app.add_option("--customer", args->customer,
                 "Act as this demo customer: signs a token with the data dir's secret")
      ->excludes("--customer-token");
  app.add_option("--lang", args->language, "Answer language: es or en (default: detected)");
  app.add_flag("--no-sources", args->no_sources, "Do not list the sources after each answer");
  return [args, &globals]() { return run_chat(*args, globals); };
}

}  // namespace
ATIENDE_REGISTER_COMMAND("chat", setup_chat);
}  // namespace atiende::app
