// `atiende eval run` end to end: the real binary, a fresh data dir with three FAQs, a golden file
// and two configs. Checks report.json (both configs, metrics, per-question answers), the
// self-contained report.html, the unknown-doc-id warning, the gate's exit code, and that a
// malformed golden line is named by its line number before anything runs.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "common/json.h"
#include "e2e/command_run.h"

namespace atiende {
namespace {

namespace fs = std::filesystem;

using atiende::testing::CommandRun;

/// Runs `command` and captures stdout and stderr together.
CommandRun run(const std::string& command) { return atiende::testing::run_command(command + " 2>&1"); }

std::string read_all(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class EvalRunE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("atiende-eval-run-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    std::ofstream(dir_ / "kb.jsonl")
        << R"({"id":"faq-esim","type":"faq","title":"¿Cómo activo la eSIM?","text":"Escanea el código QR desde Ajustes > Datos móviles > Añadir eSIM; queda activa en pocos minutos."})"
        << "\n"
        << R"({"id":"faq-roaming","type":"faq","title":"¿Cómo activo el roaming?","text":"Activa el roaming desde la app Mi UnaEmpresa antes de viajar; en Europa cuesta 9.900 COP al día."})"
        << "\n"
        << R"({"id":"faq-factura","type":"faq","title":"¿Dónde veo mi factura?","text":"Tu factura está en la app Mi UnaEmpresa, sección Pagos, desde el día 5 de cada mes."})"
        << "\n";
    std::ofstream(dir_ / "qa.jsonl")
        << R"({"id":"q1","question":"¿Cómo activo el roaming para viajar a Europa?","reference_answer":"Activa el roaming desde la app Mi UnaEmpresa antes de viajar; en Europa cuesta 9.900 COP al día.","relevant":["faq-roaming"]})"
        << "\n"
        << R"({"id":"q2","question":"¿Cómo activo mi eSIM?","reference_answer":"Escanea el código QR desde Ajustes > Datos móviles > Añadir eSIM.","relevant":["faq-esim"]})"
        << "\n"
        << R"({"id":"q3","question":"¿Dónde está mi factura del mes?","reference_answer":"En la app Mi UnaEmpresa, sección Pagos, desde el día 5.","relevant":["faq-factura","faq-borrada"]})"
        << "\n";
    std::ofstream(dir_ / "a.toml") << "[llm]\nprovider = \"builtin\"\n[chat]\nsearch_mode = \"bm25\"\ntop_k = 1\n";
    std::ofstream(dir_ / "b.toml") << "[llm]\nprovider = \"builtin\"\n[chat]\nsearch_mode = \"hybrid\"\ntop_k = 3\n";
    binary_ = std::string(ATIENDE_BINARY_DIR) + "/atiende";
    data_ = (dir_ / "data").string();
    ASSERT_EQ(run(env_ + binary_ + " --data " + data_ + " ingest " + (dir_ / "kb.jsonl").string()).exit_code, 0);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string eval_run(const std::string& extra) const {
    return env_ + binary_ + " --data " + data_ + " eval run --golden " + (dir_ / "qa.jsonl").string() +
           " --config " + (dir_ / "a.toml").string() + " --config " + (dir_ / "b.toml").string() +
           " --out " + (dir_ / "out").string() + " " + extra;
  }

  fs::path dir_;
  std::string binary_;
  std::string data_;
  const std::string env_ = "cd /tmp && env -u ATIENDE_CONFIG -u ATIENDE_DATA -u ATIENDE_LLM_PROVIDER ";
};

TEST_F(EvalRunE2E, TwoConfigsGiveAReportWithEveryMetricAndAnHtmlPage) {
  const CommandRun r = run(eval_run(""));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  // The golden file names a document the knowledge base does not have.
  EXPECT_NE(r.out.find("faq-borrada"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("qa.jsonl:3"), std::string::npos) << r.out;

  const Json report = Json::parse(read_all(dir_ / "out" / "report.json"));
  ASSERT_TRUE(report.contains("configs")) << report.dump();
  ASSERT_EQ(report["configs"].size(), 2u) << report.dump();
  std::set<std::string> names;
  for (const Json& config : report["configs"]) {
    names.insert(config.value("name", ""));
    const Json& metrics = config.at("metrics");
    for (const char* metric : {"bleu", "chrf", "rougeL_f", "semantic_f1", "retrieval_recall",
                               "retrieval_mrr", "groundedness"}) {
      ASSERT_TRUE(metrics.contains(metric)) << metric << " in " << metrics.dump();
    }
    // q1 and q2 are answerable from one FAQ each: the built-in responder quotes it.
    ASSERT_TRUE(metrics["rougeL_f"].is_number()) << metrics.dump();
    EXPECT_GT(metrics["rougeL_f"].get<double>(), 0.3) << metrics.dump();
    EXPECT_LE(metrics["rougeL_f"].get<double>(), 1.0);
    // faq-borrada can never be retrieved: recall stays below 1.
    ASSERT_TRUE(metrics["retrieval_recall"].is_number());
    EXPECT_LT(metrics["retrieval_recall"].get<double>(), 1.0);
    EXPECT_GT(metrics["retrieval_recall"].get<double>(), 0.3);
  }
  EXPECT_EQ(names, (std::set<std::string>{"a", "b"}));

  const std::string html = read_all(dir_ / "out" / "report.html");
  EXPECT_NE(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("q3"), std::string::npos);  // per-question drill-down
  EXPECT_EQ(html.find("<script src="), std::string::npos);  // self-contained
  EXPECT_EQ(html.find("http://"), html.find("http://www.w3.org"));  // no remote assets
}

TEST_F(EvalRunE2E, AMissedGateThresholdIsNamedAndTheExitCodeIsOne) {
  std::ofstream(dir_ / "strict.toml") << "[gate]\nrougeL_f = \">= 0.999\"\nconfig = \"a\"\n";
  CommandRun r = run(eval_run("--gate " + (dir_ / "strict.toml").string()));
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("config a: rougeL_f"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gate failed"), std::string::npos) << r.out;

  std::ofstream(dir_ / "easy.toml") << "[gate]\nrougeL_f = \">= 0.05\"\n";
  r = run(eval_run("--gate " + (dir_ / "easy.toml").string()));
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("gate passed"), std::string::npos) << r.out;

  // A gate naming a metric that does not exist is refused before anything runs.
  std::ofstream(dir_ / "typo.toml") << "[gate]\nrouge_l = \">= 0.3\"\n";
  r = run(eval_run("--gate " + (dir_ / "typo.toml").string()));
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("rouge_l"), std::string::npos) << r.out;
}

TEST_F(EvalRunE2E, AMalformedGoldenLineIsNamedByItsNumber) {
  std::ofstream(dir_ / "qa.jsonl", std::ios::app) << R"({"id":"q4","question":"¿Y el 5G?"})" << "\n";
  const CommandRun r = run(eval_run(""));
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("qa.jsonl:4"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "report.json"));
}

}  // namespace
}  // namespace atiende
