#include "eval/report_html.h"

#include <cstdio>

#include "common/json.h"
#include "eval/report_svg.h"

namespace atiende::eval {
namespace {

constexpr const char* kPalette[] = {"#2563eb", "#ea580c", "#16a34a", "#9333ea",
                                    "#dc2626", "#0891b2", "#ca8a04", "#db2777"};

/// A summary column: the metric key, its heading, and whether higher is better.
struct Column {
  const char* key;
  const char* heading;
  bool higher_better;
};

constexpr Column kMetricColumns[] = {
    {"rougeL_f", "ROUGE-L F", true},           {"bleu", "BLEU", true},
    {"chrf", "chrF", true},                     {"semantic_f1", "semantic F1", true},
    {"retrieval_recall", "recall@k", true},     {"retrieval_mrr", "MRR@k", true},
    {"retrieval_ndcg", "nDCG@k", true},         {"groundedness", "grounded", true},
    {"citation_precision", "cit. precision", true}, {"citation_coverage", "cit. coverage", true},
    {"abstain_rate", "abstained", false}};

/// Bars on a 0–1 scale: BLEU and chrF are divided by 100.
constexpr Column kBarMetrics[] = {
    {"rougeL_f", "ROUGE-L F", true},       {"bleu", "BLEU/100", true},
    {"chrf", "chrF/100", true},             {"semantic_f1", "semantic F1", true},
    {"retrieval_recall", "recall@k", true}, {"retrieval_mrr", "MRR@k", true},
    {"groundedness", "groundedness", true}, {"citation_precision", "cit. precision", true},
    {"citation_coverage", "cit. coverage", true}};

std::string fixed(double value, int decimals) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

/// A metric for display: 0–100 metrics with 1 decimal, others with 3; "–" for null/absent.
std::string show_metric(const Json& metrics, const std::string& key) {
  if (!metrics.contains(key) || !metrics[key].is_number()) return "–";
  const double v = metrics[key].get<double>();
  return (key == "bleu" || key == "chrf") ? fixed(v, 1) : fixed(v, 3);
}

double number_or(const Json& j, const char* key, double fallback) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : fallback;
}

std::string string_or(const Json& j, const char* key, const std::string& fallback = "") {
  return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>()
                                                                 : fallback;
}

constexpr const char* kStyle = R"(
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#111827;background:#f8fafc}
header{background:#0f172a;color:#f8fafc;padding:18px 28px}header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:#cbd5e1}main{padding:8px 28px 40px;max-width:1180px}
section{background:#fff;border:1px solid #e2e8f0;border-radius:8px;padding:14px 18px;margin:16px 0}
h2{font-size:17px;margin:2px 0 10px}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #e5e7eb;padding:5px 7px;text-align:right;vertical-align:top}
th:first-child,td:first-child{text-align:left}th{background:#f1f5f9;font-weight:600}
td.best{font-weight:700;color:#166534}.swatch{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:6px}
.chart{width:100%;height:auto}.grid{stroke:#e5e7eb}.axisline{stroke:#6b7280}
.tick,.value{font-size:11px;fill:#4b5563}.axis{font-size:12px;fill:#111827}.legend,.label{font-size:13px;fill:#111827}
.ok{color:#166534;font-weight:700}.fail{color:#b91c1c;font-weight:700}
details{border-bottom:1px solid #e5e7eb;padding:6px 0}summary{cursor:pointer}
summary .qid{font-family:ui-monospace,monospace;color:#475569;margin-right:8px}
.pill{display:inline-block;border-radius:10px;padding:0 7px;margin-left:6px;font-size:12px;color:#fff}
.answers{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:12px;margin-top:8px}
.answer{border:1px solid #e2e8f0;border-radius:6px;padding:8px 10px}.answer h3{font-size:14px;margin:0 0 6px}
.reference{background:#f1f5f9;border-radius:6px;padding:8px 10px;margin-top:8px}
.text{white-space:pre-wrap}.meta{color:#475569;font-size:12px}.small td,.small th{font-size:12px;padding:2px 5px}
ul.sources{margin:4px 0 6px 18px;padding:0;font-size:12px}
)";

std::string summary_table(const Json& configs) {
  std::string out = "<table><tr><th>config</th><th>k</th>";
  for (const auto& c : kMetricColumns) out += "<th>" + std::string(c.heading) + "</th>";
  out += "<th>p50 ms</th><th>p95 ms</th><th>tokens in/out</th><th>cost</th></tr>";
  for (size_t i = 0; i < configs.size(); ++i) {
    const Json& c = configs[i];
    const Json metrics = c.value("metrics", Json::object());
    out += "<tr><td><span class=\"swatch\" style=\"background:" +
           std::string(kPalette[i % std::size(kPalette)]) + "\"></span>" +
           html_escape(string_or(c, "name")) + "</td><td>" + fixed(number_or(c, "k", 0), 0) +
           "</td>";
    for (const auto& col : kMetricColumns) {
      // The best value of the column among configs (only when there is a comparison to make).
      bool best = configs.size() > 1 && metrics.contains(col.key) && metrics[col.key].is_number();
      for (const auto& other : configs) {
        const Json om = other.value("metrics", Json::object());
        if (!best || !om.contains(col.key) || !om[col.key].is_number()) continue;
        const double mine = metrics[col.key].get<double>(), theirs = om[col.key].get<double>();
        if (col.higher_better ? theirs > mine : theirs < mine) best = false;
      }
      out += std::string(best ? "<td class=\"best\">" : "<td>") + show_metric(metrics, col.key) +
             "</td>";
    }
    const Json latency = c.value("latency_ms", Json::object());
    const Json tokens = c.value("tokens", Json::object());
    out += "<td>" + fixed(number_or(latency, "p50", 0), 2) + "</td><td>" +
           fixed(number_or(latency, "p95", 0), 2) + "</td><td>" +
           fixed(number_or(tokens, "prompt", 0), 0) + " / " +
           fixed(number_or(tokens, "completion", 0), 0) + "</td><td>" +
           fixed(number_or(c, "cost", 0), 4) + "</td></tr>";
  }
  out += "</table><p class=\"meta\">";
  for (const auto& c : configs) {
    out += "<b>" + html_escape(string_or(c, "name")) + "</b> " +
           html_escape(string_or(c, "path", "")) + ": ";
    std::string parts;
    const Json settings = c.value("settings", Json::object());  // outlives the loop
    for (const auto& [key, value] : settings.items()) {
      if (!parts.empty()) parts += ", ";
      parts += key + " = " + (value.is_string() ? value.get<std::string>() : value.dump());
    }
    out += html_escape(parts) + "<br>";
  }
  return out + "</p>";
}

std::string gate_section(const Json& report) {
  if (!report.contains("gate") || !report["gate"].is_object()) return {};
  const Json& gate = report["gate"];
  const bool passed = gate.value("passed", false);
  std::string out = "<section><h2>Gate: <span class=\"" + std::string(passed ? "ok" : "fail") +
                    "\">" + (passed ? "passed" : "failed") + "</span></h2><p class=\"meta\">" +
                    html_escape(string_or(gate, "file")) + "</p>";
  if (gate.contains("failures") && !gate["failures"].empty()) {
    out += "<ul>";
    for (const auto& f : gate["failures"]) out += "<li>" + html_escape(f.get<std::string>()) + "</li>";
    out += "</ul>";
  }
  return out + "</section>";
}

std::string answer_block(const std::string& name, const std::string& color, const Json& answer) {
  std::string out = "<div class=\"answer\"><h3><span class=\"swatch\" style=\"background:" + color +
                    "\"></span>" + html_escape(name) + "</h3><div class=\"text\">" +
                    html_escape(string_or(answer, "text")) + "</div>";
  if (answer.contains("error")) {
    out += "<p class=\"fail\">" + html_escape(string_or(answer, "error")) + "</p>";
  }
  if (answer.contains("citations") && !answer["citations"].empty()) {
    out += "<ul class=\"sources\">";
    for (const auto& c : answer["citations"]) {
      out += "<li>[" + fixed(number_or(c, "number", 0), 0) + "] " +
             html_escape(string_or(c, "doc_id")) + " — " + html_escape(string_or(c, "title")) + "</li>";
    }
    out += "</ul>";
  }
  std::string retrieved;
  for (const auto& id : answer.value("retrieved", Json::array())) {
    retrieved += (retrieved.empty() ? "" : ", ") + id.get<std::string>();
  }
  out += "<p class=\"meta\">" + html_escape(string_or(answer, "provider")) + " · " +
         fixed(number_or(answer, "latency_ms", 0), 2) + " ms · retrieved: " +
         html_escape(retrieved) + "</p><table class=\"small\">";
  const Json metrics = answer.value("metrics", Json::object());
  for (const auto& [key, value] : metrics.items()) {
    out += "<tr><td>" + html_escape(key) + "</td><td>" + show_metric(metrics, key) + "</td></tr>";
  }
  return out + "</table></div>";
}

std::string drill_down(const Json& report, const Json& configs) {
  std::string out =
      "<section><h2>Questions</h2><p class=\"meta\">Open a question for the reference, every "
      "config's answer, its sources and its metrics. Pills show ROUGE-L F per config.</p>";
  for (const auto& q : report["questions"]) {
    const Json answers = q.value("answers", Json::object());
    out += "<details><summary><span class=\"qid\">" + html_escape(string_or(q, "id")) + "</span>" +
           html_escape(string_or(q, "question"));
    for (size_t i = 0; i < configs.size(); ++i) {
      const std::string name = string_or(configs[i], "name");
      if (!answers.contains(name)) continue;
      out += "<span class=\"pill\" style=\"background:" +
             std::string(kPalette[i % std::size(kPalette)]) + "\" title=\"" + html_escape(name) +
             "\">" + show_metric(answers[name].value("metrics", Json::object()), "rougeL_f") +
             "</span>";
    }
    std::string relevant;
    for (const auto& id : q.value("relevant", Json::array())) {
      relevant += (relevant.empty() ? "" : ", ") + id.get<std::string>();
    }
    out += "</summary><div class=\"reference\"><b>Reference</b> <span class=\"meta\">(relevant: " +
           html_escape(relevant) + ")</span><div class=\"text\">" +
           html_escape(string_or(q, "reference_answer")) + "</div></div><div class=\"answers\">";
    for (size_t i = 0; i < configs.size(); ++i) {
      const std::string name = string_or(configs[i], "name");
      if (answers.contains(name)) {
        out += answer_block(name, kPalette[i % std::size(kPalette)], answers[name]);
      }
    }
    out += "</div></details>";
  }
  return out + "</section>";
}

std::string charts(const Json& report, const Json& configs) {
  std::vector<svg::Series> series;
  for (size_t i = 0; i < configs.size(); ++i) {
    series.push_back({string_or(configs[i], "name"), kPalette[i % std::size(kPalette)]});
  }
  std::vector<std::string> groups;
  std::vector<std::vector<double>> values;
  for (const auto& col : kBarMetrics) {
    groups.push_back(col.heading);
    std::vector<double> row;
    for (const auto& c : configs) {
      const Json metrics = c.value("metrics", Json::object());
      double v = number_or(metrics, col.key, -1);
      if (v >= 0 && (std::string_view(col.key) == "bleu" || std::string_view(col.key) == "chrf")) {
        v /= 100;
      }
      row.push_back(v);
    }
    values.push_back(std::move(row));
  }
  std::string out = "<section><h2>Quality per config</h2>" +
                    svg::grouped_bars(groups, series, values, "Quality metrics per config") +
                    "</section>";
  std::vector<svg::Point> points, summary;
  for (const auto& q : report["questions"]) {
    const Json answers = q.value("answers", Json::object());
    for (size_t i = 0; i < configs.size(); ++i) {
      const std::string name = series[i].name;
      if (!answers.contains(name)) continue;
      const Json& a = answers[name];
      const double quality = number_or(a.value("metrics", Json::object()), "rougeL_f", 0);
      points.push_back({i, number_or(a, "latency_ms", 0), quality,
                        name + " · " + string_or(q, "id") + ": " + fixed(quality, 3)});
    }
  }
  for (size_t i = 0; i < configs.size(); ++i) {
    const double p50 = number_or(configs[i].value("latency_ms", Json::object()), "p50", 0);
    const double quality = number_or(configs[i].value("metrics", Json::object()), "rougeL_f", 0);
    summary.push_back({i, p50, quality,
                       series[i].name + ": p50 " + fixed(p50, 2) + " ms, mean ROUGE-L F " +
                           fixed(quality, 3)});
  }
  out += "<section><h2>Latency against quality</h2><p class=\"meta\">Small points: one answer "
         "(its latency and ROUGE-L F). Large points: each config's p50 latency and mean "
         "ROUGE-L F. Up and to the left is better.</p>" +
         svg::scatter(series, points, summary, "latency (ms)", "ROUGE-L F",
                      "Latency against quality") +
         "</section>";
  return out;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

Result<std::string> render_report_html(std::string_view report_json) {
  JsonLimits limits;
  limits.max_bytes = 512u << 20;
  auto parsed = parse_json(report_json, limits);
  if (!parsed.ok()) return parsed.status().with_context("report.json");
  const Json& report = *parsed;
  if (!report.is_object() || !report.contains("configs") || !report["configs"].is_array() ||
      !report.contains("questions") || !report["questions"].is_array()) {
    return Status::invalid_argument("report.json: expected \"configs\" and \"questions\" arrays");
  }
  const Json& configs = report["configs"];
  std::string out =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
      "content=\"width=device-width,initial-scale=1\"><title>atiende eval run</title><style>";
  out += kStyle;
  out += "</style></head><body><header><h1>atiende · evaluation report</h1><p>" +
         html_escape(string_or(report, "created_at")) + " · golden " +
         html_escape(string_or(report, "golden")) + " · " +
         std::to_string(report["questions"].size()) + " questions · " +
         std::to_string(configs.size()) + " config" + (configs.size() == 1 ? "" : "s") +
         "</p></header><main>";
  out += gate_section(report);
  out += "<section><h2>Summary</h2>" + summary_table(configs) + "</section>";
  out += charts(report, configs);
  if (report.contains("warnings") && !report["warnings"].empty()) {
    out += "<section><h2>Warnings</h2><ul>";
    for (const auto& w : report["warnings"]) out += "<li>" + html_escape(w.get<std::string>()) + "</li>";
    out += "</ul></section>";
  }
  out += drill_down(report, configs);
  std::string settings;
  const Json settings_json = report.value("settings", Json::object());  // outlives the loop
  for (const auto& [key, value] : settings_json.items()) {
    settings += html_escape(key) + ": " +
                html_escape(value.is_string() ? value.get<std::string>() : value.dump()) + "<br>";
  }
  out += "<section><h2>How the metrics were computed</h2><p class=\"meta\">" + settings +
         "BLEU and chrF: corpus scores (sacreBLEU, 0–100) on answers without their [n] markers; "
         "ROUGE, semantic, retrieval and groundedness: means over questions (0–1); retrieval "
         "metrics at each config's k over the distinct documents its pipeline retrieved."
         "</p></section></main></body></html>\n";
  return out;
}

}  // namespace atiende::eval
