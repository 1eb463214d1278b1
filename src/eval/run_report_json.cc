// run_report_json(): the report.json of `atiende eval run` (schema in docs/API.md).

#include "common/json.h"
#include "eval/run_report.h"

namespace atiende::eval {
namespace {

Json metrics_json(const MetricMap& metrics) {
  Json out = Json::object();
  for (const auto& [name, value] : metrics) out[name] = value ? Json(*value) : Json(nullptr);
  return out;
}

Json answer_json(const ScoredAnswer& scored) {
  const RunAnswer& a = scored.answer;
  Json citations = Json::array();
  for (const auto& c : a.citations) {
    citations.push_back({{"number", c.number},
                         {"doc_id", c.doc_id},
                         {"chunk_id", c.chunk_id},
                         {"title", c.title}});
  }
  Json out = {{"text", a.text},
              {"citations", std::move(citations)},
              {"retrieved", a.retrieved},
              {"latency_ms", a.latency_ms},
              {"provider", a.provider},
              {"abstained", a.abstained},
              {"fallback", a.fallback},
              {"tokens", {{"prompt", a.prompt_tokens}, {"completion", a.completion_tokens}}},
              {"cost", scored.cost},
              {"metrics", metrics_json(scored.metrics)}};
  if (!a.error.empty()) out["error"] = a.error;
  return out;
}

Json config_json(const ConfigSummary& c) {
  return {{"name", c.name},
          {"path", c.path},
          {"k", c.k},
          {"settings", c.settings},
          {"metrics", metrics_json(c.metrics)},
          {"latency_ms",
           {{"p50", c.latency_ms.p50},
            {"p95", c.latency_ms.p95},
            {"mean", c.latency_ms.mean},
            {"max", c.latency_ms.max}}},
          {"tokens", {{"prompt", c.prompt_tokens}, {"completion", c.completion_tokens}}},
          {"price_per_1k",
           {{"prompt", c.price_prompt_per_1k}, {"completion", c.price_completion_per_1k}}},
          {"cost", c.cost}};
}

}  // namespace

std::string run_report_json(const RunReport& report, int indent) {
  Json configs = Json::array();
  for (const auto& c : report.configs) configs.push_back(config_json(c));
  Json questions = Json::array();
  for (size_t i = 0; i < report.golden.size(); ++i) {
    const GoldenQuestion& q = report.golden[i];
    Json answers = Json::object();
    for (const auto& c : report.configs) answers[c.name] = answer_json(c.answers[i]);
    questions.push_back({{"id", q.id},
                         {"question", q.question},
                         {"reference_answer", q.reference_answer},
                         {"relevant", q.relevant},
                         {"answers", std::move(answers)}});
  }
  Json out = {{"created_at", report.created_at},
              {"golden", report.golden_path},
              {"settings", report.settings},
              {"warnings", report.warnings},
              {"configs", std::move(configs)},
              {"questions", std::move(questions)}};
  if (report.gate) {
    out["gate"] = {{"file", report.gate->file},
                   {"passed", report.gate->passed},
                   {"failures", report.gate->failures}};
  }
  return dump_json(out, indent);
}

}  // namespace atiende::eval
