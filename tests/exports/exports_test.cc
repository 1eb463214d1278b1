// SFT and preference exports over a real SQLite conversation store: which conversations become
// records (consent, CSAT, resolution, escalation, thumbs), anonymization, deduplication,
// provenance, and every line valid against the documented JSON Schema (docs/schemas).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "agent/json_schema.h"
#include "common/files.h"
#include "common/json.h"
#include "exports/exports.h"
#include "privacy/anonymizer.h"
#include "store/temp_database.h"

namespace atiende::exports {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kStart = 1'795'000'000'000;

agent::JsonSchema schema(const std::string& name) {
  auto text = read_file(std::string(ATIENDE_SOURCE_DIR) + "/docs/schemas/" + name);
  EXPECT_TRUE(text.ok()) << text.status().to_string();
  auto compiled = agent::JsonSchema::compile(*text);
  EXPECT_TRUE(compiled.ok()) << compiled.status().to_string();
  return std::move(*compiled);
}

ExportOptions with_csat(int64_t min_csat) {
  ExportOptions options;
  options.min_csat = min_csat;
  return options;
}

class ExportsTest : public ::testing::Test {
 protected:
  atiende::testing::TempDatabase temp_{"exports"};  // first: closes last

  void SetUp() override {
    const auto& db = temp_.db();
    ASSERT_TRUE(db);
    auto conversations = store::open_sqlite_conversations(db);
    ASSERT_TRUE(conversations.ok());
    store_ = std::move(*conversations);
    auto anonymizer = privacy::Anonymizer::create(privacy::AnonymizerOptions{}, map_env({}));
    ASSERT_TRUE(anonymizer.ok()) << anonymizer.status().to_string();
    anonymizer_ = std::move(*anonymizer);
    deps_ = {store_.get(), anonymizer_.get(), &clock_};
  }
  void TearDown() override {
    store_.reset();
  }

  void session(const std::string& id, bool consent, const std::string& status = "open") {
    store::Session s;
    s.id = id;
    s.created_ms = s.updated_ms = kStart + (++counter_);
    s.consent = consent;
    s.status = status;
    s.variant = "demo-b";
    ASSERT_TRUE(store_->create_session(s).ok());
  }
  std::string message(const std::string& session_id, const std::string& role,
                      const std::string& text, const std::string& rating = "") {
    store::Message m;
    m.id = "msg_" + std::to_string(++counter_);
    m.session_id = session_id;
    m.role = role;
    m.text = text;
    m.created_ms = kStart;
    if (role == "assistant") m.provider = "builtin";
    if (role == "agent") m.provider = "human";
    EXPECT_TRUE(store_->append_message(m).ok());
    if (!rating.empty()) {
      EXPECT_TRUE(store_->put_feedback({session_id, m.id, rating, "", kStart}).ok());
    }
    return m.id;
  }
  void survey(const std::string& session_id, int64_t csat, bool resolved) {
    ASSERT_TRUE(store_->put_survey({session_id, csat, "", resolved, kStart}).ok());
  }
  /// A two-turn resolved conversation.
  void resolved_conversation(const std::string& id, bool consent, int64_t csat,
                             const std::string& question = "¿Cómo activo la eSIM?") {
    session(id, consent);
    message(id, "user", question);
    message(id, "assistant", "Ve a Ajustes > Red móvil y escanea el código QR [1].");
    survey(id, csat, true);
  }

  std::vector<Json> run(bool sft, const ExportOptions& options, ExportReport* report = nullptr) {
    std::vector<Json> lines;
    auto sink = [&](const std::string& line) -> Status {
      EXPECT_EQ(line.find('\n'), std::string::npos);
      auto parsed = parse_json(line);
      EXPECT_TRUE(parsed.ok());
      lines.push_back(*parsed);
      return {};
    };
    auto result = sft ? export_sft(deps_, options, sink) : export_preferences(deps_, options, sink);
    EXPECT_TRUE(result.ok()) << result.status().to_string();
    if (report && result.ok()) *report = *result;
    return lines;
  }

  std::unique_ptr<store::ConversationStore> store_;
  std::unique_ptr<privacy::Anonymizer> anonymizer_;
  FakeClock clock_{1'795'100'000'000};
  ExportDeps deps_;
  int counter_ = 0;
};

TEST_F(ExportsTest, SftKeepsOnlyResolvedWellRatedConsentingConversations) {
  resolved_conversation("ses_ok", true, 5);
  resolved_conversation("ses_no_consent", false, 5, "¿Qué es el roaming?");
  resolved_conversation("ses_low_csat", true, 3, "¿Cuánto cuesta el plan?");
  session("ses_escalated", true, "escalated");
  message("ses_escalated", "user", "quiero un agente");
  message("ses_escalated", "assistant", "Te paso con un agente.");
  survey("ses_escalated", 5, true);
  session("ses_unresolved", true);
  message("ses_unresolved", "user", "no funciona mi línea");
  message("ses_unresolved", "assistant", "Reinicia el teléfono.");
  survey("ses_unresolved", 5, false);
  session("ses_thumbs_down", true);
  message("ses_thumbs_down", "user", "¿tengo cobertura 5G en Cali?");
  message("ses_thumbs_down", "assistant", "Sí.", "down");
  survey("ses_thumbs_down", 5, true);
  session("ses_human", true);
  message("ses_human", "user", "¿me ayudas con la factura?");
  message("ses_human", "agent", "Claro, ya la revisé.");
  survey("ses_human", 5, true);
  session("ses_no_survey", true);
  message("ses_no_survey", "user", "hola");
  message("ses_no_survey", "assistant", "¡Hola! ¿En qué te ayudo?");

  ExportReport report;
  auto lines = run(true, {}, &report);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["provenance"]["session_id"], "ses_ok");
  EXPECT_EQ(report.sessions, 8);
  EXPECT_EQ(report.no_consent, 1);
  EXPECT_EQ(report.not_eligible, 6);
  EXPECT_EQ(report.written, 1);

  auto lower = run(true, with_csat(3));
  EXPECT_EQ(lower.size(), 2u) << "CSAT 3 qualifies with --min-csat 3";
}

TEST_F(ExportsTest, SftRecordHasChatMessagesAndProvenance) {
  session("ses_a", true);
  const std::string q1 = message("ses_a", "user", "¿Cómo activo la eSIM?");
  const std::string a1 = message("ses_a", "assistant", "Escanea el código QR [1].", "up");
  message("ses_a", "tool", "{\"ok\":true}");
  const std::string q2 = message("ses_a", "user", "¿Y si no tengo el QR?");
  const std::string a2 = message("ses_a", "assistant", "Pídelo en la app [2].");
  message("ses_a", "user", "gracias");  // trailing customer turn: dropped
  survey("ses_a", 4, true);

  ExportOptions options;
  options.system_prompt = "Eres el asistente de soporte.";
  auto lines = run(true, options);
  ASSERT_EQ(lines.size(), 1u);
  const Json& record = lines[0];
  ASSERT_EQ(record["messages"].size(), 5u);
  EXPECT_EQ(record["messages"][0], (Json{{"role", "system"}, {"content", "Eres el asistente de soporte."}}));
  EXPECT_EQ(record["messages"][1]["role"], "user");
  EXPECT_EQ(record["messages"][1]["content"], "¿Cómo activo la eSIM?");
  EXPECT_EQ(record["messages"][4], (Json{{"role", "assistant"}, {"content", "Pídelo en la app [2]."}}));
  const Json& p = record["provenance"];
  EXPECT_EQ(p["message_ids"], (Json{q1, a1, q2, a2}));
  EXPECT_EQ(p["kind"], "sft");
  EXPECT_EQ(p["variant"], "demo-b");
  EXPECT_EQ(p["providers"], Json::array({"builtin"}));
  EXPECT_EQ(p["csat"], 4);
  EXPECT_EQ(p["exported_at"], format_iso8601(clock_.now()));
  const auto violations = schema("sft.schema.json").validate(dump_json(record));
  EXPECT_TRUE(violations.empty()) << agent::describe_violations(violations);
}

TEST_F(ExportsTest, ExportsAreAnonymizedAndDeduplicated) {
  session("ses_pii", true);
  // A row stored before a recognizer existed: the export must not let it through raw.
  message("ses_pii", "user", "Mi correo es ana.perez@example.com y mi número 3001234567");
  message("ses_pii", "assistant", "Gracias, te escribiremos a ana.perez@example.com.");
  survey("ses_pii", 5, true);
  resolved_conversation("ses_1", true, 5);
  resolved_conversation("ses_2", true, 5, "  ¿cómo ACTIVO   la eSIM?");  // same after folding

  ExportReport report;
  auto lines = run(true, {}, &report);
  ASSERT_EQ(lines.size(), 2u) << dump_json(lines);
  EXPECT_EQ(report.duplicates, 1);
  const std::string text = dump_json(lines[0]);
  EXPECT_THAT(text, Not(HasSubstr("ana.perez@example.com")));
  EXPECT_THAT(text, Not(HasSubstr("3001234567")));
  EXPECT_THAT(text, HasSubstr("EMAIL"));
  // One pseudonym scope per record: the same address gets the same token in both turns.
  const std::string user = lines[0]["messages"][0]["content"];
  const std::string assistant = lines[0]["messages"][1]["content"];
  const auto token_start = user.find('<');
  ASSERT_NE(token_start, std::string::npos);
  const std::string token = user.substr(token_start, user.find('>', token_start) - token_start + 1);
  EXPECT_THAT(assistant, HasSubstr(token));
}

TEST_F(ExportsTest, PreferencesFromHumanCorrectionsAndReaskedThumbsUp) {
  session("ses_human", true);
  const std::string q = message("ses_human", "user", "¿Cuánto cuesta el roaming en Europa?");
  const std::string bad = message("ses_human", "assistant", "No tengo esa información.", "down");
  message("ses_human", "user", "quiero hablar con un agente");
  message("ses_human", "assistant", "Te paso con un agente.");
  const std::string fix = message("ses_human", "agent", "El roaming en Europa cuesta 5 USD al día.");

  session("ses_reask", true);
  const std::string q2 = message("ses_reask", "user", "¿Puedo pagar con PSE?");
  const std::string bad2 = message("ses_reask", "assistant", "Puedes pagar en tiendas.", "down");
  message("ses_reask", "user", "me refiero a pagar en línea con PSE");
  const std::string good2 = message("ses_reask", "assistant", "Sí, en la app con PSE [1].", "up");

  session("ses_reask_unrated", true);  // the re-asked answer was not rated: no pair
  message("ses_reask_unrated", "user", "¿Tienen fibra?");
  message("ses_reask_unrated", "assistant", "No sé.", "down");
  message("ses_reask_unrated", "user", "fibra óptica en casa");
  message("ses_reask_unrated", "assistant", "Sí, en 20 ciudades.");

  session("ses_no_consent", false);
  message("ses_no_consent", "user", "¿Puedo pagar con PSE?");
  message("ses_no_consent", "assistant", "Puedes pagar en tiendas.", "down");
  message("ses_no_consent", "agent", "Sí, con PSE en la app.");

  session("ses_dup", true);  // the same pair again
  message("ses_dup", "user", "¿puedo pagar con PSE?");
  message("ses_dup", "assistant", "Puedes pagar en tiendas.", "down");
  message("ses_dup", "user", "con PSE en línea");
  message("ses_dup", "assistant", "Sí, en la app con PSE [1].", "up");

  ExportReport report;
  auto lines = run(false, {}, &report);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(report.no_consent, 1);
  EXPECT_EQ(report.duplicates, 1);
  EXPECT_EQ(report.not_eligible, 1);

  EXPECT_EQ(lines[0]["prompt"], "¿Cuánto cuesta el roaming en Europa?");
  EXPECT_EQ(lines[0]["chosen"], "El roaming en Europa cuesta 5 USD al día.");
  EXPECT_EQ(lines[0]["rejected"], "No tengo esa información.");
  EXPECT_EQ(lines[0]["provenance"]["kind"], "human_correction");
  EXPECT_EQ(lines[0]["provenance"]["message_ids"],
            (Json{{"prompt", q}, {"chosen", fix}, {"rejected", bad}}));
  EXPECT_EQ(lines[0]["provenance"]["chosen_provider"], "human");

  EXPECT_EQ(lines[1]["prompt"], "¿Puedo pagar con PSE?");
  EXPECT_EQ(lines[1]["chosen"], "Sí, en la app con PSE [1].");
  EXPECT_EQ(lines[1]["rejected"], "Puedes pagar en tiendas.");
  EXPECT_EQ(lines[1]["provenance"]["kind"], "reask_thumbs_up");
  EXPECT_EQ(lines[1]["provenance"]["message_ids"],
            (Json{{"prompt", q2}, {"chosen", good2}, {"rejected", bad2}}));

  const agent::JsonSchema preference = schema("preference.schema.json");
  for (const auto& line : lines) {
    const auto violations = preference.validate(dump_json(line));
    EXPECT_TRUE(violations.empty()) << agent::describe_violations(violations);
  }
}

TEST_F(ExportsTest, SchemasRejectRecordsMissingProvenance) {
  // The schema files are strict enough to catch a broken export.
  const auto sft = schema("sft.schema.json");
  EXPECT_FALSE(sft.validate(R"({"messages":[{"role":"user","content":"x"}]})").empty());
  EXPECT_FALSE(sft.validate(R"({"messages":[{"role":"bot","content":"x"}],"provenance":{}})").empty());
  const auto preference = schema("preference.schema.json");
  EXPECT_FALSE(preference.validate(R"({"prompt":"a","chosen":"b","rejected":"c"})").empty());
}

TEST_F(ExportsTest, BadOptionsAreInvalidArguments) {
  auto sink = [](const std::string&) -> Status { return {}; };
  EXPECT_EQ(export_sft(deps_, with_csat(0), sink).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(export_sft(deps_, with_csat(6), sink).status().code(), StatusCode::kInvalidArgument);
  ExportOptions empty_range;
  empty_range.from_ms = empty_range.to_ms = 10;
  EXPECT_EQ(export_preferences(deps_, empty_range, sink).status().code(),
            StatusCode::kInvalidArgument);
  ExportDeps missing = deps_;
  missing.anonymizer = nullptr;
  EXPECT_EQ(export_sft(missing, {}, sink).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ExportsTest, SinkErrorsStopTheExport) {
  resolved_conversation("ses_1", true, 5);
  resolved_conversation("ses_2", true, 5, "¿Qué es 5G?");
  int calls = 0;
  auto result = export_sft(deps_, {}, [&](const std::string&) -> Status {
    ++calls;
    return Status::internal("disk full");
  });
  EXPECT_FALSE(result.ok());
  EXPECT_THAT(result.status().message(), HasSubstr("disk full"));
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace atiende::exports
