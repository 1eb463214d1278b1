#include "privacy/eval.h"

#include <algorithm>
#include <cstdio>

#include "common/json.h"
#include "common/strings.h"
#include "privacy/text_util.h"

namespace atiende::privacy {
namespace {

struct Simple {
  size_t start, end;
  std::string type;
};

Json score_json(const TypeScore& s) {
  return {{"precision", s.precision()}, {"recall", s.recall()}, {"f1", s.f1()},
          {"tp", s.tp},                 {"fp", s.fp},           {"fn", s.fn}};
}

std::string substr_cp(std::string_view text, size_t start, size_t end) {
  size_t cp = 0;
  size_t b0 = text.size(), b1 = text.size();
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      if (cp == start) b0 = i;
      if (cp == end) {
        b1 = i;
        break;
      }
      ++cp;
    }
  }
  return b0 <= b1 ? std::string(text.substr(b0, b1 - b0)) : std::string();
}

}  // namespace

std::string EvalReport::to_text() const {
  std::string out;
  char line[160];
  std::snprintf(line, sizeof(line), "%-14s %9s %9s %9s %6s %6s %6s\n", "type", "precision",
                "recall", "f1", "tp", "fp", "fn");
  out += line;
  auto row = [&](const std::string& name, const TypeScore& s) {
    std::snprintf(line, sizeof(line), "%-14s %9.3f %9.3f %9.3f %6zu %6zu %6zu\n", name.c_str(),
                  s.precision(), s.recall(), s.f1(), s.tp, s.fp, s.fn);
    out += line;
  };
  for (const auto& [type, s] : per_type) row(type, s);
  row("IDENTIFIERS", identifiers);
  row("ALL", overall);
  return out;
}

std::string EvalReport::to_json() const {
  Json j;
  j["texts"] = texts;
  j["overall"] = score_json(overall);
  j["identifiers"] = score_json(identifiers);
  j["per_type"] = Json::object();
  for (const auto& [type, s] : per_type) j["per_type"][type] = score_json(s);
  return dump_json(j);
}

Result<EvalReport> evaluate_gold(const Analyzer& analyzer, std::string_view gold_jsonl,
                                 std::string_view lang, std::vector<std::string>* errors_out) {
  EvalReport report;
  size_t line_no = 0;
  for (std::string_view line : split(gold_jsonl, '\n')) {
    ++line_no;
    if (trim(line).empty()) continue;
    auto parsed = parse_json(line);
    if (!parsed.ok()) return parsed.status().with_context("gold line " + std::to_string(line_no));
    const Json& g = *parsed;
    auto text = json_string_field(g, "text");
    if (!text.ok()) return text.status().with_context("gold line " + std::to_string(line_no));
    std::vector<Simple> gold;
    if (auto it = g.find("spans"); it != g.end() && it->is_array()) {
      for (const auto& s : *it) {
        if (!s.is_object() || !s.contains("start") || !s.contains("end") || !s.contains("type") ||
            !s["start"].is_number_unsigned() || !s["end"].is_number_unsigned() ||
            !s["type"].is_string()) {
          return Status::invalid_argument("gold line " + std::to_string(line_no) +
                                          ": each span needs start, end (code points) and type");
        }
        gold.push_back({s["start"].get<size_t>(), s["end"].get<size_t>(),
                        s["type"].get<std::string>()});
      }
    }
    auto predicted = analyzer.analyze(*text, lang);
    if (!predicted.ok()) {
      return predicted.status().with_context("gold line " + std::to_string(line_no));
    }
    ++report.texts;
    std::vector<bool> gold_used(gold.size(), false);
    for (const auto& p : *predicted) {
      size_t best = gold.size();
      double best_iou = 0.0;
      for (size_t i = 0; i < gold.size(); ++i) {
        if (gold_used[i] || gold[i].type != p.type) continue;
        const size_t lo = std::max(gold[i].start, p.start);
        const size_t hi = std::min(gold[i].end, p.end);
        if (hi <= lo) continue;
        const size_t uni = std::max(gold[i].end, p.end) - std::min(gold[i].start, p.start);
        const double iou = double(hi - lo) / double(uni);
        if (iou >= 0.5 && iou > best_iou) {
          best_iou = iou;
          best = i;
        }
      }
      TypeScore& t = report.per_type[p.type];
      if (best < gold.size()) {
        gold_used[best] = true;
        ++t.tp;
      } else {
        ++t.fp;
        if (errors_out != nullptr && errors_out->size() < 50) {
          errors_out->push_back("FP " + p.type + " '" + substr_cp(*text, p.start, p.end) +
                                "' line " + std::to_string(line_no));
        }
      }
    }
    for (size_t i = 0; i < gold.size(); ++i) {
      if (gold_used[i]) continue;
      ++report.per_type[gold[i].type].fn;
      if (errors_out != nullptr && errors_out->size() < 50) {
        errors_out->push_back("FN " + gold[i].type + " '" +
                              substr_cp(*text, gold[i].start, gold[i].end) + "' line " +
                              std::to_string(line_no));
      }
    }
  }
  for (const auto& [type, s] : report.per_type) {
    TypeScore* targets[2] = {&report.overall, is_identifier_type(type) ? &report.identifiers : nullptr};
    for (TypeScore* t : targets) {
      if (t == nullptr) continue;
      t->tp += s.tp;
      t->fp += s.fp;
      t->fn += s.fn;
    }
  }
  return report;
}

}  // namespace atiende::privacy
