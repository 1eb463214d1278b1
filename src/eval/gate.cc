#include "eval/gate.h"

#include <algorithm>
#include <cstdio>

#include "common/config.h"
#include "common/json.h"
#include "common/strings.h"

namespace atiende::eval {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::optional<GateThreshold> parse_threshold(const std::string& metric, std::string_view text) {
  text = trim(text);
  struct Spelling {
    std::string_view token;
    GateOp op;
  };
  // Two-character operators first, so ">=" is not read as ">".
  static constexpr Spelling kOps[] = {{">=", GateOp::kGreaterEqual}, {"<=", GateOp::kLessEqual},
                                      {"==", GateOp::kEqual},        {">", GateOp::kGreater},
                                      {"<", GateOp::kLess}};
  for (const auto& spelling : kOps) {
    if (text.substr(0, spelling.token.size()) != spelling.token) continue;
    auto value = parse_double(trim(text.substr(spelling.token.size())));
    if (!value) return std::nullopt;
    return GateThreshold{metric, spelling.op, *value, std::string(text)};
  }
  return std::nullopt;
}

bool passes(GateOp op, double actual, double threshold) {
  switch (op) {
    case GateOp::kGreaterEqual: return actual >= threshold;
    case GateOp::kGreater: return actual > threshold;
    case GateOp::kLessEqual: return actual <= threshold;
    case GateOp::kLess: return actual < threshold;
    case GateOp::kEqual: return actual == threshold;
  }
  return false;
}

std::string format_number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

Status key_error(std::string_view source, const std::string& key, std::string_view what) {
  return Status::invalid_argument(std::string(source) + ": gate." + key + ": " + std::string(what));
}

}  // namespace

Result<Gate> parse_gate(std::string_view text, std::string_view source) {
  Json table;
  if (ends_with(ascii_lower(source), ".json")) {
    auto parsed = parse_json(text);
    if (!parsed.ok()) {
      return Status::invalid_argument(std::string(source) + ": " + parsed.status().message());
    }
    if (!parsed->is_object() || !parsed->contains("gate")) {
      return Status::invalid_argument(std::string(source) + ": expected {\"gate\": {...}}");
    }
    table = (*parsed)["gate"];
  } else {
    // An empty environment: ATIENDE_* variables configure the server, not gate files.
    EnvLookup no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto config = Config::load_string(text, no_env, source);
    if (!config.ok()) return config.status();
    auto json = config->get_json("gate");
    if (!json.ok()) {
      return Status::invalid_argument(std::string(source) + ": no [gate] table");
    }
    auto parsed = parse_json(*json);
    if (!parsed.ok()) return parsed.status();
    table = std::move(*parsed);
  }
  if (!table.is_object()) {
    return Status::invalid_argument(std::string(source) + ": \"gate\" must be a table");
  }
  Gate gate;
  for (const auto& [key, value] : table.items()) {
    if (key == "config") {
      if (value.is_string()) {
        gate.configs.push_back(value.get<std::string>());
      } else if (value.is_array() && std::all_of(value.begin(), value.end(),
                                                 [](const Json& v) { return v.is_string(); })) {
        for (const auto& v : value) gate.configs.push_back(v.get<std::string>());
      } else {
        return key_error(source, key, "must be a config name or a list of names");
      }
      continue;
    }
    if (!value.is_string()) {
      return key_error(source, key,
                       "must be a comparison in quotes, such as \">= 0.3\" or \"<= 50\"");
    }
    auto threshold = parse_threshold(key, value.get<std::string>());
    if (!threshold) {
      return key_error(source, key,
                       "\"" + value.get<std::string>() +
                           "\" is not a comparison (>=, >, <=, < or == and a number)");
    }
    gate.thresholds.push_back(std::move(*threshold));
  }
  if (gate.thresholds.empty()) {
    return Status::invalid_argument(std::string(source) + ": the gate has no thresholds");
  }
  return gate;
}

std::vector<std::string> gate_metric_names() {
  return {"bleu", "chrf", "rouge1_f", "rouge2_f", "rougeL_f", "rougeL_p", "rougeL_r",
          "semantic_f1", "semantic_precision", "semantic_recall", "retrieval_recall",
          "retrieval_precision", "retrieval_mrr", "retrieval_ndcg", "retrieval_hit_rate",
          "groundedness", "citation_precision", "citation_coverage", "abstain_rate",
          "fallback_rate", "failure_rate", "latency_p50_ms", "latency_p95_ms", "latency_mean_ms",
          "prompt_tokens", "completion_tokens", "cost"};
}

Status validate_gate(const Gate& gate, const std::vector<std::string>& known_metrics,
                     const std::vector<std::string>& config_names) {
  std::vector<std::string> unknown;
  for (const auto& t : gate.thresholds) {
    if (std::find(known_metrics.begin(), known_metrics.end(), t.metric) == known_metrics.end()) {
      unknown.push_back(t.metric);
    }
  }
  if (!unknown.empty()) {
    return Status::invalid_argument("gate: unknown metric " + join(unknown, ", ") +
                                    " (known: " + join(known_metrics, ", ") + ")");
  }
  for (const auto& name : gate.configs) {
    if (std::find(config_names.begin(), config_names.end(), name) == config_names.end()) {
      return Status::invalid_argument("gate: config \"" + name + "\" is not evaluated (configs: " +
                                      join(config_names, ", ") + ")");
    }
  }
  return Status();
}

std::vector<std::string> check_gate(const Gate& gate,
                                    const std::map<std::string, MetricMap>& values_by_config) {
  std::vector<std::string> failures;
  for (const auto& [config, values] : values_by_config) {
    if (!gate.configs.empty() &&
        std::find(gate.configs.begin(), gate.configs.end(), config) == gate.configs.end()) {
      continue;
    }
    for (const auto& t : gate.thresholds) {
      auto it = values.find(t.metric);
      if (it == values.end() || !it->second) {
        failures.push_back("config " + config + ": " + t.metric + " has no value, misses " + t.text);
      } else if (!passes(t.op, *it->second, t.value)) {
        failures.push_back("config " + config + ": " + t.metric + " = " +
                           format_number(*it->second) + " misses " + t.text);
      }
    }
  }
  return failures;
}

}  // namespace atiende::eval
